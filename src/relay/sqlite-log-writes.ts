/**
 * The SQLite store's writes of conversation logs: creating a conversation (its
 * `requested` event and what comes with it) and appending events after an expected
 * seq, with the conversation's new columns, its webhook deliveries and the start of
 * `unseen_since` (`unseen-sql.ts`). Kept apart from `store-sqlite.ts`, which decides the
 * transaction: each function runs inside it.
 */
import type { EventBody, LogEvent } from '../protocol/index.js';
import { insertDeliveries } from './sqlite-deliveries.js';
import type { Prepare } from './sqlite-prepare.js';
import { assertRoom } from './store-capacity.js';
import { eventsAfter } from './store-rows.js';
import type { ConversationChange, CreatedWith, NewConversation } from './store.js';
import { hasAgentMessage } from './unseen-sql.js';

/** Inserts a new conversation's row, its events from seq 1 (`requested` first) and their deliveries. */
export function insertConversation(sql: Prepare, rec: NewConversation, events: readonly LogEvent[], more: CreatedWith): void {
  const first = events[0]!;
  const offline = first.type === 'requested' && first.offline === true;
  sql(
    `INSERT INTO conversations (id, token_hash, email, ip, created_at, status, owner_id, last_seq, offline)
     VALUES (?, ?, ?, ?, ?, 'queued', NULL, ?, ?)`,
  ).run(rec.id, rec.tokenHash, rec.email, rec.ip, first.at, events.length, offline ? 1 : 0);
  const insert = sql('INSERT INTO events (conversation_id, seq, client_id, body) VALUES (?, ?, ?, ?)');
  for (const e of events) insert.run(rec.id, e.seq, e.type === 'message' ? e.clientId : null, JSON.stringify(e));
  if (more.deliveries?.length) insertDeliveries(sql, more.deliveries);
}

/** `Store.append`'s statements; the store runs them as one savepoint. */
export function appendRows(sql: Prepare, id: string, expectedLastSeq: number, bodies: readonly EventBody[], at: string, change: ConversationChange): LogEvent[] | null {
  const clientIds = bodies.flatMap((b) => (b.type === 'message' ? [b.clientId] : []));
  if (new Set(clientIds).size !== clientIds.length) return null;
  assertRoom(sql, id, change);
  const known = sql('SELECT 1 FROM events WHERE conversation_id = ? AND client_id = ?');
  if (clientIds.some((c) => known.get(id, c) !== undefined)) return null;
  const lastSeq = expectedLastSeq + bodies.length;
  // Most appends keep status and owner: leaving them out of the SET spares the status index.
  const same = sql('UPDATE conversations SET last_seq = ? WHERE id = ? AND last_seq = ? AND status = ? AND owner_id IS ?').run(
    lastSeq,
    id,
    expectedLastSeq,
    change.status,
    change.ownerId,
  );
  if (same.changes !== 1) {
    // ended_at: the time of the append that ended it (its `ended` event's `at`).
    const moved = sql(
      `UPDATE conversations SET last_seq = ?, status = ?, owner_id = ?, ended_at = CASE WHEN ? = 'ended' THEN coalesce(ended_at, ?) END
       WHERE id = ? AND last_seq = ?`,
    ).run(lastSeq, change.status, change.ownerId, change.status, at, id, expectedLastSeq);
    if (moved.changes !== 1) return null;
  }
  // A live chat's first claim: when it left the queue (`listRecentClaims`, the queue's wait).
  if (change.firstClaim) sql('UPDATE conversations SET claimed_at = coalesce(claimed_at, ?) WHERE id = ?').run(at, id);
  // An agent message nobody has read yet: the customer may not see it (`message.unseen`).
  if (hasAgentMessage(bodies)) sql('UPDATE conversations SET unseen_since = coalesce(unseen_since, ?) WHERE id = ?').run(at, id);
  const insert = sql('INSERT INTO events (conversation_id, seq, client_id, body) VALUES (?, ?, ?, ?)');
  const out = eventsAfter(bodies, expectedLastSeq, at);
  for (const e of out) insert.run(id, e.seq, e.type === 'message' ? e.clientId : null, JSON.stringify(e));
  if (change.deliveries?.length) insertDeliveries(sql, change.deliveries);
  return out;
}
