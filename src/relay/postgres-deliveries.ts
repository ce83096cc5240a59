/**
 * The webhook deliveries table of `PostgresStore`, apart from its other queries: insert
 * (inside the append that caused them), claim (a lease for one attempt, `SKIP LOCKED`
 * so that relays claiming together take different ones) and settle.
 */
import type { PoolClient } from 'pg';
import { DELIVERY_COLUMNS, toDeliveries, type DeliveryRow } from './store-rows.js';
import type { DeliveryRecord, DeliveryResult, NewDelivery } from './store.js';

/** Stores new deliveries, due at once, on the append's connection and transaction. */
export async function insertDeliveries(c: PoolClient, deliveries: readonly NewDelivery[]): Promise<void> {
  await c.query(
    `INSERT INTO deliveries (id, type, conversation_id, created_at, next_at, after_seq, up_to_seq)
     SELECT i, t, c, a, a, f, u FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[]) AS d(i, t, c, a, f, u)`,
    [
      deliveries.map((d) => d.id),
      deliveries.map((d) => d.type),
      deliveries.map((d) => d.conversationId),
      deliveries.map((d) => d.createdAt),
      deliveries.map((d) => d.batch?.afterSeq ?? null),
      deliveries.map((d) => d.batch?.upToSeq ?? null),
    ],
  );
}

/** Leases the deliveries due at `now` to `owner`, counting an attempt each, oldest first. */
export async function claimDeliveries(c: PoolClient, owner: string, now: string, leaseUntil: string, limit: number): Promise<DeliveryRecord[]> {
  const r = await c.query<DeliveryRow>(
    `UPDATE deliveries SET lease_owner = $1, lease_until = $2, attempts = attempts + 1
     WHERE id IN (
       SELECT id FROM deliveries WHERE next_at IS NOT NULL AND next_at <= $3 AND (lease_until IS NULL OR lease_until <= $3)
       ORDER BY next_at, id LIMIT $4 FOR UPDATE SKIP LOCKED)
     RETURNING ${DELIVERY_COLUMNS}`,
    [owner, leaseUntil, now, limit],
  );
  return toDeliveries(r.rows);
}

/** Records an attempt's result, when `owner` still holds the lease. */
export async function settleDelivery(c: PoolClient, id: string, owner: string, result: DeliveryResult): Promise<void> {
  if (result.sent) {
    await c.query('UPDATE deliveries SET next_at = NULL, lease_owner = NULL, lease_until = NULL, sent_at = $1, last_error = NULL WHERE id = $2 AND lease_owner = $3', [
      result.at,
      id,
      owner,
    ]);
    return;
  }
  await c.query(
    `UPDATE deliveries SET next_at = $1, lease_owner = NULL, lease_until = NULL, last_error = $2,
       failed_at = CASE WHEN $1::text IS NULL THEN $3 END
     WHERE id = $4 AND lease_owner = $5`,
    [result.retryAt, result.error, result.at, id, owner],
  );
}
