/**
 * What another connection to a relay's SQLite file sees: only committed rows. Tests of
 * the group commit read through it to tell a write that is durable from one that is not.
 */
import Database from 'better-sqlite3';
import type { LogEvent } from '../../src/protocol/index.js';

/** The seq of the committed message with `clientId` in a conversation, or null. */
export function committedSeq(file: string, conversationId: string, clientId: string): number | null {
  const db = new Database(file, { readonly: true });
  try {
    const r = db.prepare('SELECT seq FROM events WHERE conversation_id = ? AND client_id = ?').get(conversationId, clientId) as { seq: number } | undefined;
    return r ? r.seq : null;
  } finally {
    db.close();
  }
}

/** How many committed `file` events a conversation has. */
export function committedFileEvents(file: string, conversationId: string): number {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT body FROM events WHERE conversation_id = ?').all(conversationId) as { body: string }[];
    return rows.filter((r) => (JSON.parse(r.body) as LogEvent).type === 'file').length;
  } finally {
    db.close();
  }
}
