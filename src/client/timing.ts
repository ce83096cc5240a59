/**
 * The customer's outbox's own clock: how long it pauses after a `rate_limited` refusal.
 * How long a message on the wire may wait for its `ack` is shared with the console's
 * outbox, and the socket's clock (backoff, heartbeat, request timeouts) is the
 * transport's: both in src/transport/backoff.ts.
 */
/** After a `rate_limited` refusal the outbox waits this long, then sends the same message again. */
export const RATE_LIMIT_PAUSE_MS = 2_000;
