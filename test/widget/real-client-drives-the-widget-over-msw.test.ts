// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineParleyChat } from '../../src/widget/define.js';
import type { ParleyChat } from '../../src/widget/parley-chat.js';
import { settle, text, type } from './helpers.js';
import { RELAY } from '../fake-relay/visitor-endpoint.js';
import { useVisitorRelay, WAIT } from '../fake-relay/visitor-harness.js';

const env = useVisitorRelay();

beforeEach(() => {
  env.relay.queuePosition = 2; // welcomes put the customer 2nd in line
  localStorage.clear();
});
afterEach(() => {
  document.body.replaceChildren(); // disconnecting destroys the element's own client
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
    expect(env.relay.sockets).toHaveLength(0);
    expect(localStorage.length).toBe(0);
    expect(el.shadowRoot!.querySelector('form.prechat')).not.toBeNull();
  });

  it('runs a chat: start, queue notice, claim, messages both ways, end', async () => {
    const el = await startedChat();
    const $ = (s: string) => el.shadowRoot!.querySelector<HTMLElement>(s);
    await settle(el);
    expect(env.relay.frames[0]!.frame).toMatchObject({ t: 'hello', email: 'ann@example.com' });
    expect(text($('[role="log"]'))).toContain("You're 2nd in line");
    expect(localStorage.length).toBeGreaterThan(0);

    env.relay.append({ type: 'claimed', agent: AGENT });
    env.relay.append({ type: 'message', from: 'agent', agent: AGENT, text: 'Hi Ann, how can I help?', clientId: '7d4a3c1e-0000-4000-8000-000000000001' });
    await vi.waitFor(() => {
      expect(el.chatState?.phase).toBe('active');
      expect(el.chatState?.timeline.length).toBe(2);
    }, WAIT);
    await settle(el);
    expect(text($('[role="log"]'))).toContain('Jane Doe joined the chat');
    expect(text($('[part~="agent"]'))).toBe('Jane Doe');

    type($('#message'), 'Where is order 1042?');
    $('#message')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    await vi.waitFor(() => expect(env.relay.framesOf('send')).not.toHaveLength(0), WAIT);
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
    await vi.waitFor(() => expect(env.relay.framesOf('resume')).not.toHaveLength(0), WAIT);
    await vi.waitFor(() => expect(el.chatState?.phase).toBe('queued'), WAIT);
    expect(env.relay.framesOf('hello')).toHaveLength(1);
  });

  it('resumes a stored session when it connects, without the form', async () => {
    // A chat started and claimed before this page loaded.
    env.relay.model.request(env.relay.conversationId, { email: 'ann@example.com' });
    env.relay.append({ type: 'claimed', agent: AGENT });
    localStorage.setItem('parley:session', JSON.stringify({ token: env.relay.token, conversationId: env.relay.conversationId, lastSeq: 0, readSeq: 0 }));
    const el = await mountReal();
    await vi.waitFor(() => expect(el.chatState?.phase).toBe('active'), WAIT);
    expect(env.relay.frames[0]!.frame).toMatchObject({ t: 'resume', conversationId: env.relay.conversationId });
    el.open();
    await settle(el);
    expect(el.shadowRoot!.querySelector('form.prechat')).toBeNull();
    expect(text(el.shadowRoot!.querySelector('[role="log"]'))).toContain('Jane Doe joined the chat');
  });
});
