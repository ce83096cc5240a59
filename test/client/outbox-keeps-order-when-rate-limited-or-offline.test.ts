// @vitest-environment happy-dom
/**
 * The outbox sends one message at a time, in the order typed: a message the relay asks
 * to slow down (`rate_limited`) waits and goes again first; messages typed while the
 * browser is offline wait as `queued` however long it takes, and go in order once back.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatClient } from '../../src/client/index.js';
import { useVisitorRelay, WAIT } from '../fake-relay/visitor-harness.js';

const env = useVisitorRelay();

/** Lets msw deliver frames and the client react, without moving the clock. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await vi.advanceTimersByTimeAsync(0);
};
const deliveries = (c: ChatClient) => c.state.timeline.flatMap((i) => (i.kind === 'message' ? [i.message.delivery] : []));
const logged = () => env.relay.log.flatMap((e) => (e.type === 'message' ? [e.text] : []));

async function started() {
  const client = env.client();
  const p = client.start({ email: 'ann@example.com' });
  await settle();
  await p;
  return client;
}

describe('ChatClient outbox order', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] }));
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('puts one message on the wire at a time: the next goes once the relay acknowledged the one before', async () => {
    const client = await started();
    const held: { id?: string; clientId: string; text: string }[] = [];
    env.relay.intercept = (f) => f.t === 'send' && held.push(f) > 0;
    const a = client.send('one');
    client.send('two');
    await settle();
    expect(env.relay.framesOf('send').map((f) => f.text)).toEqual(['one']);
    expect(deliveries(client)).toEqual(['sending', 'queued']);
    // The relay takes the first: the second goes only now.
    env.relay.intercept = () => false;
    const sock = env.relay.open[0]!;
    const seq = env.relay.logUnheard('one', a.clientId);
    env.relay.push(sock, { t: 'ack', id: held[0]!.id, clientId: a.clientId, seq });
    await vi.waitFor(() => expect(logged(), 'both logged').toEqual(['one', 'two']), WAIT);
    expect(env.relay.framesOf('send').map((f) => f.text)).toEqual(['one', 'two']);
  });

  it('pauses a message refused rate_limited and sends it again before the ones typed after it; none fails', async () => {
    const client = await started();
    let refusals = 1;
    env.relay.intercept = (f, c) => {
      if (f.t !== 'send' || refusals-- <= 0) return false;
      env.relay.push(c, { t: 'error', id: f.id, code: 'rate_limited', message: 'slow down' });
      return true;
    };
    const errors: string[] = [];
    client.addEventListener('error', (e) => errors.push(e.detail.code));
    const a = client.send('one');
    const b = client.send('two');
    const c = client.send('three');
    await settle();
    expect(deliveries(client)).toEqual(['queued', 'queued', 'queued']);
    expect(env.relay.framesOf('send').map((f) => f.clientId)).toEqual([a.clientId]);
    await vi.advanceTimersByTimeAsync(1_900);
    expect(env.relay.framesOf('send')).toHaveLength(1); // still pausing
    await vi.waitFor(() => expect(deliveries(client), 'all sent').toEqual(['sent', 'sent', 'sent']), WAIT);
    expect(env.relay.framesOf('send').map((f) => f.clientId)).toEqual([a.clientId, a.clientId, b.clientId, c.clientId]);
    expect(logged()).toEqual(['one', 'two', 'three']);
    expect(errors).toEqual([]);
    expect(client.state.error).toBeNull();
  });

  it('holds messages typed while the browser is offline as queued past 30 s, and sends them in order once online', async () => {
    const client = await started();
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    // Offline: the socket is dropped at once, and every reconnect fails until the network is back.
    let online = false;
    env.relay.intercept = (f, c) => {
      if (online || f.t !== 'resume') return false;
      c.close(1006);
      return true;
    };
    globalThis.dispatchEvent(new Event('offline'));
    await settle();
    expect(env.relay.open).toHaveLength(0);
    expect(client.state.connection).toBe('reconnecting');
    const a = client.send('typed offline');
    const b = client.send('and another');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(deliveries(client)).toEqual(['queued', 'queued']);
    expect(env.relay.framesOf('send')).toHaveLength(0);

    online = true;
    const attempts = env.relay.framesOf('resume').length;
    globalThis.dispatchEvent(new Event('online'));
    await vi.waitFor(() => expect(deliveries(client), 'sent').toEqual(['sent', 'sent']), WAIT);
    expect(env.relay.framesOf('resume')).toHaveLength(attempts + 1); // at once, not after the backoff
    expect(env.relay.framesOf('send').map((f) => f.clientId)).toEqual([a.clientId, b.clientId]);
    expect(logged()).toEqual(['typed offline', 'and another']);
  });
});

describe('ChatClient requests', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] }));
  afterEach(() => vi.useRealTimers());

  it('end() rejects with timeout when the relay does not answer within 15 s, instead of waiting forever', async () => {
    const client = await started();
    env.relay.intercept = (f) => f.t === 'end';
    let outcome: unknown;
    client.end().then(
      () => (outcome = 'resolved'),
      (e: unknown) => (outcome = e),
    );
    await vi.advanceTimersByTimeAsync(14_900);
    expect(outcome).toBeUndefined();
    await vi.advanceTimersByTimeAsync(200);
    expect(outcome).toMatchObject({ code: 'timeout', name: 'ParleyError' });
    expect(outcome).toBeInstanceOf(Error);
  });
});
