/**
 * The PostgreSQL store's queries for the customer's read mark and `message.unseen`
 * (`unseen-sql.ts` says what `unseen_since` holds). Writes run on the group's
 * connection, with the conversation's row locked, so that of several relays finding
 * the same unseen messages only one records a delivery.
 */
import type { PoolClient } from 'pg';
import { insertDeliveries } from './postgres-deliveries.js';
import type { NewDelivery, UnseenRecord } from './store.js';
import { firstUnseenAt } from './unseen-sql.js';

/** Raises the customer's read mark to `seq` and moves `unseen_since` past what they read. */
export async function setVisitorReadSeq(c: PoolClient, id: string, seq: number): Promise<void> {
  await c.query(
    `UPDATE conversations SET visitor_read_seq = $2, unseen_since = ${firstUnseenAt('postgres', 'GREATEST($2, unseen_notified_seq)')}
     WHERE id = $1 AND visitor_read_seq < $2`,
    [id, seq],
  );
}

/** Conversations whose oldest unseen agent message was logged from $1 to $2, oldest first, at most $3 (`toUnseen`). */
export const LIST_UNSEEN = `SELECT id, visitor_read_seq, unseen_notified_seq FROM conversations
  WHERE unseen_since >= $1 AND unseen_since <= $2 ORDER BY unseen_since, id LIMIT $3`;

export interface UnseenRow {
  id: string;
  visitor_read_seq: number;
  unseen_notified_seq: number;
}
export const toUnseen = (r: UnseenRow): UnseenRecord => ({ id: r.id, visitorReadSeq: r.visitor_read_seq, notifiedSeq: r.unseen_notified_seq });

/**
 * Marks the agent messages up to `upToSeq` told of and stores `delivery` (none: passed
 * over), if the row is still as `seen` read it; false when it was not (another relay
 * recorded it first, or the customer read meanwhile).
 */
export async function recordUnseen(c: PoolClient, seen: UnseenRecord, upToSeq: number, delivery: NewDelivery | null): Promise<boolean> {
  const moved = await c.query(
    `UPDATE conversations SET unseen_notified_seq = $2, unseen_since = ${firstUnseenAt('postgres', 'GREATEST(visitor_read_seq, $2)')}
     WHERE id = $1 AND visitor_read_seq = $3 AND unseen_notified_seq = $4`,
    [seen.id, upToSeq, seen.visitorReadSeq, seen.notifiedSeq],
  );
  if (moved.rowCount !== 1) return false;
  if (delivery) await insertDeliveries(c, [delivery]);
  return true;
}
