/**
 * Two relays on one Redis: what one publishes on the `RedisBus` reaches its own
 * listeners as `local` and the other's as `remote`, once each and in order, and the
 * bus comes back after Redis restarts and says so.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Redis } from 'ioredis';
import { RedisBus } from '../../src/relay/bus-redis.js';
import type { BusMessage, Origin } from '../../src/relay/bus.js';
import { startRedis, type TestRedis } from './redis-server.js';

type Heard = { message: BusMessage; origin: Origin }[];

const queue = (position: number, conversationId = 'c1'): BusMessage => ({ kind: 'queue', conversationId, position });

/** Records what a bus delivers. */
function listen(bus: RedisBus): Heard {
  const heard: Heard = [];
  bus.subscribe((message, origin) => heard.push({ message, origin }));
  return heard;
}

/** How long `vi.waitFor` waits for the bus, looking every 5 ms. */
const WAIT = { timeout: 5000, interval: 5 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let redis: TestRedis;
const opened: RedisBus[] = [];
let channelNo = 0;

/** Two relays' buses on a channel of their own. */
async function pair(server = redis, extra: Parameters<typeof RedisBus.open>[1] = {}) {
  const channel = `test:bus:${++channelNo}`;
  const errors: unknown[] = [];
  const a = await RedisBus.open(server.url, { channel, onError: (e) => errors.push(e), ...extra });
  const b = await RedisBus.open(server.url, { channel, onError: (e) => errors.push(e), ...extra });
  opened.push(a, b);
  return { a, b, channel, errors };
}

beforeAll(async () => {
  redis = await startRedis();
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((bus) => bus.close()));
});

afterAll(async () => {
  await redis?.stop();
});

describe('RedisBus', () => {
  it('gives each relay a random id and says it is shared', async () => {
    const { a, b } = await pair();
    expect(a.shared).toBe(true);
    expect(a.relayId).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.relayId).not.toBe(b.relayId);
  });

  it('delivers to this relay as local and to the other as remote, once each, in order', async () => {
    const { a, b, errors } = await pair();
    const onA = listen(a);
    const onB = listen(b);
    const n = 500;
    for (let i = 0; i < n; i++) a.publish(queue(i));
    expect(onA).toHaveLength(0); // never in the same turn as publish
    await vi.waitFor(() => {
      expect(onB.length).toBeGreaterThanOrEqual(n);
      expect(onA.length).toBeGreaterThanOrEqual(n);
    }, WAIT);
    await sleep(100); // nothing more comes: own messages are not heard twice
    expect(onA.map((h) => h.origin)).toEqual(Array(n).fill('local'));
    expect(onB.map((h) => h.origin)).toEqual(Array(n).fill('remote'));
    const positions = (heard: Heard) => heard.map((h) => (h.message.kind === 'queue' ? h.message.position : -1));
    const expected = Array.from({ length: n }, (_, i) => i);
    expect(positions(onA)).toEqual(expected);
    expect(positions(onB)).toEqual(expected);
    expect(onB[0]!.message).toEqual(queue(0));
    expect(errors).toEqual([]);
  });

  it('carries both ways at once, each side in its publisher order', async () => {
    const { a, b } = await pair();
    const onA = listen(a);
    const onB = listen(b);
    for (let i = 0; i < 100; i++) {
      a.publish(queue(i, 'from-a'));
      b.publish(queue(i, 'from-b'));
    }
    await vi.waitFor(() => {
      expect(onA.length).toBeGreaterThanOrEqual(200);
      expect(onB.length).toBeGreaterThanOrEqual(200);
    }, WAIT);
    await sleep(50);
    expect(onA).toHaveLength(200);
    expect(onB).toHaveLength(200);
    const seq = (heard: Heard, from: string, origin: Origin) =>
      heard.filter((h) => h.message.kind === 'queue' && h.message.conversationId === from && h.origin === origin)
        .map((h) => (h.message.kind === 'queue' ? h.message.position : -1));
    const expected = Array.from({ length: 100 }, (_, i) => i);
    expect(seq(onA, 'from-a', 'local')).toEqual(expected);
    expect(seq(onA, 'from-b', 'remote')).toEqual(expected);
    expect(seq(onB, 'from-b', 'local')).toEqual(expected);
    expect(seq(onB, 'from-a', 'remote')).toEqual(expected);
  });

  it('keeps onlyHere messages in the relay that published them', async () => {
    const { a, b } = await pair();
    const onA = listen(a);
    const onB = listen(b);
    a.publish(queue(1), true);
    a.publish(queue(2));
    await vi.waitFor(() => {
      expect(onB.length).toBeGreaterThanOrEqual(1);
      expect(onA.length).toBeGreaterThanOrEqual(2);
    }, WAIT);
    await sleep(50);
    expect(onA.map((h) => [h.origin, h.message])).toEqual([
      ['local', queue(1)],
      ['local', queue(2)],
    ]);
    expect(onB.map((h) => [h.origin, h.message])).toEqual([['remote', queue(2)]]);
  });

  it('reports and skips what it cannot read, and goes on', async () => {
    const { a, b, channel, errors } = await pair();
    const onB = listen(b);
    const raw = new Redis(redis.url);
    try {
      await raw.publish(channel, 'not json');
      await raw.publish(channel, JSON.stringify({ from: 'x' }));
      await raw.publish(channel, JSON.stringify({ from: 'x', message: { kind: 'nonsense' } }));
      a.publish(queue(7));
      await vi.waitFor(() => expect(onB.length).toBeGreaterThanOrEqual(1), WAIT);
      expect(onB).toEqual([{ message: queue(7), origin: 'remote' }]);
      expect(errors).toHaveLength(6); // three bad messages, each reported by both relays
      expect(errors.every((e) => e instanceof Error)).toBe(true);
    } finally {
      raw.disconnect();
    }
  });

  it('a listener that throws is reported and the others still hear', async () => {
    const { a, b, errors } = await pair();
    b.subscribe(() => {
      throw new Error('listener broke');
    });
    const onB = listen(b);
    a.publish(queue(1));
    await vi.waitFor(() => expect(onB.length).toBeGreaterThanOrEqual(1), WAIT);
    expect(errors).toEqual([new Error('listener broke')]);
  });

  it('close is idempotent, and after it publish does nothing', async () => {
    const { a, b } = await pair();
    const onA = listen(a);
    const onB = listen(b);
    const first = a.close();
    expect(a.close()).toBe(first);
    await Promise.all([first, a.close()]);
    a.publish(queue(1));
    b.publish(queue(2));
    await vi.waitFor(() => expect(onB.length).toBeGreaterThanOrEqual(1), WAIT);
    await sleep(50);
    expect(onA).toEqual([]);
    expect(onB).toEqual([{ message: queue(2), origin: 'local' }]);
    await b.close();
    await b.close();
  });

  it('comes back after Redis restarts, says so, and carries messages again', async () => {
    const own = await startRedis();
    try {
      let reconnectsA = 0;
      let reconnectsB = 0;
      const lines: string[] = [];
      const channel = `test:bus:${++channelNo}`;
      const a = await RedisBus.open(own.url, { channel, onReconnect: () => reconnectsA++, log: (l) => lines.push(l) });
      const b = await RedisBus.open(own.url, { channel, onReconnect: () => reconnectsB++ });
      opened.push(a, b);
      const onB = listen(b);
      a.publish(queue(1));
      await vi.waitFor(() => expect(onB.length).toBeGreaterThanOrEqual(1), WAIT);

      await own.restart();
      a.publish(queue(2)); // best effort while the connection is down: must not throw
      await vi.waitFor(() => expect([reconnectsA, reconnectsB]).toEqual([1, 1]), { ...WAIT, timeout: 15_000 });
      expect(lines.some((l) => l.includes('lost'))).toBe(true);
      expect(lines.some((l) => l.includes('restored'))).toBe(true);

      a.publish(queue(3));
      b.publish(queue(4));
      const onA = listen(a);
      await vi.waitFor(() => expect(onB).toContainEqual({ message: queue(3), origin: 'remote' }), WAIT);
      await vi.waitFor(() => expect(onA).toContainEqual({ message: queue(4), origin: 'remote' }), WAIT);
      expect(reconnectsA).toBe(1);
      expect(reconnectsB).toBe(1);
    } finally {
      await Promise.all(opened.splice(0).map((bus) => bus.close()));
      await own.stop();
    }
  }, 30_000);

  it('closes at once while Redis is away', async () => {
    const own = await startRedis();
    const a = await RedisBus.open(own.url, { channel: 'test:bus:away' });
    await own.stop();
    a.publish(queue(1)); // waits in the offline queue; dropped by close
    const started = Date.now();
    await a.close();
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('open fails when Redis does not answer in time', async () => {
    const own = await startRedis();
    await own.stop();
    await expect(RedisBus.open(own.url, { openTimeoutMs: 300 })).rejects.toThrow(/did not confirm/);
  });
});
