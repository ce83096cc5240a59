/**
 * Deleting conversations from the PostgreSQL store, for retention (`--retention-days`)
 * and erasure (`parley-relay erase --email`): a conversation goes with everything kept
 * of it (log, notes, upload requests, files with their bytes, webhook deliveries), in
 * one transaction of the store's group.
 */
import type { PoolClient } from 'pg';
import type { Erased } from './store.js';

/** Deletes up to `limit` conversations that ended before `before`, oldest end first. */
export function eraseEndedBefore(c: PoolClient, before: string, limit: number): Promise<Erased> {
  return erase(c, 'SELECT id FROM conversations WHERE ended_at IS NOT NULL AND ended_at < $1 ORDER BY ended_at, id LIMIT $2', [before, limit], null);
}

/** Deletes every conversation started with `email` (ignoring case) and that email's blocks. */
export function eraseEmail(c: PoolClient, email: string): Promise<Erased> {
  return erase(c, 'SELECT id FROM conversations WHERE lower(email) = lower($1)', [email], email);
}

async function erase(c: PoolClient, select: string, values: unknown[], email: string | null): Promise<Erased> {
  const ids = (await c.query<{ id: string }>(`${select} FOR UPDATE`, values)).rows.map((r) => r.id);
  const out: Erased = { conversations: 0, files: 0, blocks: 0 };
  if (ids.length > 0) {
    out.files = (await c.query('DELETE FROM files WHERE conversation_id = ANY($1::text[])', [ids])).rowCount ?? 0;
    for (const table of ['events', 'notes', 'upload_requests', 'deliveries']) await c.query(`DELETE FROM ${table} WHERE conversation_id = ANY($1::text[])`, [ids]);
    out.conversations = (await c.query('DELETE FROM conversations WHERE id = ANY($1::text[])', [ids])).rowCount ?? 0;
  }
  if (email !== null) {
    out.blocks = (await c.query('DELETE FROM blocks WHERE email = lower($1) OR conversation_id = ANY($2::text[])', [email, ids])).rowCount ?? 0;
  }
  return out;
}
