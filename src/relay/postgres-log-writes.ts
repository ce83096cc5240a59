/**
 * The PostgreSQL store's writes of conversation logs, on the group's connection and
 * transaction: creating a conversation (its `requested` event and what comes with it)
 * and appending events after an expected seq, with the conversation's new columns, its
 * webhook deliveries and the start of `unseen_since` (`unseen-sql.ts`). Kept apart from
 * `store-postgres.ts`, which decides the group and the locks.
 */
import type { PoolClient } from 'pg';
import type { LogEvent } from '../protocol/index.js';
import { insertDeliveries } from './postgres-deliveries.js';
import { assertRoomLocked } from './store-capacity.js';
import type { ConversationChange, CreatedWith, NewConversation } from './store.js';
import { hasAgentMessage } from './unseen-sql.js';

/** Inserts a new conversation's row, its events from seq 1 (`requested` first) and their deliveries. */
export async function insertConversation(c: PoolClient, rec: NewConversation, events: readonly LogEvent[], more: CreatedWith): Promise<void> {
  const first = events[0]!;
  await c.query(
    `WITH conv AS (
       INSERT INTO conversations (id, token_hash, email, ip, created_at, status, owner_id, last_seq, offline)
       VALUES ($1, $2, $3, $4, $5, 'queued', NULL, $6, $7))
     INSERT INTO events (conversation_id, seq, client_id, body)
     SELECT $1, s, c, b FROM unnest($8::int[], $9::text[], $10::text[]) AS e(s, c, b)`,
    [
      rec.id,
      rec.tokenHash,
      rec.email,
      rec.ip,
      first.at,
      events.length,
      first.type === 'requested' && first.offline === true,
      events.map((e) => e.seq),
      events.map((e) => (e.type === 'message' ? e.clientId : null)),
      events.map((e) => JSON.stringify(e)),
    ],
  );
  if (more.deliveries?.length) await insertDeliveries(c, more.deliveries);
}

/**
 * Appends `events` (made by `eventsAfter` in `store-rows.ts`) after `expectedLastSeq`; null, writing
 * nothing, when the log moved on or one of `clientIds` is in it already.
 */
export async function appendEvents(
  c: PoolClient,
  id: string,
  expectedLastSeq: number,
  events: readonly LogEvent[],
  clientIds: readonly string[],
  change: ConversationChange,
): Promise<LogEvent[] | null> {
  await assertRoomLocked(c, id, change);
  const at = events[0]?.at ?? '';
  // One statement: the group locked the row first, so writers on every relay are in
  // order; the check of last_seq on the row itself (re-read if another writer got
  // there first) and of the clientIds means that a writer that lost the race writes
  // nothing and gets null.
  const inserted = await c.query(
    `WITH conv AS (
       UPDATE conversations SET last_seq = $2, status = $3, owner_id = $4,
         ended_at = CASE WHEN $3 = 'ended' THEN coalesce(ended_at, $10) END,
         claimed_at = CASE WHEN $11 THEN coalesce(claimed_at, $10) ELSE claimed_at END,
         unseen_since = CASE WHEN $12 THEN coalesce(unseen_since, $10) ELSE unseen_since END
       WHERE id = $1 AND last_seq = $8
         AND NOT EXISTS (SELECT 1 FROM events WHERE conversation_id = $1 AND client_id = ANY($9::text[]))
       RETURNING id)
     INSERT INTO events (conversation_id, seq, client_id, body)
     SELECT $1, s, c, b FROM unnest($5::int[], $6::text[], $7::text[]) AS e(s, c, b)
     WHERE EXISTS (SELECT 1 FROM conv)`,
    [
      id,
      expectedLastSeq + events.length,
      change.status,
      change.ownerId,
      events.map((e) => e.seq),
      events.map((e) => (e.type === 'message' ? e.clientId : null)),
      events.map((e) => JSON.stringify(e)),
      expectedLastSeq,
      clientIds,
      at,
      // A live chat's first claim: when it left the queue (`listRecentClaims`).
      change.firstClaim === true,
      // An agent message nobody has read yet: the customer may not see it (`message.unseen`).
      hasAgentMessage(events),
    ],
  );
  if (inserted.rowCount !== events.length) return null;
  if (change.deliveries?.length) await insertDeliveries(c, change.deliveries);
  return [...events];
}
