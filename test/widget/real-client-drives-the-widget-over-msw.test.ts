// @vitest-environment happy-dom
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineParleyChat } from '../../src/widget/define.js';
import type { ParleyChat } from '../../src/widget/parley-chat.js';
import { settle, text, type } from './helpers.js';
import { MswRelay, RELAY, WAIT } from './msw-relay.js';

const server = setupServer();
let relay: MswRelay;

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());
beforeEach(() => {
  relay = new MswRelay();
  server.use(...relay.handlers);
  localStorage.clear();
});
afterEach(() => {
  document.body.replaceChildren(); // disconnecting destroys the element's own client
  server.resetHandlers();
  localStorage.clear();
});

async function mountReal(): Promise<ParleyChat> {
  defineParleyChat();
  const el = document.createElement('parley-chat');
  el.relay = RELAY;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

/** A mounted element whose customer filled in the pre-chat form; resolves once queued. */
async function startedChat(): Promise<ParleyChat> {
  const el = await mountReal();
  el.open();
  await settle(el);
  type(el.shadowRoot!.querySelector('#email')!, 'ann@example.com');
  el.shadowRoot!.querySelector('form.prechat')!.dispatchEvent(new Event('submit', { cancelable: true }));
  await vi.waitFor(() => expect(el.chatState?.phase).toBe('queued'), WAIT);
  return el;
}

const AGENT = { id: 'agent_1', name: 'Jane Doe' };

describe('<parley-chat> with the real ChatClient', () => {
  it('opens no socket and writes no storage until the customer starts a chat', async () => {
    const el = await mountReal();
    el.open();
    await settle(el);
    await new Promise((r) => setTimeout(r, 30));
    expect(relay.sockets).toHaveLength(0);
    expect(localStorage.length).toBe(0);
    expect(el.shadowRoot!.querySelector('form.prechat')).not.toBeNull();
  });

  it('runs a chat: start, queue notice, claim, messages both ways, end', async () => {
    const el = await startedChat();
    const $ = (s: string) => el.shadowRoot!.querySelector<HTMLElement>(s);
    await settle(el);
    expect(relay.frames[0]).toMatchObject({ t: 'hello', email: 'ann@example.com' });
    expect(text($('[role="log"]'))).toContain("You're 2nd in line");
    expect(localStorage.length).toBeGreaterThan(0);

    relay.append({ type: 'claimed', agent: AGENT });
    relay.append({ type: 'message', from: 'agent', agent: AGENT, text: 'Hi Ann, how can I help?', clientId: '7d4a3c1e-0000-4000-8000-000000000001' });
    await vi.waitFor(() => {
      expect(el.chatState?.phase).toBe('active');
      expect(el.chatState?.timeline.length).toBe(2);
    }, WAIT);
    await settle(el);
    expect(text($('[role="log"]'))).toContain('Jane Doe joined the chat');
    expect(text($('[part~="agent"]'))).toBe('Jane Doe');

    type($('#message'), 'Where is order 1042?');
    $('#message')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    await vi.waitFor(() => expect(relay.frames.some((f) => f.t === 'send')).toBe(true), WAIT);
    await vi.waitFor(() => expect(el.chatState?.timeline.some((i) => i.kind === 'message' && i.message.delivery === 'sent' && i.message.from === 'visitor')).toBe(true), WAIT);
    await settle(el);
    const visitorRow = el.shadowRoot!.querySelector('[part~="message-visitor"]')!;
    expect(text(visitorRow.querySelector('.bubble'))).toBe('Where is order 1042?');
    expect(text(visitorRow.querySelector('.delivery'))).toBe('Sent');

    await el.end();
    await vi.waitFor(() => expect(el.chatState?.phase).toBe('ended'), WAIT);
    await settle(el);
    expect(text($('[role="log"]'))).toContain('You ended the chat');
    expect($('[data-action="new-chat"]')).not.toBeNull();
  });

  it('lets its client go when removed, and resumes the chat when put back', async () => {
    const el = await startedChat();
    const $ = (s: string) => el.shadowRoot!.querySelector<HTMLElement>(s);
    el.remove();
    expect(el.chatState).toBeNull();
    document.body.append(el);
    await vi.waitFor(() => expect(relay.frames.some((f) => f.t === 'resume')).toBe(true), WAIT);
    await vi.waitFor(() => expect(el.chatState?.phase).toBe('queued'), WAIT);
    expect(relay.frames.filter((f) => f.t === 'hello')).toHaveLength(1);
  });

  it('resumes a stored session when it connects, without the form', async () => {
    relay.log = [
      { type: 'requested', visitor: { email: 'ann@example.com' }, seq: 1, at: '2026-03-02T14:00:00.000Z' },
      { type: 'claimed', agent: AGENT, seq: 2, at: '2026-03-02T14:01:00.000Z' },
    ];
    localStorage.setItem('parley:session', JSON.stringify({ token: relay.token, conversationId: 'conv_w', lastSeq: 0, readSeq: 0 }));
    const el = await mountReal();
    await vi.waitFor(() => expect(el.chatState?.phase).toBe('active'), WAIT);
    expect(relay.frames[0]).toMatchObject({ t: 'resume', conversationId: 'conv_w' });
    el.open();
    await settle(el);
    expect(el.shadowRoot!.querySelector('form.prechat')).toBeNull();
    expect(text(el.shadowRoot!.querySelector('[role="log"]'))).toContain('Jane Doe joined the chat');
  });
});
