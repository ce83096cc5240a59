/**
 * A sliding-window counter per key (conversation id, address): at most `count` hits
 * (or, with weights, `count` units such as bytes) in any `windowMs`. Each key keeps
 * its hits in time order with a running sum, so a hit costs O(1) however busy the key
 * (one address may send thousands of messages a second). Keys with no recent hits are
 * forgotten by `sweep`, so the map does not grow with every address ever seen.
 */

/** How many hits are allowed per window. */
export interface Rate {
  count: number;
  windowMs: number;
}

/** One key's hits, oldest first from `head`, and the sum of their weights. */
interface Window {
  times: number[];
  weights: number[];
  head: number;
  sum: number;
}

/** Counts hits per key; `hit` says whether one more is allowed (and records it when it is). */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  /**
   * @throws RangeError when `count` is not a positive integer or `windowMs` not positive.
   */
  constructor(
    private readonly rate: Rate,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(rate.count) || rate.count < 1) throw new RangeError('rate count must be a positive integer');
    if (!(rate.windowMs > 0)) throw new RangeError('rate windowMs must be positive');
  }

  /**
   * Records a hit of `weight` units for `key` and returns true, or returns false (and
   * records nothing) when it would take the window past `count`.
   */
  hit(key: string, weight = 1): boolean {
    const t = this.now();
    let w = this.windows.get(key);
    if (!w) this.windows.set(key, (w = { times: [], weights: [], head: 0, sum: 0 }));
    this.expire(w, t);
    if (w.sum + weight > this.rate.count) return false;
    w.times.push(t);
    w.weights.push(weight);
    w.sum += weight;
    return true;
  }

  /** Forgets keys whose hits are all older than the window. */
  sweep(): void {
    const t = this.now();
    for (const [k, w] of this.windows) {
      this.expire(w, t);
      if (w.head === w.times.length) this.windows.delete(k);
    }
  }

  /** Drops hits that left the window; compacts the arrays once half of them is dead. */
  private expire(w: Window, t: number): void {
    const from = t - this.rate.windowMs;
    while (w.head < w.times.length && w.times[w.head]! <= from) w.sum -= w.weights[w.head++]!;
    if (w.head > 64 && w.head * 2 > w.times.length) {
      w.times = w.times.slice(w.head);
      w.weights = w.weights.slice(w.head);
      w.head = 0;
    }
  }
}
