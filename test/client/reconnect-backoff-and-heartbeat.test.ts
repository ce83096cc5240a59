// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TIMINGS, backoffDelay } from '../../src/transport/backoff.js';
import { useVisitorRelay } from '../fake-relay/visitor-harness.js';

const env = useVisitorRelay();

/** Lets msw deliver frames and the client react, without moving the clock. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await vi.advanceTimersByTimeAsync(0);
};

describe('backoffDelay', () => {
  it('draws uniformly under a ceiling of 0.5 s doubling to 30 s', () => {
    expect(TIMINGS.maxDelayMs).toBe(30_000);
    const draw = (random: number) => ({ ...TIMINGS, random: () => random });
    expect([0, 1, 2, 3, 5, 6, 7, 20].map((a) => backoffDelay(a, draw(1)))).toEqual([500, 1000, 2000, 4000, 16000, 30000, 30000, 30000]);
    expect(backoffDelay(3, draw(0))).toBe(0);
    expect(backoffDelay(3, draw(0.25))).toBe(1000);
  });
});

describe('ChatClient reconnect', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] }));
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  async function startThenFailEveryResume() {
    const client = env.client();
    const started = client.start({ email: 'ann@example.com' });
    await settle();
    await started;
    const times: number[] = [];
    env.relay.intercept = (f, c) => {
      if (f.t !== 'resume') return false;
      times.push(Date.now());
      c.close(1001);
      return true;
    };
    return { client, times };
  }

  it('waits with exponential backoff and full jitter between attempts, capped at 30 s', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    const { client, times } = await startThenFailEveryResume();
    const t0 = Date.now();
    env.relay.open[0]!.close(1001);
    for (let i = 0; i < 8; i++) {
      const before = times.length;
      for (let ms = 0; ms < 31_000 && times.length === before; ms += 50) await vi.advanceTimersByTimeAsync(50);
    }
    const gaps = times.map((t, i) => t - (i ? times[i - 1]! : t0));
    const expected = [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000].map((ms) => ms * 0.999);
    // Each gap is the drawn delay, seen through the 50 ms steps of the fake clock.
    expect(gaps.map((g, i) => Math.abs(g - expected[i]!) <= 60)).toEqual(expected.map(() => true));
    expect(client.state.connection).toBe('reconnecting');
  });

  it('reconnects at once on the online event and when the page becomes visible', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    const { times } = await startThenFailEveryResume();
    env.relay.open[0]!.close(1001);
    // Burn through attempts until the wait is long.
    for (let i = 0; i < 6; i++) {
      const before = times.length;
      for (let ms = 0; ms < 31_000 && times.length === before; ms += 100) await vi.advanceTimersByTimeAsync(100);
    }
    const n = times.length;
    await vi.advanceTimersByTimeAsync(1000);
    expect(times.length).toBe(n); // the next attempt is ~30 s away
    globalThis.dispatchEvent(new Event('online'));
    await settle();
    expect(times.length).toBe(n + 1);
    document.dispatchEvent(new Event('visibilitychange'));
    await settle();
    expect(times.length).toBe(n + 2);
  });

  it('pings every 25 s and reconnects when no pong comes within 10 s', async () => {
    const client = env.client();
    const started = client.start({ email: 'ann@example.com' });
    await settle();
    await started;
    await vi.advanceTimersByTimeAsync(25_000);
    await settle();
    expect(env.relay.framesOf('ping')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(9_000);
    expect(client.state.connection).toBe('online'); // pong came back
    expect(env.relay.sockets).toHaveLength(1);

    env.relay.answerPings = false;
    await vi.advanceTimersByTimeAsync(16_000 + 9_000);
    expect(env.relay.framesOf('ping')).toHaveLength(2);
    expect(client.state.connection).toBe('online');
    vi.spyOn(Math, 'random').mockReturnValue(0);
    await vi.advanceTimersByTimeAsync(1_100);
    await settle();
    expect(env.relay.sockets).toHaveLength(2);
    expect(env.relay.framesOf('resume')).toHaveLength(1);
    expect(client.state.connection).toBe('online');
  });

  it('gives up on a socket that opens but gets no welcome within 10 s, and tries again', async () => {
    const { client } = await startThenFailEveryResume();
    env.relay.intercept = (f) => f.t === 'resume'; // accepted, never answered
    vi.spyOn(Math, 'random').mockReturnValue(0);
    env.relay.open[0]!.close(1001);
    await settle();
    expect(env.relay.framesOf('resume')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(9_900);
    expect(env.relay.framesOf('resume')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(200);
    await settle();
    expect(env.relay.framesOf('resume')).toHaveLength(2);
    expect(client.state.connection).toBe('reconnecting');
  });

  it('marks a message failed when it cannot be sent for 30 s, and retry sends it once', async () => {
    const client = env.client();
    const started = client.start({ email: 'ann@example.com' });
    await settle();
    await started;
    env.relay.intercept = (f) => f.t === 'send';
    const m = client.send('are you there?');
    await vi.advanceTimersByTimeAsync(29_000);
    expect(client.state.timeline[0]).toMatchObject({ message: { delivery: 'sending' } });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(client.state.timeline[0]).toMatchObject({ message: { delivery: 'failed', error: { code: 'timeout' } } });
    env.relay.intercept = () => false;
    client.retry(m.clientId);
    expect(client.state.timeline[0]).toMatchObject({ message: { delivery: 'sending' } });
    await settle();
    expect(client.state.timeline[0]).toMatchObject({ message: { delivery: 'sent', seq: 2 } });
    expect(env.relay.log.filter((e) => e.type === 'message')).toHaveLength(1);
  });
});
