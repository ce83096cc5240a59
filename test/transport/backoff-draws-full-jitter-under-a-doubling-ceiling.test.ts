import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay } from '../../src/transport/index.js';
import { makeSocket } from './harness.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** The delays between drops and the next socket, with the socket never welcomed. */
async function gaps(random: () => number, n: number): Promise<number[]> {
  const s = makeSocket({ random });
  s.t.open();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = Date.now();
    const count = s.sockets.length;
    s.last().drop();
    while (s.sockets.length === count) await vi.advanceTimersByTimeAsync(10);
    out.push(Date.now() - start);
  }
  return out;
}

describe('backoff', () => {
  it('draws uniformly between 0 and min(max, min × 2^attempt)', () => {
    const o = { minDelayMs: 500, maxDelayMs: 30_000 };
    expect([0, 1, 2, 3, 5, 6, 20].map((a) => backoffDelay(a, { ...o, random: () => 1 }))).toEqual([500, 1000, 2000, 4000, 16000, 30000, 30000]);
    expect(backoffDelay(4, { ...o, random: () => 0 })).toBe(0);
    expect(backoffDelay(2, { ...o, random: () => 0.25 })).toBe(500);
  });

  it('waits the drawn delay before each attempt, from the injected randomness, up to the ceiling', async () => {
    // Ceilings 100, 200, 400, 800, 1000, 1000; the clock steps by 10 ms.
    expect(await gaps(() => 1, 6)).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(await gaps(() => 0.5, 6)).toEqual([50, 100, 200, 400, 500, 500]);
  });

  it('starts again from the first ceiling once a socket was welcomed', async () => {
    const s = makeSocket();
    s.t.open();
    for (let i = 0; i < 3; i++) {
      s.last().drop();
      await vi.advanceTimersByTimeAsync(1000);
    }
    s.welcomed();
    s.last().drop();
    const count = s.sockets.length;
    await vi.advanceTimersByTimeAsync(99);
    expect(s.sockets).toHaveLength(count);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.sockets).toHaveLength(count + 1);
  });
});
