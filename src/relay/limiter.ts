/**
 * The `Limiter` interface: a rate limit by key (address, conversation) that the relay
 * asks before it takes a frame. `LocalLimiter` counts in this process; `RedisLimiter`
 * (limiter-redis.ts) counts in Redis so that a limit holds across every relay.
 */
import { RateLimiter, type Rate } from './rate-limit.js';

/** Says whether one more hit of `weight` units is allowed for `key`, and counts it when it is. */
export interface Limiter {
  hit(key: string, weight?: number): Promise<boolean>;
  /** Forgets quiet keys (a no-op where the counts expire by themselves). */
  sweep(): void;
}

/** Makes one `Limiter` per rate; the relay asks it for each of its limits. */
export type LimiterFactory = (name: string, rate: Rate) => Limiter;

/** A `Limiter` in this process's memory (one relay). */
export class LocalLimiter implements Limiter {
  private readonly counter: RateLimiter;

  constructor(rate: Rate, now?: () => number) {
    this.counter = new RateLimiter(rate, now);
  }

  async hit(key: string, weight = 1): Promise<boolean> {
    return this.counter.hit(key, weight);
  }

  sweep(): void {
    this.counter.sweep();
  }
}

/** Limiters in memory: the factory of a relay without Redis. */
export const localLimiters =
  (now?: () => number): LimiterFactory =>
  (_name, rate) =>
    new LocalLimiter(rate, now);
