// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { until } from './fake-relay.js';
import { useFakeRelay } from './setup.js';

const env = useFakeRelay();

describe('ChatClient across tabs (shared storage and BroadcastChannel)', () => {
  it('a chat started in one tab is followed by another, and a message is sent by its own tab only', async () => {
    expect(typeof BroadcastChannel).toBe('function');
    const storageKey = `tabs-${crypto.randomUUID()}`;
    const a = env.client({ storageKey });
    const b = env.client({ storageKey });
    expect(a.resume()).toBe(false);
    expect(b.resume()).toBe(false);
    await a.start({ email: 'ann@example.com' });
    await until(() => b.state.phase === 'queued' && b.state.connection === 'online', 'tab b follows');
    expect(b.state.conversationId).toBe(a.state.conversationId);

    env.relay.intercept = (f) => f.t === 'send'; // hold sends so both tabs see it unacknowledged
    const m = a.send('from tab a');
    await until(() => b.state.timeline.some((i) => i.key === m.clientId), 'tab b shows it');
    expect(b.state.timeline.find((i) => i.key === m.clientId)).toMatchObject({ message: { delivery: 'sending' } });

    env.relay.intercept = () => false;
    a.retry(m.clientId); // not failed: nothing to retry
    // Tab b reconnects (its socket drops): it must not resend tab a's message.
    env.relay.open.find((c) => env.relay.sockets.indexOf(c) === 1)!.close(1001);
    await until(() => env.relay.framesOf('resume').length === 2 && b.state.connection === 'online', 'tab b back');
    await new Promise((r) => setTimeout(r, 50));
    expect(env.relay.framesOf('send')).toHaveLength(1);
    expect(env.relay.framesOf('send')[0]!.clientId).toBe(m.clientId);

    // Tab a's socket drops too: it resends its own message, which both tabs then show once, sent.
    env.relay.open.find((c) => env.relay.sockets.indexOf(c) === 0)!.close(1001);
    await until(() => [a, b].every((t) => t.state.timeline.filter((i) => i.kind === 'message' && i.message.delivery === 'sent').length === 1), 'sent in both');
    expect(env.relay.log.filter((e) => e.type === 'message')).toHaveLength(1);
    expect(b.state.timeline.filter((i) => i.key === m.clientId)).toHaveLength(1);

    // A new chat in one tab resets the other.
    await a.end();
    await until(() => b.state.phase === 'ended', 'ended in b');
    a.newChat();
    await until(() => b.state.phase === 'idle', 'b idle');
  });

  it('a tab opened while another holds unacknowledged messages shows each once, and the relay logs each once', async () => {
    const storageKey = `tabs-${crypto.randomUUID()}`;
    const a = env.client({ storageKey });
    await a.start({ email: 'ann@example.com' });
    env.relay.intercept = (f) => f.t === 'send';
    const m = a.send('pending in tab a');
    await until(() => env.storage.getItem(`${storageKey}:outbox`)?.includes(m.clientId) === true, 'stored');

    const b = env.client({ storageKey }); // a new page of the site adopts the stored outbox
    expect(b.resume()).toBe(true);
    await until(() => b.state.connection === 'online', 'b online');
    await new Promise((r) => setTimeout(r, 30));
    expect(a.state.timeline.filter((i) => i.key === m.clientId)).toHaveLength(1);
    expect(b.state.timeline.filter((i) => i.key === m.clientId)).toHaveLength(1);

    env.relay.intercept = () => false;
    for (const c of env.relay.open) c.close(1001); // both tabs reconnect and may both resend
    await until(() => [a, b].every((t) => t.state.timeline.some((i) => i.kind === 'message' && i.message.delivery === 'sent')), 'sent');
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
      await until(() => b.state.phase === 'queued', 'b follows');
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
