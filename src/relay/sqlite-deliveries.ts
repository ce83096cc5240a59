/**
 * The webhook deliveries table of `SqliteStore`, apart from its other queries: insert
 * (inside the append that caused them), claim (a lease for one attempt) and settle.
 * Each function runs inside the store's open transaction; the store decides when.
 */
import type { Prepare } from './sqlite-prepare.js';
import { DELIVERY_COLUMNS, toDeliveries, type DeliveryRow } from './store-rows.js';
import type { DeliveryRecord, DeliveryResult, NewDelivery } from './store.js';

/** Stores new deliveries, due at once. */
export function insertDeliveries(sql: Prepare, deliveries: readonly NewDelivery[]): void {
  const insert = sql('INSERT INTO deliveries (id, type, conversation_id, created_at, next_at, after_seq, up_to_seq) VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (const d of deliveries) insert.run(d.id, d.type, d.conversationId, d.createdAt, d.createdAt, d.batch?.afterSeq ?? null, d.batch?.upToSeq ?? null);
}

/**
 * Leases the deliveries due at `now` to `owner`, oldest due first, counting an attempt
 * each. A SQLite file has one relay: a lease held by another owner is that of a relay
 * that stopped (or was killed) mid-attempt, and is taken over at once.
 */
export function claimDeliveries(sql: Prepare, owner: string, now: string, leaseUntil: string, limit: number): DeliveryRecord[] {
  const rows = sql(
    `UPDATE deliveries SET lease_owner = ?, lease_until = ?, attempts = attempts + 1
     WHERE id IN (
       SELECT id FROM deliveries WHERE next_at IS NOT NULL AND next_at <= ? AND (lease_until IS NULL OR lease_until <= ? OR lease_owner <> ?)
       ORDER BY next_at, id LIMIT ?)
     RETURNING ${DELIVERY_COLUMNS}`,
  ).all(owner, leaseUntil, now, now, owner, limit) as DeliveryRow[];
  return toDeliveries(rows);
}

/** Records an attempt's result, when `owner` still holds the lease. */
export function settleDelivery(sql: Prepare, id: string, owner: string, result: DeliveryResult): void {
  if (result.sent) {
    sql('UPDATE deliveries SET next_at = NULL, lease_owner = NULL, lease_until = NULL, sent_at = ?, last_error = NULL WHERE id = ? AND lease_owner = ?').run(
      result.at,
      id,
      owner,
    );
    return;
  }
  sql(
    `UPDATE deliveries SET next_at = ?, lease_owner = NULL, lease_until = NULL, last_error = ?,
       failed_at = CASE WHEN ? IS NULL THEN ? END
     WHERE id = ? AND lease_owner = ?`,
  ).run(result.retryAt, result.error, result.retryAt, result.at, id, owner);
}
