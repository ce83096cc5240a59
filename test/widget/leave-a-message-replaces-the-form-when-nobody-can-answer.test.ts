// @vitest-environment happy-dom
// When the relay says nobody can answer, the pre-chat form becomes "Leave a message":
// email, name, a Message field and "Send message". It checks the email and refuses an
// empty message, then starts the chat with `message`; the customer then reads that
// they will be answered here. A customer the site identified types in the composer,
// and that first message is the one left.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { foldLog, MAX_TEXT_LENGTH, type LogEvent } from '../../src/protocol/index.js';
import { defineParleyChat } from '../../src/widget/define.js';
import { event, FakeClient, makeState, mount, msg, press, settle, text, type } from './helpers.js';
import { RELAY } from '../fake-relay/visitor-endpoint.js';
import { useVisitorRelay, WAIT } from '../fake-relay/visitor-harness.js';

const LEFT = "Thanks! We'll answer here as soon as we can.";

/** The element open before a chat, the relay having said nobody can answer. */
async function away(props: Parameters<typeof mount>[0] = {}) {
  const client = new FakeClient();
  client.availability.mockResolvedValue({ available: false, reason: 'closed', opensAt: null });
  const m = await mount({ opened: true, ...props }, client);
  await vi.waitFor(() => expect(text(m.$('[part~="availability"]'))).toBe("We're away right now"));
  await settle(m.el);
  return m;
}

function submit(form: HTMLElement | null): void {
  form!.dispatchEvent(new Event('submit', { cancelable: true }));
}

/** The state the client publishes once a message was left (`requested.offline`). */
function leftState(text: string) {
  const events: LogEvent[] = [
    event({ type: 'requested', visitor: { email: 'ann@example.com' }, offline: true }),
    event({ type: 'message', from: 'visitor', text, clientId: 'left-1' }),
  ];
  return makeState({
    phase: 'queued',
    connection: 'online',
    conversationId: 'conv_1',
    visitor: { email: 'ann@example.com' },
    events,
    conversation: foldLog(events),
    timeline: [msg(text)],
  });
}

describe('<parley-chat> leave a message (fake client)', () => {
  afterEach(() => document.body.replaceChildren());

  it('replaces the pre-chat form: email, name, a Message field and "Send message"', async () => {
    const { $, root } = await away();
    const form = $('form.prechat')!;
    expect(text(form.querySelector('p'))).toBe("Nobody can answer right now. Leave a message and we'll reply here.");
    expect(form.querySelector('#email')).not.toBeNull();
    expect(form.querySelector('#name')).not.toBeNull();
    const leave = form.querySelector<HTMLTextAreaElement>('textarea#leave')!;
    expect(leave).not.toBeNull();
    expect(leave.required).toBe(true);
    expect(text(root.querySelector('label[for="leave"]'))).toBe('Message');
    expect(text(form.querySelector('button[type="submit"]'))).toBe('Send message');
  });

  it('keeps the usual form when someone can answer', async () => {
    const { el, $ } = await mount({ opened: true });
    await vi.waitFor(() => expect(text($('[part~="availability"]'))).toBe('Usually replies in a few minutes'));
    await settle(el);
    expect($('#leave')).toBeNull();
    expect(text($('form.prechat button[type="submit"]'))).toBe('Start chat');
  });

  it('checks the email as the usual form does, and sends nothing', async () => {
    const { el, client, $ } = await away();
    type($('#email'), 'ann@');
    type($('#leave'), 'Where is my order?');
    submit($('form.prechat'));
    await settle(el);
    expect($('#email')!.getAttribute('aria-invalid')).toBe('true');
    expect(text($('#email-error'))).toBe('Enter an email address like name@example.com.');
    expect(el.shadowRoot!.activeElement).toBe($('#email'));
    expect(client.start).not.toHaveBeenCalled();
  });

  it.each(['', '   \n  '])('refuses an empty message %j in words tied to the field, and sends nothing', async (blank) => {
    const { el, client, $ } = await away();
    type($('#email'), 'ann@example.com');
    type($('#leave'), blank);
    submit($('form.prechat'));
    await settle(el);
    const leave = $('#leave')!;
    expect(leave.getAttribute('aria-invalid')).toBe('true');
    expect(leave.getAttribute('aria-describedby')).toBe('leave-error');
    expect(text($('#leave-error'))).toBe('Write your message.');
    expect(el.shadowRoot!.activeElement).toBe(leave);
    expect($('#email')!.getAttribute('aria-invalid')).toBe('false');
    expect(client.start).not.toHaveBeenCalled();
  });

  it('refuses a message over the length limit, saying by how much', async () => {
    const { el, client, $ } = await away();
    type($('#email'), 'ann@example.com');
    type($('#leave'), 'x'.repeat(MAX_TEXT_LENGTH + 3));
    submit($('form.prechat'));
    await settle(el);
    expect(text($('#leave-error'))).toBe('3 characters over the limit');
    expect(client.start).not.toHaveBeenCalled();
  });

  it('starts the chat with the message, then says it will be answered here', async () => {
    const { el, client, $ } = await away();
    type($('#email'), ' Ann@Example.com ');
    type($('#name'), 'Ann');
    type($('#leave'), '  Where is order 1042?\nThanks  ');
    submit($('form.prechat'));
    await settle(el);
    expect(client.start).toHaveBeenCalledTimes(1);
    expect(client.start.mock.calls[0]![0]).toMatchObject({ email: 'Ann@example.com', name: 'Ann', message: 'Where is order 1042?\nThanks' });
    expect(client.send).not.toHaveBeenCalled();

    client.set(leftState('Where is order 1042?\nThanks'));
    await settle(el);
    expect($('form.prechat')).toBeNull();
    const log = $('[role="log"]')!;
    await vi.waitFor(() => expect([...log.querySelectorAll('[part~="notice"]')].map(text)).toContain(LEFT));
    expect(text(log)).not.toContain('in line');
    expect(text(log.querySelector('[part~="message-visitor"] .bubble'))).toBe('Where is order 1042?\nThanks'.replace(/\s+/g, ' '));
    // The composer is there for more.
    expect($('#message')).not.toBeNull();
  });

  it('for an identified customer, the first message typed in the composer is the one left', async () => {
    const client = new FakeClient();
    client.availability.mockResolvedValue({ available: false, reason: 'busy' });
    defineParleyChat();
    const m = await mount({}, client);
    m.el.identify({ email: 'ann@example.com', name: 'Ann' });
    m.el.open();
    await vi.waitFor(() => expect(text(m.$('[part~="availability"]'))).toBe("We're away right now"));
    await settle(m.el);
    expect(m.$('form.prechat')).toBeNull();
    type(m.$('#message'), 'Call me back, please');
    press(m.$('#message'), 'Enter');
    await settle(m.el);
    expect(client.start).toHaveBeenCalledTimes(1);
    expect(client.start.mock.calls[0]![0]).toMatchObject({ email: 'ann@example.com', name: 'Ann', message: 'Call me back, please' });
    // Left with the chat's start, not sent a second time.
    expect(client.send).not.toHaveBeenCalled();
    expect((m.$('#message') as HTMLTextAreaElement).value).toBe('');
  });
});

describe('<parley-chat> leave a message (real client over msw)', () => {
  const env = useVisitorRelay();
  afterEach(() => {
    document.body.replaceChildren();
    localStorage.clear();
  });

  it('says hello with the message and shows the left-waiting line', async () => {
    env.relay.availability = { available: false, reason: 'closed', opensAt: null };
    const { el, $ } = await mount({ relay: RELAY, opened: true }, null);
    await vi.waitFor(() => expect($('#leave')).not.toBeNull(), WAIT);
    type($('#email'), 'ann@example.com');
    type($('#leave'), 'Is the blue one back in stock?');
    submit($('form.prechat'));
    await vi.waitFor(() => expect(el.chatState?.phase).toBe('queued'), WAIT);
    expect(env.relay.frames[0]!.frame).toMatchObject({ t: 'hello', email: 'ann@example.com', message: 'Is the blue one back in stock?' });
    expect(el.chatState?.conversation.offline).toBe(true);
    await vi.waitFor(() => expect(text($('[role="log"]'))).toContain(LEFT), WAIT);
    expect(text($('[role="log"]'))).toContain('Is the blue one back in stock?');
    expect(text($('[role="log"]'))).not.toContain('in line');
  });
});
