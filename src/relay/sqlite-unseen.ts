/**
 * The SQLite store's queries for the customer's read mark and `message.unseen`
 * (`unseen-sql.ts` says what `unseen_since` holds). Each function runs inside the
 * store's open transaction; the store decides when.
 */
import { insertDeliveries } from './sqlite-deliveries.js';
import type { Prepare } from './sqlite-prepare.js';
import type { NewDelivery, UnseenRecord } from './store.js';
import { firstUnseenAt } from './unseen-sql.js';

/** Raises the customer's read mark to `seq` and moves `unseen_since` past what they read. */
export function setVisitorReadSeq(sql: Prepare, id: string, seq: number): void {
  sql(
    `UPDATE conversations SET visitor_read_seq = ?, unseen_since = ${firstUnseenAt('sqlite', 'max(?, unseen_notified_seq)')}
     WHERE id = ? AND visitor_read_seq < ?`,
  ).run(seq, seq, id, seq);
}

/** Conversations whose oldest unseen agent message was logged from `since` to `until`, oldest first. */
export function listUnseen(sql: Prepare, since: string, until: string, limit: number): UnseenRecord[] {
  const rows = sql(
    `SELECT id, visitor_read_seq, unseen_notified_seq FROM conversations
     WHERE unseen_since >= ? AND unseen_since <= ? ORDER BY unseen_since, id LIMIT ?`,
  ).all(since, until, limit) as { id: string; visitor_read_seq: number; unseen_notified_seq: number }[];
  return rows.map((r) => ({ id: r.id, visitorReadSeq: r.visitor_read_seq, notifiedSeq: r.unseen_notified_seq }));
}

/**
 * Marks the agent messages up to `upToSeq` told of and stores `delivery` (none: passed
 * over), if the row is still as `seen` read it; false when it was not.
 */
export function recordUnseen(sql: Prepare, seen: UnseenRecord, upToSeq: number, delivery: NewDelivery | null): boolean {
  const moved = sql(
    `UPDATE conversations SET unseen_notified_seq = ?, unseen_since = ${firstUnseenAt('sqlite', 'max(visitor_read_seq, ?)')}
     WHERE id = ? AND visitor_read_seq = ? AND unseen_notified_seq = ?`,
  ).run(upToSeq, upToSeq, seen.id, seen.visitorReadSeq, seen.notifiedSeq);
  if (moved.changes !== 1) return false;
  if (delivery) insertDeliveries(sql, [delivery]);
  return true;
}
