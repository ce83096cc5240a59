// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { useVisitorRelay, WAIT } from '../fake-relay/visitor-harness.js';

const env = useVisitorRelay();

/**
 * A WebSocket constructor for one tab that keeps the sockets it opened (the global one,
 * msw's, made at call time), so that the test can send a ping of its own on the tab's
 * socket: the fake relay records a socket's frames in the order they were sent, so once
 * the ping is recorded, so is every frame the tab sent before it.
 */
function recordingWebSocket(): { WebSocket: typeof WebSocket; sockets: WebSocket[] } {
  const sockets: WebSocket[] = [];
  const Recording = function (url: string | URL, protocols?: string | string[]) {
    const ws = new globalThis.WebSocket(url, protocols);
    sockets.push(ws);
    return ws;
  } as unknown as typeof WebSocket;
  return { WebSocket: Recording, sockets };
}

describe('ChatClient across tabs (shared storage and BroadcastChannel)', () => {
  it('a chat started in one tab is followed by another, and a message is sent by its own tab only', async () => {
    expect(typeof BroadcastChannel).toBe('function');
    const storageKey = `tabs-${crypto.randomUUID()}`;
    const a = env.client({ storageKey });
    const tabB = recordingWebSocket();
    const b = env.client({ storageKey, WebSocket: tabB.WebSocket });
    expect(a.resume()).toBe(false);
    expect(b.resume()).toBe(false);
    await a.start({ email: 'ann@example.com' });
    await vi.waitFor(() => {
      expect(b.state.phase, 'tab b follows').toBe('queued');
      expect(b.state.connection, 'tab b follows').toBe('online');
    }, WAIT);
    expect(b.state.conversationId).toBe(a.state.conversationId);

    env.relay.intercept = (f) => f.t === 'send'; // hold sends so both tabs see it unacknowledged
    const m = a.send('from tab a');
    await vi.waitFor(() => expect(b.state.timeline.some((i) => i.key === m.clientId), 'tab b shows it').toBe(true), WAIT);
    expect(b.state.timeline.find((i) => i.key === m.clientId)).toMatchObject({ message: { delivery: 'sending' } });

    env.relay.intercept = () => false;
    a.retry(m.clientId); // not failed: nothing to retry
    // Tab b reconnects (its socket drops): it must not resend tab a's message.
    env.relay.open.find((c) => env.relay.sockets.indexOf(c) === 1)!.close(1001);
    await vi.waitFor(() => {
      expect(env.relay.framesOf('resume').length, 'tab b back').toBe(2);
      expect(b.state.connection, 'tab b back').toBe('online');
    }, WAIT);
    // Tab b resends on the welcome, before any later frame of its socket: a ping sent
    // after it on that socket and recorded by the relay has every such resend ahead of it.
    const bConn = env.relay.frames.filter((f) => f.frame.t === 'resume').at(-1)!.conn;
    tabB.sockets.at(-1)!.send(JSON.stringify({ t: 'ping', id: 'barrier' }));
    await vi.waitFor(() => {
      if (!env.relay.frames.some((f) => f.conn === bConn && f.frame.t === 'ping' && f.frame.id === 'barrier')) throw new Error("tab b's ping did not reach the relay");
    }, WAIT);
    expect(env.relay.framesOf('send')).toHaveLength(1);
    expect(env.relay.framesOf('send')[0]!.clientId).toBe(m.clientId);

    // Tab a's socket drops too: it resends its own message, which both tabs then show once, sent.
    env.relay.open.find((c) => env.relay.sockets.indexOf(c) === 0)!.close(1001);
    await vi.waitFor(() => expect([a, b].every((t) => t.state.timeline.filter((i) => i.kind === 'message' && i.message.delivery === 'sent').length === 1), 'sent in both').toBe(true), WAIT);
    expect(env.relay.log.filter((e) => e.type === 'message')).toHaveLength(1);
    expect(b.state.timeline.filter((i) => i.key === m.clientId)).toHaveLength(1);

    // A new chat in one tab resets the other.
    await a.end();
    await vi.waitFor(() => expect(b.state.phase, 'ended in b').toBe('ended'), WAIT);
    a.newChat();
    await vi.waitFor(() => expect(b.state.phase, 'b idle').toBe('idle'), WAIT);
  });

  it('a tab opened while another holds unacknowledged messages shows each once, and the relay logs each once', async () => {
    const storageKey = `tabs-${crypto.randomUUID()}`;
    const a = env.client({ storageKey });
    await a.start({ email: 'ann@example.com' });
    env.relay.intercept = (f) => f.t === 'send';
    const m = a.send('pending in tab a');
    await vi.waitFor(() => expect(env.storage.getItem(`${storageKey}:outbox`), 'stored').toContain(m.clientId), WAIT);

    const b = env.client({ storageKey }); // a new page of the site adopts the stored outbox
    expect(b.resume()).toBe(true);
    await vi.waitFor(() => expect(b.state.connection, 'b online').toBe('online'), WAIT);
    await new Promise((r) => setTimeout(r, 30));
    expect(a.state.timeline.filter((i) => i.key === m.clientId)).toHaveLength(1);
    expect(b.state.timeline.filter((i) => i.key === m.clientId)).toHaveLength(1);

    env.relay.intercept = () => false;
    for (const c of env.relay.open) c.close(1001); // both tabs reconnect and may both resend
    await vi.waitFor(() => expect([a, b].every((t) => t.state.timeline.some((i) => i.kind === 'message' && i.message.delivery === 'sent')), 'sent').toBe(true), WAIT);
    expect(env.relay.log.filter((e) => e.type === 'message')).toHaveLength(1);
    for (const t of [a, b]) expect(t.state.timeline.filter((i) => i.kind === 'message')).toHaveLength(1);
  });

  it('without BroadcastChannel, follows the other tab through storage events', async () => {
    vi.stubGlobal('BroadcastChannel', undefined);
    try {
      const a = env.client();
      const b = env.client();
      expect(b.resume()).toBe(false);
      await a.start({ email: 'ann@example.com' });
      expect(b.state.phase).toBe('idle');
      window.dispatchEvent(new StorageEvent('storage', { key: 'parley:session' }));
      await vi.waitFor(() => expect(b.state.phase, 'b follows').toBe('queued'), WAIT);
      a.newChat();
      window.dispatchEvent(new StorageEvent('storage', { key: 'unrelated' }));
      expect(b.state.phase).toBe('queued');
      window.dispatchEvent(new StorageEvent('storage', { key: 'parley:session' }));
      expect(b.state.phase).toBe('idle');
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
