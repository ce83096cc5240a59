/**
 * A sliding-window counter per key (conversation id, IP address): at most `count`
 * hits in any `windowMs`. Keys with no recent hits are forgotten by `sweep`, so the
 * map does not grow with every address ever seen.
 */

/** How many hits are allowed per window. */
export interface Rate {
  count: number;
  windowMs: number;
}

/** Counts hits per key; `hit` says whether one more is allowed (and records it when it is). */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

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

  /** Records a hit for `key` and returns true, or returns false when the window is full. */
  hit(key: string): boolean {
    const t = this.now();
    const list = (this.hits.get(key) ?? []).filter((h) => h > t - this.rate.windowMs);
    if (list.length >= this.rate.count) {
      this.hits.set(key, list);
      return false;
    }
    list.push(t);
    this.hits.set(key, list);
    return true;
  }

  /** Forgets keys whose hits are all older than the window. */
  sweep(): void {
    const t = this.now();
    for (const [k, list] of this.hits) if (!list.some((h) => h > t - this.rate.windowMs)) this.hits.delete(k);
  }
}
