// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { ParleyError } from '../../src/client/index.js';
import { FakeClient, makeState, mount, settle, text, type } from './helpers.js';

afterEach(() => document.body.replaceChildren());

async function openForm(client = new FakeClient()) {
  const m = await mount({ opened: true }, client);
  return m;
}

describe('<parley-chat> pre-chat form', () => {
  it('labels Email (required) and Name (optional) and offers "Start chat"', async () => {
    const { $, root } = await openForm();
    const email = $('#email') as HTMLInputElement;
    expect(text(root.querySelector('label[for="email"]'))).toBe('Email');
    expect(email.required).toBe(true);
    expect(email.type).toBe('email');
    expect(email.name).toBe('email');
    expect(email.autocomplete).toBe('email');
    expect(($('#name') as HTMLInputElement).name).toBe('name');
    expect(text(root.querySelector('label[for="name"]'))).toBe('Name (optional)');
    expect(text($('form button[type="submit"]'))).toBe('Start chat');
  });

  it.each(['', 'ann', 'ann@', 'ann@example', 'ann@@example.com', 'a b@example.com', 'ann@example.123'])(
    'refuses %j in words tied to the field, and sends nothing',
    async (bad) => {
      const { el, client, $ } = await openForm();
      type($('#email'), bad);
      $('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
      await settle(el);
      const email = $('#email')!;
      expect(email.getAttribute('aria-invalid')).toBe('true');
      const id = email.getAttribute('aria-describedby');
      expect(id).toBe('email-error');
      expect(text($(`#${id}`))).toBe('Enter an email address like name@example.com.');
      expect(el.shadowRoot!.activeElement).toBe(email);
      expect(client.start).not.toHaveBeenCalled();
    },
  );

  it('refuses a name the protocol would refuse', async () => {
    const { el, client, $ } = await openForm();
    type($('#email'), 'ann@example.com');
    type($('#name'), 'x'.repeat(101));
    $('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle(el);
    expect($('#name')!.getAttribute('aria-describedby')).toBe('name-error');
    expect(text($('#name-error'))).toContain('100 characters');
    expect(client.start).not.toHaveBeenCalled();
  });

  it('starts the chat with the normalised email and name, busy while connecting', async () => {
    const client = new FakeClient();
    let finish!: () => void;
    client.start.mockImplementation(() => new Promise<void>((r) => (finish = r)));
    const { el, $ } = await openForm(client);
    type($('#email'), '  Ann@Example.COM ');
    type($('#name'), ' Ann ');
    $('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle(el);
    expect(client.start).toHaveBeenCalledTimes(1);
    const opts = client.start.mock.calls[0]![0];
    expect(opts.email).toBe('Ann@example.com');
    expect(opts.name).toBe('Ann');
    expect(opts.page?.url).toBe(location.href.split('#')[0]);
    expect(opts.locale).toBe('en');
    const button = $('form button[type="submit"]')!;
    expect(button.getAttribute('aria-busy')).toBe('true');
    expect(text(button)).toBe('Connecting…');
    // A second press while busy starts nothing more.
    $('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    expect(client.start).toHaveBeenCalledTimes(1);
    client.set({ phase: 'queued', connection: 'online', queuePosition: 2 });
    finish();
    await settle(el);
    await settle(el);
    expect($('form.prechat')).toBeNull();
    expect(el.shadowRoot!.activeElement).toBe($('#message'));
  });

  it('shows the relay refusing the email in place, on the field', async () => {
    const client = new FakeClient();
    client.start.mockRejectedValue({ code: 'invalid', field: 'email', message: 'bad' });
    const { el, $ } = await openForm(client);
    type($('#email'), 'ann@example.com');
    $('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle(el);
    await settle(el);
    expect(text($('#email-error'))).toBe('Enter an email address like name@example.com.');
    expect($('form button[type="submit"]')!.getAttribute('aria-busy')).toBe('false');
  });

  it.each([
    ['rate_limited', 'Too many messages at once. Please wait a moment.'],
    ['network', 'Could not reach the chat service. Please try again.'],
    ['conflict', 'Something went wrong. Please try again.'],
  ])('puts a %s refusal into words as an alert', async (code, words) => {
    const client = new FakeClient();
    client.start.mockRejectedValue({ code, message: 'x' });
    const { el, $ } = await openForm(client);
    type($('#email'), 'ann@example.com');
    $('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle(el);
    await settle(el);
    expect(text($('[role="alert"]'))).toBe(words);
  });

  it('shows the blocked notice when the relay refuses a blocked visitor', async () => {
    const client = new FakeClient();
    client.start.mockImplementation(async () => {
      client.set({ phase: 'blocked', error: new ParleyError('blocked', 'blocked') });
      throw new ParleyError('blocked', 'blocked');
    });
    const { el, $ } = await openForm(client);
    type($('#email'), 'ann@example.com');
    $('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle(el);
    await settle(el);
    expect(text($('[role="log"]'))).toContain('You cannot start a chat right now.');
    expect($('textarea')).toBeNull();
  });

  it('is skipped after identify(): the first message starts the chat', async () => {
    const client = new FakeClient();
    client.start.mockImplementation(async () => client.set(makeState({ phase: 'queued', connection: 'online' })));
    const { el, $ } = await openForm(client);
    el.identify({ email: 'jane@Example.com', name: 'Jane' });
    await settle(el);
    expect($('form.prechat')).toBeNull();
    expect(text($('[role="log"]'))).toContain('Ask us anything');
    type($('#message'), 'Where is my order?');
    $('form.composer')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle(el);
    await settle(el);
    expect(client.start.mock.calls[0]![0]).toMatchObject({ email: 'jane@example.com', name: 'Jane' });
    expect(client.send).toHaveBeenCalledWith('Where is my order?');
  });

  it('sends the page as origin and path, and no page when the relay could not take it', async () => {
    const client = new FakeClient();
    const { el } = await openForm(client);
    el.identify({ email: 'ann@example.com' });
    await settle(el);
    const submit = async () => {
      type(el.shadowRoot!.querySelector('#message')!, 'hi');
      el.shadowRoot!.querySelector('form.composer')!.dispatchEvent(new Event('submit', { cancelable: true }));
      await settle(el);
      await settle(el);
    };
    history.replaceState(null, '', '/shop/bowl?colour=blue#reviews');
    await submit();
    expect(client.start.mock.calls[0]![0].page).toEqual({ url: `${location.origin}/shop/bowl`, title: document.title });
    client.start.mockClear();
    history.replaceState(null, '', `/search/${'x'.repeat(2100)}`);
    await submit();
    expect(client.start.mock.calls[0]![0].page).toBeUndefined();
  });

  it('identify() with another email leaves the chat kept for the previous person', async () => {
    const client = new FakeClient();
    client.set(makeState({ phase: 'ended', connection: 'online', visitor: { email: 'ann@example.com' } }));
    const { el } = await openForm(client);
    el.identify({ email: 'ann@example.com' });
    expect(client.newChat).not.toHaveBeenCalled();
    el.identify({ email: 'bob@example.com' });
    expect(client.newChat).toHaveBeenCalledTimes(1);
  });

  it('identify() throws a TypeError for an email the protocol refuses', async () => {
    const { el } = await openForm();
    expect(() => el.identify({ email: 'nope' })).toThrow(TypeError);
  });
});
