/**
 * The PostgreSQL store's tables, as versioned migrations: an ordered list of SQL
 * scripts, each applied once, in its own transaction, recorded in `schema_migrations`.
 * Every transaction first takes one advisory lock, so relays starting together on one
 * database apply each migration once and in order. Add a migration by appending to
 * `MIGRATIONS`; never edit one that has shipped.
 */
import type { Pool, PoolClient } from 'pg';

/** Key of the advisory lock that serializes migrations ("parl" in ASCII). */
const MIGRATION_LOCK = 0x7061726c;

/**
 * Columns compared or ordered as text (ids, ISO times) use the "C" collation, so that
 * order is byte order, as in SQLite, whatever the database's locale. ISO times stay
 * text: the record keeps the exact string the relay gave.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE conversations (
    id text COLLATE "C" PRIMARY KEY,
    token_hash text NOT NULL,
    email text NOT NULL,
    ip text NOT NULL,
    created_at text COLLATE "C" NOT NULL,
    status text NOT NULL,
    owner_id text,
    last_seq integer NOT NULL,
    agent_read_seq integer NOT NULL DEFAULT 0
  );
  CREATE INDEX conversations_token ON conversations (token_hash);
  CREATE INDEX conversations_status ON conversations (status, created_at, id);
  CREATE INDEX conversations_owner ON conversations (owner_id, status);
  CREATE INDEX conversations_open_email ON conversations (lower(email)) WHERE status <> 'ended';

  CREATE TABLE events (
    conversation_id text NOT NULL,
    seq integer NOT NULL,
    client_id text,
    body text NOT NULL,
    PRIMARY KEY (conversation_id, seq)
  );
  CREATE UNIQUE INDEX events_client ON events (conversation_id, client_id) WHERE client_id IS NOT NULL;

  CREATE TABLE agents (
    id text COLLATE "C" PRIMARY KEY,
    name text NOT NULL,
    token_hash text NOT NULL UNIQUE,
    created_at text COLLATE "C" NOT NULL
  );

  CREATE TABLE blocks (
    ord bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id text NOT NULL UNIQUE,
    email text NOT NULL,
    ip text NOT NULL,
    by_address boolean NOT NULL,
    conversation_id text NOT NULL,
    agent_id text NOT NULL,
    comment text,
    at text NOT NULL,
    expires_at text COLLATE "C" NOT NULL
  );
  CREATE INDEX blocks_ip ON blocks (ip);

  CREATE TABLE notes (
    ord bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id text NOT NULL UNIQUE,
    conversation_id text NOT NULL,
    body text NOT NULL
  );
  CREATE INDEX notes_conversation ON notes (conversation_id, ord);

  CREATE TABLE upload_requests (
    id text PRIMARY KEY,
    conversation_id text NOT NULL,
    agent_id text NOT NULL,
    at text NOT NULL
  );

  CREATE TABLE files (
    id text PRIMARY KEY,
    conversation_id text NOT NULL,
    request_id text NOT NULL,
    name text NOT NULL,
    size integer NOT NULL,
    mime text NOT NULL,
    at text NOT NULL,
    data bytea NOT NULL
  );

  CREATE TABLE relays (
    id text PRIMARY KEY,
    shared boolean NOT NULL,
    seen_at timestamptz NOT NULL
  );
  `,
  // 2: a request has at most one file, whichever relay its bytes came through.
  `
  CREATE UNIQUE INDEX files_request ON files (request_id);
  `,
  // 3: when a conversation ended (its `ended` event's `at`), for transcripts newest end first.
  `
  ALTER TABLE conversations ADD COLUMN ended_at text COLLATE "C";
  UPDATE conversations c SET ended_at = (
    SELECT e.body::jsonb ->> 'at' FROM events e
    WHERE e.conversation_id = c.id AND e.body::jsonb ->> 'type' = 'ended' ORDER BY e.seq LIMIT 1
  ) WHERE status = 'ended';
  CREATE INDEX conversations_ended ON conversations (ended_at DESC, id DESC) WHERE ended_at IS NOT NULL;
  CREATE INDEX conversations_ended_email ON conversations (lower(email), ended_at DESC, id DESC) WHERE ended_at IS NOT NULL;
  `,
  // 4: webhook deliveries, stored in the commit of the event that caused them; next_at is
  // null once sent or given up; a relay holds one while lease_until is in the future.
  `
  CREATE TABLE deliveries (
    id text PRIMARY KEY,
    type text NOT NULL,
    conversation_id text NOT NULL,
    created_at text COLLATE "C" NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    next_at text COLLATE "C",
    lease_owner text,
    lease_until text COLLATE "C",
    sent_at text,
    failed_at text,
    last_error text
  );
  CREATE INDEX deliveries_due ON deliveries (next_at) WHERE next_at IS NOT NULL;
  CREATE INDEX deliveries_conversation ON deliveries (conversation_id);
  `,
  // 5: how many chats an agent may own at once (DEFAULT_CAPACITY in store.ts).
  `
  ALTER TABLE agents ADD COLUMN capacity integer NOT NULL DEFAULT 3;
  `,
  // 6: blocks of verified customers (refusing their verified chats from any address), and
  // when a live chat was first claimed (the queue's usual wait).
  `
  ALTER TABLE blocks ADD COLUMN verified boolean NOT NULL DEFAULT false;
  CREATE INDEX blocks_verified_email ON blocks (email) WHERE verified;
  ALTER TABLE conversations ADD COLUMN claimed_at text COLLATE "C";
  CREATE INDEX conversations_claimed ON conversations (claimed_at) WHERE claimed_at IS NOT NULL;
  `,
  // 7: messages left while nobody could answer (outside the live queue); the customer's
  // read mark and what `message.unseen` has told of (unseen-sql.ts); the seqs a delivery tells of.
  `
  ALTER TABLE conversations ADD COLUMN offline boolean NOT NULL DEFAULT false;
  ALTER TABLE conversations ADD COLUMN visitor_read_seq integer NOT NULL DEFAULT 0;
  ALTER TABLE conversations ADD COLUMN unseen_notified_seq integer NOT NULL DEFAULT 0;
  ALTER TABLE conversations ADD COLUMN unseen_since text COLLATE "C";
  CREATE INDEX conversations_unseen ON conversations (unseen_since, id) WHERE unseen_since IS NOT NULL;
  ALTER TABLE deliveries ADD COLUMN after_seq integer;
  ALTER TABLE deliveries ADD COLUMN up_to_seq integer;
  `,
];

/** Runs `f` in a transaction holding the migration lock. */
async function locked<T>(client: PoolClient, f: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const out = await f();
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}

/**
 * Applies the migrations this database has not had yet, each in its own transaction.
 * @throws Error with code `store_schema_newer` when the database was migrated by a newer relay.
 */
export async function migrate(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    for (let version = 1; version <= MIGRATIONS.length; version++) {
      await locked(client, async () => {
        const r = await client.query<{ version: number }>('SELECT max(version) AS version FROM schema_migrations');
        const current = r.rows[0]?.version ?? 0;
        if (current > MIGRATIONS.length) {
          throw Object.assign(new Error(`the PostgreSQL database has schema version ${current}; this relay knows versions up to ${MIGRATIONS.length}: upgrade the relay`), {
            code: 'store_schema_newer',
          });
        }
        if (current >= version) return;
        await client.query(MIGRATIONS[version - 1]!);
        await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, now())', [version]);
      });
    }
  } finally {
    client.release();
  }
}
