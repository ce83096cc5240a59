// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { useVisitorRelay, WAIT } from '../fake-relay/visitor-harness.js';

const env = useVisitorRelay();

describe('ChatClient.resume', () => {
  it('after a reload, replays the log and resends what was not acknowledged, once', async () => {
    const first = env.client();
    await first.start({ email: 'ann@example.com' });
    first.send('acked');
    await vi.waitFor(() => expect(env.relay.sent.size, 'first logged').toBe(1), WAIT);
    env.relay.intercept = (f) => f.t === 'send'; // the relay never gets the next one
    const lost = first.send('not acked');
    await vi.waitFor(() => expect(env.storage.getItem('parley:outbox'), 'outbox stored').toContain(lost.clientId), WAIT);
    first.destroy(); // the page reloads

    env.relay.intercept = () => false;
    const second = env.client();
    expect(second.state.phase).toBe('idle');
    expect(second.resume()).toBe(true);
    expect(second.state.phase).toBe('connecting');
    await vi.waitFor(() => expect(second.state.timeline.filter((i) => i.kind === 'message' && i.message.delivery === 'sent').length, 'both sent').toBe(2), WAIT);

    expect(env.relay.framesOf('resume')[0]).toMatchObject({ afterSeq: 0, conversationId: env.relay.conversationId });
    expect(second.state.timeline.map((i) => i.kind === 'message' && i.message.text)).toEqual(['acked', 'not acked']);
    expect(env.relay.log.filter((e) => e.type === 'message')).toHaveLength(2);
    expect(env.storage.getItem('parley:outbox')).toBeNull();
  });

  it('ignores stored entries that are not a session or an outbox, and can still start a chat', async () => {
    env.storage.setItem('parley:session', JSON.stringify({ token: 42 }));
    env.storage.setItem('parley:outbox', JSON.stringify({ not: 'a list' }));
    const client = env.client();
    expect(client.resume()).toBe(false);
    expect(env.relay.sockets).toHaveLength(0);
    await client.start({ email: 'ann@example.com' });
    expect(client.state.phase).toBe('queued');
  });

  it('resumes a stored session whose outbox holds junk, keeping only well-formed messages', async () => {
    const first = env.client();
    await first.start({ email: 'ann@example.com' });
    first.destroy();
    const good = { clientId: crypto.randomUUID(), text: 'kept', at: new Date().toISOString(), delivery: 'sending', tab: 'x' };
    env.storage.setItem('parley:outbox', JSON.stringify([null, 7, { text: 'no id' }, good]));
    const second = env.client();
    expect(second.resume()).toBe(true);
    await vi.waitFor(() => expect(env.relay.log.some((e) => e.type === 'message' && e.text === 'kept'), 'kept message logged').toBe(true), WAIT);
    expect(env.relay.log.filter((e) => e.type === 'message')).toHaveLength(1);
  });

  it('returns false and opens nothing when storage holds no session', () => {
    const client = env.client();
    expect(client.resume()).toBe(false);
    expect(env.relay.sockets).toHaveLength(0);
  });

  it('after 4401 clears the stored session, returns to idle and does not reconnect', async () => {
    const first = env.client();
    await first.start({ email: 'ann@example.com' });
    first.destroy();
    env.relay.token = 'tok_rotated_9876543210fedcba';
    const second = env.client();
    const errors: string[] = [];
    second.addEventListener('error', (e) => errors.push(e.detail.code));
    expect(second.resume()).toBe(true);
    await vi.waitFor(() => expect(errors.length, 'error').toBeGreaterThan(0), WAIT);
    expect(errors).toEqual(['unauthorized']);
    expect(second.state.phase).toBe('idle');
    expect(second.state.connection).toBe('offline');
    expect(env.storage.map.size).toBe(0);
    await new Promise((r) => setTimeout(r, 700));
    expect(env.relay.framesOf('resume')).toHaveLength(1);
  });

  it('after close 4403 mid-chat becomes blocked and stops', async () => {
    const client = env.client();
    await client.start({ email: 'ann@example.com' });
    env.relay.append({ type: 'ended', by: 'agent', reason: 'blocked' }, { quiet: true });
    env.relay.open[0]!.close(4403);
    await vi.waitFor(() => expect(client.state.phase, 'blocked').toBe('blocked'), WAIT);
    expect(client.state.connection).toBe('offline');
    await new Promise((r) => setTimeout(r, 700));
    expect(env.relay.sockets).toHaveLength(1);
  });
});
