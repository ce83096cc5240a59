/**
 * The SQLite store's tables, indexes and the changes older files need, in one place,
 * so `store-sqlite.ts` holds only the queries. `createSchema` is idempotent: it runs
 * at every open.
 */
import type Database from 'better-sqlite3';
import { addressKey } from './client-address.js';
import { DEFAULT_CAPACITY } from './store.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS conversations (
  ord INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  token_hash TEXT NOT NULL,
  email TEXT NOT NULL,
  ip TEXT NOT NULL,
  created_at TEXT NOT NULL,
  status TEXT NOT NULL,
  owner_id TEXT,
  last_seq INTEGER NOT NULL,
  agent_read_seq INTEGER NOT NULL DEFAULT 0,
  ended_at TEXT
);
CREATE INDEX IF NOT EXISTS conversations_token ON conversations(token_hash);
CREATE INDEX IF NOT EXISTS conversations_status_age ON conversations(status, created_at, id);
CREATE INDEX IF NOT EXISTS conversations_owner ON conversations(owner_id, status);
CREATE INDEX IF NOT EXISTS conversations_open_email ON conversations(lower(email)) WHERE status != 'ended';
CREATE TABLE IF NOT EXISTS events (
  conversation_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  client_id TEXT,
  body TEXT NOT NULL,
  PRIMARY KEY (conversation_id, seq)
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS events_client ON events(conversation_id, client_id) WHERE client_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS agents (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS blocks (
  ord INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL,
  ip TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  comment TEXT,
  at TEXT NOT NULL,
  id TEXT,
  by_address INTEGER NOT NULL DEFAULT 1,
  expires_at TEXT
);
CREATE INDEX IF NOT EXISTS blocks_ip ON blocks(ip);
CREATE TABLE IF NOT EXISTS notes (
  ord INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  conversation_id TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS notes_conversation ON notes(conversation_id, ord);
CREATE TABLE IF NOT EXISTS upload_requests (
  id TEXT PRIMARY KEY,
  conversation_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS files (
  id TEXT PRIMARY KEY,
  conversation_id TEXT NOT NULL,
  request_id TEXT NOT NULL,
  name TEXT NOT NULL,
  size INTEGER NOT NULL,
  mime TEXT NOT NULL,
  path TEXT NOT NULL DEFAULT '',
  at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS file_data (
  id TEXT PRIMARY KEY,
  data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS deliveries (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at TEXT,
  lease_owner TEXT,
  lease_until TEXT,
  sent_at TEXT,
  failed_at TEXT,
  last_error TEXT
);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries(next_at) WHERE next_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS deliveries_conversation ON deliveries(conversation_id);
`;

/** Whether an older file's `table` has `column` yet. */
function hasColumn(db: Database.Database, table: string, column: string): boolean {
  return (db.pragma(`table_info(${table})`) as { name: string }[]).some((c) => c.name === column);
}

/** Adds `column` (of SQL `type`) to `table` unless it is there already. */
function addColumn(db: Database.Database, table: string, column: string, type: string): void {
  if (!hasColumn(db, table, column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
}

/**
 * Blocks gained an id, an expiry and the by-address choice. A file made before keeps
 * its blocks as they worked then (by address), lasting 30 days from when they were made.
 */
function migrateBlocks(db: Database.Database): void {
  if (!hasColumn(db, 'blocks', 'expires_at')) {
    db.exec(`
    ALTER TABLE blocks ADD COLUMN id TEXT;
    ALTER TABLE blocks ADD COLUMN by_address INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE blocks ADD COLUMN expires_at TEXT;
    UPDATE blocks SET id = 'b' || ord, email = lower(email), expires_at = strftime('%Y-%m-%dT%H:%M:%fZ', at, '+30 days');
  `);
    // Blocks are looked up by address key (an IPv6 address by its /64).
    const rows = db.prepare('SELECT ord, ip FROM blocks').all() as { ord: number; ip: string }[];
    const rekey = db.prepare('UPDATE blocks SET ip = ? WHERE ord = ?');
    for (const r of rows) if (addressKey(r.ip) !== r.ip) rekey.run(addressKey(r.ip), r.ord);
  }
  db.exec('CREATE UNIQUE INDEX IF NOT EXISTS blocks_id ON blocks(id)');
}
/**
 * Conversations were listed by insertion order (`ord`); now by `created_at`, then `id`,
 * the order PostgreSQL gives too. Files kept their bytes on disk (`files.path`, under
 * the data folder's `files/`); new files keep them in `file_data` and insert '' as path,
 * which an older file's `path TEXT NOT NULL` accepts as it is. A request has at most
 * one file (relays that share a database could otherwise both keep one).
 */
function migrateListsAndFiles(db: Database.Database): void {
  db.exec('DROP INDEX IF EXISTS conversations_status');
  db.exec('CREATE UNIQUE INDEX IF NOT EXISTS files_request ON files(request_id)');
}

/**
 * Conversations gained `ended_at` (the `ended` event's `at`, set by the append that ends
 * one) for the transcripts, listed newest end first. An older file's ended conversations
 * take it from their `ended` event.
 */
function migrateEndedAt(db: Database.Database): void {
  if (!hasColumn(db, 'conversations', 'ended_at')) {
    db.exec(`
    ALTER TABLE conversations ADD COLUMN ended_at TEXT;
    UPDATE conversations SET ended_at = (
      SELECT json_extract(e.body, '$.at') FROM events e
      WHERE e.conversation_id = conversations.id AND json_extract(e.body, '$.type') = 'ended' ORDER BY e.seq LIMIT 1
    ) WHERE status = 'ended';
  `);
  }
  db.exec(`
    CREATE INDEX IF NOT EXISTS conversations_ended ON conversations(ended_at DESC, id DESC) WHERE ended_at IS NOT NULL;
    CREATE INDEX IF NOT EXISTS conversations_ended_email ON conversations(lower(email), ended_at DESC, id DESC) WHERE ended_at IS NOT NULL;
  `);
}

/** Agents gained a capacity (the chats they may own at once); older accounts get the default. */
function migrateCapacity(db: Database.Database): void {
  addColumn(db, 'agents', 'capacity', `INTEGER NOT NULL DEFAULT ${DEFAULT_CAPACITY}`);
}

/**
 * Blocks gained `verified` (the blocked chat's customer was verified: the block refuses
 * their verified chats from any address), and conversations `claimed_at` (the first
 * claim of a live chat, for the queue's usual wait). Older rows have neither.
 */
function migrateVerifiedBlocksAndClaims(db: Database.Database): void {
  addColumn(db, 'blocks', 'verified', 'INTEGER NOT NULL DEFAULT 0');
  addColumn(db, 'conversations', 'claimed_at', 'TEXT');
  db.exec(`
    CREATE INDEX IF NOT EXISTS blocks_verified_email ON blocks(email) WHERE verified = 1;
    CREATE INDEX IF NOT EXISTS conversations_claimed ON conversations(claimed_at) WHERE claimed_at IS NOT NULL;
  `);
}

/**
 * Conversations gained `offline` (a message left while nobody could answer: outside the
 * live queue), the customer's read mark, and what `message.unseen` has told of
 * (`unseen-sql.ts`); deliveries gained the seqs they tell of. Older rows are live chats
 * with nothing read or told.
 */
function migrateOfflineAndUnseen(db: Database.Database): void {
  const add = (table: string, column: string, type: string): void => addColumn(db, table, column, type);
  add('conversations', 'offline', 'INTEGER NOT NULL DEFAULT 0');
  add('conversations', 'visitor_read_seq', 'INTEGER NOT NULL DEFAULT 0');
  add('conversations', 'unseen_notified_seq', 'INTEGER NOT NULL DEFAULT 0');
  add('conversations', 'unseen_since', 'TEXT');
  add('deliveries', 'after_seq', 'INTEGER');
  add('deliveries', 'up_to_seq', 'INTEGER');
  db.exec('CREATE INDEX IF NOT EXISTS conversations_unseen ON conversations(unseen_since, id) WHERE unseen_since IS NOT NULL');
}

/** Creates what is missing and brings an older file's tables up to date. */
export function createSchema(db: Database.Database): void {
  db.exec(SCHEMA);
  migrateBlocks(db);
  migrateListsAndFiles(db);
  migrateEndedAt(db);
  migrateCapacity(db);
  migrateVerifiedBlocksAndClaims(db);
  migrateOfflineAndUnseen(db);
}
