/**
 * The blocks table of `SqliteStore`, apart from its other queries: add, find the block
 * that refuses a chat, list and lift. Each function runs in the store's open
 * transaction or read; the store decides when.
 */
import type { Prepare } from './sqlite-prepare.js';
import { toBlock, type BlockRow } from './store-rows.js';
import type { BlockRecord } from './store.js';

/** Stores a block as agents see it. */
export function insertBlock(sql: Prepare, rec: BlockRecord): void {
  sql('INSERT INTO blocks (id, email, ip, by_address, verified, conversation_id, agent_id, comment, at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    rec.id,
    rec.email,
    rec.address,
    rec.byAddress ? 1 : 0,
    rec.verified ? 1 : 0,
    rec.conversationId,
    rec.agentId,
    rec.comment ?? null,
    rec.at,
    rec.expiresAt,
  );
}

/**
 * The newest block in force at `now` that refuses a chat from `email` at `address`: one
 * of that email there, one of the whole address, or (for a verified chat) one of a
 * verified chat with that email from anywhere.
 */
export function findBlock(sql: Prepare, email: string, address: string, now: string, verified: boolean): BlockRecord | null {
  const r = sql(
    `SELECT * FROM blocks WHERE ((ip = ? AND (by_address = 1 OR email = ?)) OR (? = 1 AND verified = 1 AND email = ?)) AND expires_at > ?
     ORDER BY ord DESC LIMIT 1`,
  ).get(address, email, verified ? 1 : 0, email, now) as BlockRow | undefined;
  return r ? toBlock(r) : null;
}

/** Blocks in force at `now`, newest first. */
export function listBlocks(sql: Prepare, now: string): BlockRecord[] {
  return (sql('SELECT * FROM blocks WHERE expires_at > ? ORDER BY ord DESC').all(now) as BlockRow[]).map(toBlock);
}

/** Lifts a block; false when there was none with that id. */
export function deleteBlock(sql: Prepare, id: string): boolean {
  return sql('DELETE FROM blocks WHERE id = ?').run(id).changes === 1;
}
