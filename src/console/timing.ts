/**
 * The console outbox's clock: how long an agent's reply on the wire may wait for its
 * answer before it shows as failed (to retry). The socket's own clock (backoff,
 * heartbeat, request timeouts) is the transport's, src/transport/backoff.ts; the
 * customer's outbox has the same limit in src/client/timing.ts.
 */

/** A reply on the wire (the socket open) not answered this long becomes `failed`. */
export const SEND_TIMEOUT_MS = 30_000;
