/**
 * Deleting conversations from the SQLite store, for retention (`--retention-days`) and
 * erasure (`parley-relay erase --email`): a conversation goes with everything kept of
 * it (log, notes, upload requests, files and their bytes, webhook deliveries), in the
 * store's open transaction. Files kept on disk by older versions are returned, to be
 * unlinked once the rows are gone for good (after the commit).
 */
import type { Erased } from './store.js';
import type { Prepare } from './sqlite-prepare.js';

/** What was deleted, with the on-disk files (names under `files/`) of older versions. */
export type ErasedRows = Erased & { paths: string[] };

/** Ids of up to `limit` conversations that ended before `before`, oldest end first. */
export function endedBefore(sql: Prepare, before: string, limit: number): string[] {
  const rows = sql('SELECT id FROM conversations WHERE ended_at IS NOT NULL AND ended_at < ? ORDER BY ended_at, id LIMIT ?').all(before, limit) as { id: string }[];
  return rows.map((r) => r.id);
}

/** Ids of every conversation started with `email`, ignoring case, whatever its status. */
export function startedBy(sql: Prepare, email: string): string[] {
  return (sql('SELECT id FROM conversations WHERE lower(email) = lower(?)').all(email) as { id: string }[]).map((r) => r.id);
}

/** Deletes conversations `ids` and everything kept of them; with `email`, that email's blocks too. */
export function eraseConversations(sql: Prepare, ids: readonly string[], email: string | null): ErasedRows {
  const out: ErasedRows = { conversations: 0, files: 0, blocks: 0, paths: [] };
  for (const id of ids) {
    const files = sql('SELECT id, path FROM files WHERE conversation_id = ?').all(id) as { id: string; path: string }[];
    for (const f of files) {
      sql('DELETE FROM file_data WHERE id = ?').run(f.id);
      if (f.path !== '') out.paths.push(f.path);
    }
    out.files += sql('DELETE FROM files WHERE conversation_id = ?').run(id).changes;
    for (const table of ['events', 'notes', 'upload_requests', 'deliveries']) sql(`DELETE FROM ${table} WHERE conversation_id = ?`).run(id);
    out.conversations += sql('DELETE FROM conversations WHERE id = ?').run(id).changes;
    if (email !== null) out.blocks += sql('DELETE FROM blocks WHERE conversation_id = ?').run(id).changes;
  }
  if (email !== null) out.blocks += sql('DELETE FROM blocks WHERE email = lower(?)').run(email).changes;
  return out;
}
