/**
 * How the SQLite store's file connection is made durable (WAL, `synchronous=FULL`, read
 * back) and tuned. Kept apart from `store-sqlite.ts` so that file stays within its size
 * budget and holds the store's queries; nothing here is a query of the relay's data.
 */
import type Database from 'better-sqlite3';

/** Page cache of the connection, in KiB. */
const CACHE_KIB = 32 * 1024;
/** WAL pages after which a commit checkpoints (SQLite's default is 1,000). */
const CHECKPOINT_PAGES = 10_000;

/** SQLite `PRAGMA synchronous` value for FULL. */
export const SYNCHRONOUS_FULL = 2;

/**
 * WAL, synchronous=FULL, read back; closes the database and throws when not granted.
 * @throws Error with code `store_not_durable` when `synchronous` does not read back as FULL.
 */
export function makeDurable(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  // Performance only, durability unchanged: a group touches many pages, so keep them
  // cached and checkpoint less often (each checkpoint then writes a hot page once).
  db.pragma(`cache_size = -${CACHE_KIB}`);
  db.pragma(`wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
  const mode = db.pragma('journal_mode', { simple: true });
  const sync = db.pragma('synchronous', { simple: true });
  if (String(mode).toLowerCase() !== 'wal' || sync !== SYNCHRONOUS_FULL) {
    db.close();
    throw Object.assign(new Error(`SQLite store is not durable: journal_mode=${String(mode)}, synchronous=${String(sync)} (need wal, 2 = FULL)`), {
      code: 'store_not_durable',
    });
  }
}
