/**
 * A sliding-window counter per key (conversation id, address): at most `count` hits
 * (or, with weights, `count` units such as bytes) in any `windowMs`. Keys with no
 * recent hits are forgotten by `sweep`, so the map does not grow with every address
 * ever seen.
 */

/** How many hits are allowed per window. */
export interface Rate {
  count: number;
  windowMs: number;
}

interface Hit {
  t: number;
  weight: number;
}

/** Counts hits per key; `hit` says whether one more is allowed (and records it when it is). */
export class RateLimiter {
  private readonly hits = new Map<string, Hit[]>();

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
    const list = (this.hits.get(key) ?? []).filter((h) => h.t > t - this.rate.windowMs);
    const used = list.reduce((sum, h) => sum + h.weight, 0);
    if (used + weight > this.rate.count) {
      if (list.length) this.hits.set(key, list);
      else this.hits.delete(key);
      return false;
    }
    list.push({ t, weight });
    this.hits.set(key, list);
    return true;
  }

  /** Forgets keys whose hits are all older than the window. */
  sweep(): void {
    const t = this.now();
    for (const [k, list] of this.hits) if (!list.some((h) => h.t > t - this.rate.windowMs)) this.hits.delete(k);
  }
}
