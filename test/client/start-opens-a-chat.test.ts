// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import type { ChatError, ChatState } from '../../src/client/index.js';
import { JANE } from '../fake-relay/model.js';
import { useVisitorRelay, WAIT } from '../fake-relay/visitor-harness.js';

const env = useVisitorRelay();

describe('ChatClient.start', () => {
  it('keeps the default of a connection option given as undefined', async () => {
    const unset = undefined as number | undefined;
    const client = env.client({ minDelayMs: unset, pongTimeoutMs: unset, random: undefined });
    await client.start({ email: 'ann@example.com' });
    expect(client.state.phase).toBe('queued');
    // A reconnect draws its delay with \`random\` between 0 and \`minDelayMs\`: undefined
    // ones would throw there (or wait NaN) and never come back.
    env.relay.open[0]!.close(1001);
    await vi.waitFor(() => expect(env.relay.framesOf('resume')).toHaveLength(1), WAIT);
    await vi.waitFor(() => expect(client.state.connection).toBe('online'), WAIT);
  });

  it('opens no socket and writes nothing before start, then queues the chat', async () => {
    const client = env.client();
    expect(client.resume()).toBe(false);
    expect(env.relay.sockets).toHaveLength(0);
    expect(env.storage.map.size).toBe(0);
    expect(client.state.phase).toBe('idle');

    const phases: string[] = [];
    client.subscribe((s) => phases.push(s.phase));
    await client.start({ email: 'ann@example.com', name: 'Ann' });

    expect(phases).toEqual(['idle', 'connecting', 'queued']);
    expect(client.state.connection).toBe('online');
    expect(client.state.conversationId).toBe(env.relay.conversationId);
    expect(client.state.queuePosition).toBe(1);
    expect(client.state.visitor).toEqual({ email: 'ann@example.com', name: 'Ann' });
    expect(env.relay.framesOf('hello')[0]).toMatchObject({ email: 'ann@example.com', name: 'Ann' });
    const stored = JSON.parse(env.storage.getItem('parley:session')!);
    expect(stored).toMatchObject({ token: env.relay.token, conversationId: env.relay.conversationId });
  });

  it('follows the queue, the claim and the agent in the state and as events', async () => {
    const client = env.client();
    await client.start({ email: 'ann@example.com' });
    const claimed: string[] = [];
    client.addEventListener('claimed', (e) => claimed.push(e.detail.agent.name));

    env.relay.push(env.relay.open[0]!, { t: 'queue', position: 3 });
    await vi.waitFor(() => expect(client.state.queuePosition, 'queue position').toBe(3), WAIT);
    env.relay.append({ type: 'claimed', agent: JANE });
    await vi.waitFor(() => expect(client.state.phase, 'active').toBe('active'), WAIT);

    expect(client.state.agent).toEqual(JANE);
    expect(client.state.queuePosition).toBeNull();
    expect(claimed).toEqual(['Jane Doe']);
    expect(client.state.timeline.map((i) => i.kind)).toEqual(['notice']);
  });

  it('rejects with the relay’s invalid error naming the field, and stays idle', async () => {
    env.relay.refuseHello = { code: 'invalid', field: 'email' };
    const client = env.client();
    const err = (await client.start({ email: 'not-an-email' }).catch((e: ChatError) => e)) as ChatError;
    expect(err).toMatchObject({ code: 'invalid', field: 'email' });
    expect(client.state.phase).toBe('idle');
    expect(client.state.error).toMatchObject({ code: 'invalid', field: 'email' });
    expect(env.storage.map.size).toBe(0);
  });

  it('refuses an empty email without opening a socket', async () => {
    const client = env.client();
    await expect(client.start({ email: '' })).rejects.toMatchObject({ code: 'invalid', field: 'email' });
    expect(env.relay.sockets).toHaveLength(0);
  });

  it('becomes blocked after error blocked and close 4403, and does not reconnect', async () => {
    env.relay.refuseHello = { code: 'blocked', close: 4403 };
    const client = env.client();
    await expect(client.start({ email: 'spam@example.com' })).rejects.toMatchObject({ code: 'blocked' });
    expect(client.state.phase).toBe('blocked');
    await new Promise((r) => setTimeout(r, 700));
    expect(env.relay.sockets).toHaveLength(1);
    await expect(client.start({ email: 'spam@example.com' })).rejects.toMatchObject({ code: 'blocked' });
    client.newChat();
    expect(client.state.phase).toBe('idle');
  });

  it('emits state events with old and new snapshots only on change, each a new frozen object', async () => {
    const client = env.client();
    const seen: { oldState: ChatState; newState: ChatState }[] = [];
    client.addEventListener('state', (e) => seen.push(e.detail));
    await client.start({ email: 'ann@example.com' });
    expect(seen.length).toBeGreaterThan(0);
    for (const { oldState, newState } of seen) {
      expect(newState).not.toBe(oldState);
      expect(Object.isFrozen(newState)).toBe(true);
    }
    expect(seen.at(-1)!.newState).toBe(client.state);
    const count = seen.length;
    client.typing(false); // typing off while already off: nothing changes
    client.markRead(); // nothing to read
    expect(seen.length).toBe(count);
  });

  it('destroy() rejects a start still waiting, closes the socket, and is idempotent', async () => {
    env.relay.intercept = (f) => f.t === 'hello'; // never welcomed
    const client = env.client();
    const pending = client.start({ email: 'ann@example.com' });
    await vi.waitFor(() => expect(env.relay.framesOf('hello').length, 'hello sent').toBe(1), WAIT);
    client.destroy();
    client.destroy();
    await expect(pending).rejects.toMatchObject({ code: 'network' });
    await vi.waitFor(() => expect(env.relay.open.length, 'socket closed').toBe(0), WAIT);
    expect(client.resume()).toBe(false);
    await expect(client.start({ email: 'ann@example.com' })).rejects.toMatchObject({ code: 'network' });
  });
});
