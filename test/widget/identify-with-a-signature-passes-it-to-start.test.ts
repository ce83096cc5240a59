// @vitest-environment happy-dom
// `identify({ email, name, signature })` skips the pre-chat form, and the signature goes
// with the chat's start (the relay checks it against its identity secret), as far as
// the relay's hello frame with the real client.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dispatcher } from '../../src/embed/api.js';
import { defineParleyChat } from '../../src/widget/define.js';
import { FakeClient, mount, press, settle, text, type } from './helpers.js';
import { RELAY } from '../fake-relay/visitor-endpoint.js';
import { useVisitorRelay, WAIT } from '../fake-relay/visitor-harness.js';

const SIGNATURE = 'a3f1c2e4b5d6978801aabbccddeeff00112233445566778899aabbccddeeff00';

describe('<parley-chat> identify with a signature (fake client)', () => {
  afterEach(() => document.body.replaceChildren());

  it('skips the form and starts the chat with the signature on the first message', async () => {
    const { el, client, $ } = await mount({});
    el.identify({ email: ' ann@example.com ', name: ' Ann ', signature: SIGNATURE });
    expect(el.identity).toEqual({ email: 'ann@example.com', name: 'Ann', signature: SIGNATURE });
    el.open();
    await settle(el);
    expect($('form.prechat')).toBeNull();
    type($('#message'), 'Hello');
    press($('#message'), 'Enter');
    await settle(el);
    expect(client.start).toHaveBeenCalledTimes(1);
    const started = client.start.mock.calls[0]![0];
    expect(started).toMatchObject({ email: 'ann@example.com', name: 'Ann', signature: SIGNATURE });
    // Someone can answer (the default): a live chat, not a message left.
    expect(started.message).toBeUndefined();
    expect(client.send).toHaveBeenCalledWith('Hello');
  });

  it("keeps the signature given through the script tag's Parley('identify', …)", async () => {
    const { el, client, $ } = await mount({});
    dispatcher(el)('identify', [{ email: 'ann@example.com', name: 'Ann', signature: SIGNATURE }]);
    el.open();
    await settle(el);
    expect($('form.prechat')).toBeNull();
    type($('#message'), 'Hello');
    press($('#message'), 'Enter');
    await settle(el);
    expect(client.start.mock.calls[0]![0]).toMatchObject({ email: 'ann@example.com', name: 'Ann', signature: SIGNATURE });
  });

  it('starts without a signature when the site gives none', async () => {
    const { el, client, $ } = await mount({});
    el.identify({ email: 'ann@example.com' });
    el.open();
    await settle(el);
    type($('#message'), 'Hello');
    press($('#message'), 'Enter');
    await settle(el);
    expect(client.start).toHaveBeenCalledTimes(1);
    expect(client.start.mock.calls[0]![0].email).toBe('ann@example.com');
    expect(client.start.mock.calls[0]![0].signature).toBeUndefined();
  });

  it('says a refused signature in words instead of starting', async () => {
    const client = new FakeClient();
    client.start.mockRejectedValue(Object.assign(new Error('bad signature'), { code: 'unverified' }));
    const { el, $ } = await mount({}, client);
    el.identify({ email: 'ann@example.com', signature: 'ffff' });
    el.open();
    await settle(el);
    type($('#message'), 'Hello');
    press($('#message'), 'Enter');
    await settle(el);
    expect(text($('[role="alert"]'))).toBe('Please sign in to chat with us.');
    expect(client.send).not.toHaveBeenCalled();
    expect(($('#message') as HTMLTextAreaElement).value).toBe('Hello');
  });
});

describe('<parley-chat> identify with a signature (real client over msw)', () => {
  const env = useVisitorRelay();
  afterEach(() => {
    document.body.replaceChildren();
    localStorage.clear();
  });

  it('sends the signature in the hello frame', async () => {
    const { relay } = env;
    defineParleyChat();
    const el = document.createElement('parley-chat');
    el.relay = RELAY;
    document.body.append(el);
    el.identify({ email: 'ann@example.com', name: 'Ann', signature: SIGNATURE });
    el.open();
    await settle(el);
    const $ = (s: string) => el.shadowRoot!.querySelector<HTMLElement>(s);
    expect($('form.prechat')).toBeNull();
    type($('#message'), 'Hello');
    press($('#message'), 'Enter');
    await vi.waitFor(() => expect(relay.framesOf('send')).not.toHaveLength(0), WAIT);
    expect(relay.frames[0]!.frame).toMatchObject({ t: 'hello', email: 'ann@example.com', name: 'Ann', signature: SIGNATURE });
    expect(relay.frames[0]!.frame).not.toHaveProperty('message');
    expect(relay.framesOf('send')[0]).toMatchObject({ text: 'Hello' });
  });
});
