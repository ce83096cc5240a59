// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { activeState, event, FakeClient, mount, press, row, settle, text, type } from './helpers.js';

afterEach(() => document.body.replaceChildren());

describe('<parley-chat> composer', () => {
  it('is a textbox labelled "Message" with a "Send" button', async () => {
    const { $, root } = await mount({ opened: true }, new FakeClient(activeState()));
    const box = $('#message')!;
    expect(box.tagName).toBe('TEXTAREA');
    expect(text(root.querySelector('label[for="message"]'))).toBe('Message');
    expect(text($('[part~="composer"] button[type="submit"]'))).toBe('Send');
  });

  it('sends on Enter and clears the box', async () => {
    const { el, client, $ } = await mount({ opened: true }, new FakeClient(activeState()));
    type($('#message'), 'Hello there');
    await settle(el);
    const e = press($('#message'), 'Enter');
    await settle(el);
    expect(e.defaultPrevented).toBe(true);
    expect(client.send).toHaveBeenCalledWith('Hello there');
    expect(($('#message') as HTMLTextAreaElement).value).toBe('');
  });

  it('keeps Shift+Enter for a new line and sends nothing', async () => {
    const { el, client, $ } = await mount({ opened: true }, new FakeClient(activeState()));
    type($('#message'), 'line one');
    const e = press($('#message'), 'Enter', { shiftKey: true });
    await settle(el);
    expect(e.defaultPrevented).toBe(false);
    expect(client.send).not.toHaveBeenCalled();
  });

  it('sends nothing for blank text and disables Send', async () => {
    const { el, client, $ } = await mount({ opened: true }, new FakeClient(activeState()));
    type($('#message'), '   \n ');
    await settle(el);
    press($('#message'), 'Enter');
    await settle(el);
    expect(client.send).not.toHaveBeenCalled();
    expect(($('[part~="composer"] button[type="submit"]') as HTMLButtonElement).disabled).toBe(true);
  });

  it('tells the typing state to the client, and stops it on send', async () => {
    const { el, client, $ } = await mount({ opened: true }, new FakeClient(activeState()));
    type($('#message'), 'H');
    type($('#message'), 'Hi');
    expect(client.typing.mock.calls).toEqual([[true]]);
    press($('#message'), 'Enter');
    await settle(el);
    expect(client.typing.mock.calls).toEqual([[true], [false]]);
  });

  it('stops the typing state when the element leaves the page', async () => {
    const { el, client, $ } = await mount({ opened: true }, new FakeClient(activeState()));
    type($('#message'), 'H');
    expect(client.typing.mock.calls).toEqual([[true]]);
    el.remove();
    expect(client.typing.mock.calls).toEqual([[true], [false]]);
  });

  it('shows a counter near the 4,000-character limit and refuses to send past it', async () => {
    const { el, client, $ } = await mount({ opened: true }, new FakeClient(activeState()));
    type($('#message'), 'a'.repeat(3000));
    await settle(el);
    expect($('#counter')).toBeNull();
    type($('#message'), 'a'.repeat(3990));
    await settle(el);
    expect(text($('#counter'))).toBe('10 characters left');
    expect($('#message')!.getAttribute('aria-describedby')).toBe('counter');
    type($('#message'), 'a'.repeat(4003));
    await settle(el);
    expect(text($('#counter'))).toBe('3 characters over the limit');
    expect(($('[part~="composer"] button[type="submit"]') as HTMLButtonElement).disabled).toBe(true);
    press($('#message'), 'Enter');
    await settle(el);
    expect(client.send).not.toHaveBeenCalled();
  });

  it('is gone once the chat ends', async () => {
    const client = new FakeClient(activeState());
    const { el, $ } = await mount({ opened: true }, client);
    expect($('#message')).not.toBeNull();
    client.set(activeState([row(event({ type: 'ended', by: 'agent', agent: { id: 'a', name: 'Jane Doe' } }))], { phase: 'ended', connection: 'offline' }));
    await settle(el);
    expect($('#message')).toBeNull();
    expect($('[part~="composer"]')).toBeNull();
  });

  it('keeps the draft across closing and reopening the panel', async () => {
    const { el, $ } = await mount({ opened: true }, new FakeClient(activeState()));
    type($('#message'), 'half a thought');
    el.close();
    await settle(el);
    el.open();
    await settle(el);
    expect(($('#message') as HTMLTextAreaElement).value).toBe('half a thought');
  });
});
