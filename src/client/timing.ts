/**
 * The outbox's clock: how long a message on the wire may wait for its `ack`, and how
 * long the outbox pauses after a `rate_limited` refusal. The socket's own clock
 * (backoff, heartbeat, request timeouts) is the transport's, src/transport/backoff.ts.
 */

/** A message on the wire (the socket open) not acknowledged this long becomes `failed`. */
export const SEND_TIMEOUT_MS = 30_000;
/** After a `rate_limited` refusal the outbox waits this long, then sends the same message again. */
export const RATE_LIMIT_PAUSE_MS = 2_000;
