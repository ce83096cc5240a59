/**
 * The transport's clock in one place: its default timings, the reconnect delay
 * (exponential backoff with full jitter) and how long both outboxes let a message wait
 * for its answer. Pure numbers and one pure function.
 */

/** The timings of a `ReconnectingSocket`, each in ms. */
export interface Timings {
  /** First reconnect delay ceiling; it doubles per attempt up to `maxDelayMs`. Default 500. */
  minDelayMs: number;
  /** Largest reconnect delay ceiling. Default 30,000. */
  maxDelayMs: number;
  /** A `ping` goes out this often while open. Default 25,000. */
  pingIntervalMs: number;
  /**
   * Without any frame this long after a `ping`, or without a welcome this long after the
   * socket opened, the socket counts as dead. Default 10,000.
   */
  pongTimeoutMs: number;
  /** How long a request waits for its reply unless the caller says otherwise. Default 15,000. */
  requestTimeoutMs: number;
}

/**
 * How long a message on the wire (the socket open) may wait for its answer before it
 * shows as failed, for the customer's outbox and the agent's alike (docs/protocol.md,
 * "How Parley's clients behave"): both pass it to `call()` for their sends.
 */
export const SEND_TIMEOUT_MS = 30_000;

export const TIMINGS: Timings = {
  minDelayMs: 500,
  maxDelayMs: 30_000,
  pingIntervalMs: 25_000,
  pongTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
};

/**
 * The delay before reconnect attempt `attempt` (0 first): "full jitter", a uniform draw
 * between 0 and min(`maxDelayMs`, `minDelayMs` × 2^attempt), so that the many clients a
 * relay restart drops at once do not all come back at once.
 */
export const backoffDelay = (attempt: number, o: Pick<Timings, 'minDelayMs' | 'maxDelayMs'> & { random: () => number }): number =>
  o.random() * Math.min(o.maxDelayMs, o.minDelayMs * 2 ** attempt);
