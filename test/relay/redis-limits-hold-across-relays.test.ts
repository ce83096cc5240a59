/**
 * Rate limits counted in Redis hold across relays: two relays (two connections, two
 * factories) share one budget per key, weights count, the window slides by Redis's
 * clock, and a relay keeps serving (fails open) when Redis is away.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Redis } from 'ioredis';
import { RedisLimiter, redisLimiters } from '../../src/relay/limiter-redis.js';
import type { LimiterFactory } from '../../src/relay/limiter.js';
import { startRedis, type TestRedis } from './redis-server.js';

let redis: TestRedis;
let connA: Redis;
let connB: Redis;
let relayA: LimiterFactory;
let relayB: LimiterFactory;
let keyNo = 0;
const freshKey = () => `203.0.113.${++keyNo}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The owner of a connection handles its errors; here, connection errors are expected. */
const quiet = (conn: Redis): Redis => conn.on('error', () => {});

beforeAll(async () => {
  redis = await startRedis();
  connA = quiet(new Redis(redis.url));
  connB = quiet(new Redis(redis.url));
  relayA = redisLimiters(connA);
  relayB = redisLimiters(connB);
});

afterAll(async () => {
  connA?.disconnect();
  connB?.disconnect();
  await redis?.stop();
});

describe('RedisLimiter', () => {
  it('two relays share one budget per key', async () => {
    const rate = { count: 5, windowMs: 1000 };
    const a = relayA('hello', rate);
    const b = relayB('hello', rate);
    const key = freshKey();
    const answers = await Promise.all([a.hit(key), b.hit(key), a.hit(key), b.hit(key), a.hit(key), b.hit(key)]);
    expect(answers.filter(Boolean)).toHaveLength(5);
    expect(await a.hit(key)).toBe(false);
    expect(await b.hit(key)).toBe(false);
  });

  it('counts weights, and records nothing it refuses', async () => {
    const rate = { count: 100, windowMs: 5000 };
    const a = relayA('bytes', rate);
    const b = relayB('bytes', rate);
    const key = freshKey();
    expect(await a.hit(key, 60)).toBe(true);
    expect(await b.hit(key, 50)).toBe(false); // 110 > 100
    expect(await b.hit(key, 40)).toBe(true); // exactly 100
    expect(await a.hit(key, 1)).toBe(false);
    expect(await a.hit(key, 0)).toBe(true);
    expect(await a.hit(freshKey(), 101)).toBe(false); // more than a whole window
  });

  it('gives the budget back once the window has passed', async () => {
    const rate = { count: 2, windowMs: 500 };
    const a = relayA('short', rate);
    const b = relayB('short', rate);
    const key = freshKey();
    expect(await a.hit(key)).toBe(true);
    expect(await b.hit(key)).toBe(true);
    expect(await a.hit(key)).toBe(false);
    await sleep(650); // a window plus one sub-bucket, and some slack
    expect(await b.hit(key)).toBe(true);
    expect(await a.hit(key)).toBe(true);
    expect(await b.hit(key)).toBe(false);
  });

  it('slides: hits leave the window one by one', async () => {
    const rate = { count: 2, windowMs: 600 };
    const a = relayA('slide', rate);
    const key = freshKey();
    expect(await a.hit(key)).toBe(true);
    await sleep(350);
    expect(await a.hit(key)).toBe(true);
    expect(await a.hit(key)).toBe(false);
    await sleep(350); // the first hit has left, the second has not
    expect(await a.hit(key)).toBe(true);
    expect(await a.hit(key)).toBe(false);
  });

  it('keeps keys and limit names apart, and lets the keys expire', async () => {
    const rate = { count: 1, windowMs: 1000 };
    const key = freshKey();
    const other = freshKey();
    expect(await relayA('k', rate).hit(key)).toBe(true);
    expect(await relayB('k', rate).hit(key)).toBe(false);
    expect(await relayB('k', rate).hit(other)).toBe(true);
    expect(await relayB('other-limit', rate).hit(key)).toBe(true);
    const ttl = await connA.pttl(`parley:rate:k:${key}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1100);
    relayA('k', rate).sweep(); // a no-op
  });

  it('uses the prefix it is given', async () => {
    const key = freshKey();
    const limiter = redisLimiters(connA, 'custom:prefix')('n', { count: 3, windowMs: 1000 });
    expect(await limiter.hit(key, 2)).toBe(true);
    expect(await connB.hget(`custom:prefix:n:${key}`, (await connB.hkeys(`custom:prefix:n:${key}`))[0]!)).toBe('2');
  });

  it('refuses a count that is not a positive integer and a window that is not positive', () => {
    expect(() => relayA('bad', { count: 0, windowMs: 1000 })).toThrow(RangeError);
    expect(() => relayA('bad', { count: 1, windowMs: 0 })).toThrow(RangeError);
    expect(() => new RedisLimiter(connA, 'bad', { count: 1.5, windowMs: 10 })).toThrow(RangeError);
    expect(() => new RedisLimiter(connA, 'fine', { count: 1, windowMs: 0.5 })).not.toThrow();
  });

  it('fails open, soon and once reported, while Redis is away; counts again when it is back', async () => {
    const own = await startRedis();
    const conn = quiet(new Redis(own.url));
    const errors: unknown[] = [];
    try {
      const limiter = redisLimiters(conn, undefined, { timeoutMs: 200, onError: (e) => errors.push(e) })('hello', {
        count: 1,
        windowMs: 10_000,
      });
      const key = freshKey();
      expect(await limiter.hit(key)).toBe(true);
      expect(await limiter.hit(key)).toBe(false);

      await own.stop();
      for (let i = 0; i < 5; i++) {
        const started = Date.now();
        expect(await limiter.hit(key)).toBe(true);
        expect(Date.now() - started).toBeLessThan(1000); // the 200 ms timeout, with slack for a busy machine
      }
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(Error);

      await own.restart(); // a new, empty Redis: the script must be loaded again
      await vi.waitFor(() => expect(conn.status, 'the connection to the restarted Redis').toBe('ready'), { timeout: 10_000, interval: 20 });
      // A fresh key: a check sent just as the connection dropped may be sent again and counted.
      const after = freshKey();
      expect(await limiter.hit(after)).toBe(true);
      expect(await limiter.hit(after)).toBe(false);
    } finally {
      conn.disconnect();
      await own.stop();
    }
  }, 20_000);

  it('fails open within the timeout when Redis does not answer', async () => {
    const own = await startRedis();
    const conn = quiet(new Redis(own.url));
    const errors: unknown[] = [];
    try {
      const limiter = redisLimiters(conn, undefined, { timeoutMs: 150, onError: (e) => errors.push(e) })('hello', {
        count: 1,
        windowMs: 1000,
      });
      await limiter.hit(freshKey());
      // Redis stops answering while the connection stays up.
      await conn.call('CLIENT', 'PAUSE', '1000', 'ALL');
      const started = Date.now();
      expect(await limiter.hit(freshKey())).toBe(true);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(String(errors[0])).toMatch(/did not answer/);
    } finally {
      conn.disconnect();
      await own.stop();
    }
  });
});
