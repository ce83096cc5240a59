/**
 * `RedisLimiter`: a sliding-window rate limit counted in Redis, so that a limit (per
 * address, per conversation) holds across every relay rather than once per relay.
 * Check-and-add is one Lua script, atomic across relays, timed by Redis's clock.
 */
import type { Redis } from 'ioredis';
import type { Limiter, LimiterFactory } from './limiter.js';
import type { Rate } from './rate-limit.js';

/** Options of `redisLimiters`. */
export interface RedisLimiterOptions {
  /** How long a hit waits for Redis before it is allowed anyway (default 250 ms). */
  timeoutMs?: number;
  /** Reports that Redis failed to answer (once per outage: the first failure after a success). */
  onError?: (err: unknown) => void;
}

/** Number of sub-buckets one window is split into. */
const BUCKETS = 10;

/** The name the script is defined under on the connection (`defineCommand`). */
const COMMAND = 'parleyRateHit';

/**
 * KEYS[1]: the key's hash (field = bucket start in ms, value = units in that bucket).
 * ARGV: count, windowMs, weight. Returns 1 when the hit is allowed (and counted), 0
 * when it would take the window past count (nothing counted).
 *
 * A bucket is counted while any part of it lies in the window (now - windowMs, now], so
 * a hit is forgotten between windowMs and windowMs + one bucket after it happened: the
 * limit is never looser than the exact sliding window, and at most a tenth stricter.
 */
const SCRIPT = `
if redis.replicate_commands then pcall(redis.replicate_commands) end
local count = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local weight = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local size = math.max(1, math.ceil(window / ${BUCKETS}))
local current = now - (now % size)
local from = now - window
local sum = 0
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  local start = tonumber(fields[i])
  if start == nil or start + size <= from then
    redis.call('HDEL', KEYS[1], fields[i])
  else
    sum = sum + tonumber(fields[i + 1])
  end
end
if sum + weight > count then
  return 0
end
if weight > 0 then
  redis.call('HINCRBY', KEYS[1], tostring(current), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window + size)
end
return 1
`;

/** The connection once the script is defined on it. */
interface WithRateHit {
  [COMMAND](key: string, count: number, windowMs: number, weight: number): Promise<unknown>;
}

function hasRateHit(redis: Redis): redis is Redis & WithRateHit {
  return typeof (redis as unknown as Record<string, unknown>)[COMMAND] === 'function';
}

/** Defines the script on `redis` (once) and returns it typed. */
function withRateHit(redis: Redis): Redis & WithRateHit {
  if (!hasRateHit(redis)) redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: SCRIPT });
  if (!hasRateHit(redis)) throw new Error('ioredis did not define the rate limit script');
  return redis;
}

/** Whether Redis is failing, shared by the limiters of one factory so that an outage is reported once. */
export class OutageReport {
  private failing = false;

  constructor(private readonly onError: (err: unknown) => void) {}

  ok(): void {
    this.failing = false;
  }

  failed(err: unknown): void {
    if (this.failing) return;
    this.failing = true;
    this.onError(err);
  }
}

/**
 * A sliding-window limit in Redis shared by every relay: at most `rate.count` units per
 * `rate.windowMs` for each key, kept in the hash `${prefix}:${name}:${key}`.
 */
export class RedisLimiter implements Limiter {
  private readonly redis: Redis & WithRateHit;
  private readonly prefix: string;
  private readonly timeoutMs: number;
  private readonly report: OutageReport;
  /** The window in whole milliseconds (Redis counts in ms). */
  private readonly windowMs: number;

  /**
   * @throws RangeError when `count` is not a positive integer or `windowMs` not positive.
   */
  constructor(
    redis: Redis,
    private readonly name: string,
    private readonly rate: Rate,
    options: RedisLimiterOptions & { prefix?: string; report?: OutageReport } = {},
  ) {
    if (!Number.isInteger(rate.count) || rate.count < 1) throw new RangeError('rate count must be a positive integer');
    if (!(rate.windowMs > 0) || !Number.isFinite(rate.windowMs)) throw new RangeError('rate windowMs must be positive');
    this.windowMs = Math.ceil(rate.windowMs);
    this.redis = withRateHit(redis);
    this.prefix = options.prefix ?? 'parley:rate';
    this.timeoutMs = options.timeoutMs ?? 250;
    this.report = options.report ?? new OutageReport(options.onError ?? (() => {}));
  }

  /**
   * Counts a hit of `weight` units (rounded up to a whole unit) for `key` when the window
   * has room, and says whether it had.
   *
   * Fails open: when Redis is away, does not answer within `timeoutMs`, or answers with
   * an error, the hit is allowed and the failure reported. A relay must keep serving
   * chats while Redis is briefly away; the abuse limits are best effort meanwhile, and a
   * hit never hangs or throws into the relay because of Redis. A check that was already
   * sent when the connection dropped may be sent again by ioredis after it reconnects,
   * and then counts late: harmless, it is a hit that did happen.
   */
  async hit(key: string, weight = 1): Promise<boolean> {
    const units = Number.isFinite(weight) && weight > 0 ? Math.ceil(weight) : 0;
    // Reconnecting: a command would only wait in the offline queue (and count late).
    if (this.redis.status === 'reconnecting' || this.redis.status === 'close' || this.redis.status === 'end') {
      this.report.failed(new Error(`Redis is unavailable (${this.redis.status}); rate limits are not enforced until it is back`));
      return true;
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.timeoutMs);
    });
    try {
      const answer = await Promise.race([
        this.redis[COMMAND](`${this.prefix}:${this.name}:${key}`, this.rate.count, this.windowMs, units),
        timedOut,
      ]);
      if (answer === 'timeout') {
        this.report.failed(new Error(`Redis did not answer a rate limit check within ${this.timeoutMs} ms; allowed`));
        return true;
      }
      this.report.ok();
      return answer === 1;
    } catch (err) {
      this.report.failed(err);
      return true;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Nothing to do: the keys expire in Redis. */
  sweep(): void {}
}

/**
 * The `LimiterFactory` of relays sharing Redis: each limit `name` counts in its own keys
 * under `prefix` (default `parley:rate`). Best given a connection of its own, so that a
 * slow check never waits behind other commands.
 */
export function redisLimiters(redis: Redis, prefix = 'parley:rate', options: RedisLimiterOptions = {}): LimiterFactory {
  const report = new OutageReport(options.onError ?? (() => {}));
  return (name, rate) => new RedisLimiter(redis, name, rate, { ...options, prefix, report });
}
