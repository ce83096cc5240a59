/**
 * The client's clock rules in one place: reconnect backoff with full jitter, the
 * heartbeat, and how long a message may stay unsent. Pure numbers and one pure function.
 */

/** First reconnect delay ceiling; it doubles per attempt. */
export const BACKOFF_BASE_MS = 500;
/** Largest reconnect delay ceiling. */
export const BACKOFF_MAX_MS = 30_000;
/** A `ping` goes out this often while connected. */
export const PING_INTERVAL_MS = 25_000;
/** Without a `pong` this long after a `ping`, the socket counts as dead. */
export const PONG_TIMEOUT_MS = 10_000;
/** A message not acknowledged this long after `send` (or `retry`) becomes `failed`. */
export const SEND_TIMEOUT_MS = 30_000;

/**
 * The delay before reconnect attempt `attempt` (0 first): "full jitter", a uniform
 * draw between 0 and min(30 s, 0.5 s × 2^attempt), so that many clients dropped at once
 * do not come back at once.
 */
export const backoffDelay = (attempt: number, random: () => number = Math.random): number =>
  random() * Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
