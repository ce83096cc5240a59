/**
 * Retention and erasure, on a SQLite file and on PostgreSQL: `deleteEndedBefore` removes
 * the conversations that ended before a time (blocks made in them stay in force until
 * they expire) and `eraseEmail` every conversation of one email (any case, open or
 * ended) with its blocks; each leaves no other row of them in any table (checked with
 * the database's own client), and touches nobody else's. A relay
 * started with `retentionDays` deletes what is past it at once; the CLI's `erase` says
 * what it removed.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PostgresStore } from '../../src/relay/store-postgres.js';
import { SqliteStore } from '../../src/relay/store-sqlite.js';
import type { Store } from '../../src/relay/store.js';
import { CLI, ensureRelayBuilt, ROOT } from './build-relay.js';
import { Harness } from './helpers.js';
import { freshDatabase, startPostgres, type PostgresServer } from './postgres-server.js';

let server: Promise<PostgresServer> | null = null;
const postgres = (): Promise<PostgresServer> => (server ??= startPostgres());
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-erase-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  const s = await server?.catch(() => null);
  await s?.stop();
});

const DAY = 24 * 60 * 60_000;
const ago = (days: number): string => new Date(Date.now() - days * DAY).toISOString();
const TABLES = ['events', 'notes', 'upload_requests', 'files', 'deliveries', 'blocks'];

/** A conversation of `email` started and (unless `open`) ended `days` ago, with a note, a file, a delivery and a block. */
async function chat(store: Store, id: string, email: string, days: number, open = false): Promise<void> {
  const at = ago(days);
  await store.createConversation({ id, tokenHash: `h-${id}`, email, ip: '10.0.0.1' }, { type: 'requested', visitor: { email } }, at);
  await store.addNote({ id: `n-${id}`, conversationId: id, agent: { id: 'a1', name: 'Ada' }, text: 'internal', at });
  await store.addUploadRequest({ requestId: `r-${id}`, conversationId: id, agentId: 'a1', at });
  await store.addFile({ fileId: `f-${id}`, conversationId: id, requestId: `r-${id}`, name: 'a.txt', size: 3, mime: 'text/plain', at }, Buffer.from('abc'));
  await store.addBlock({ id: `b-${id}`, email: email.toLowerCase(), address: '10.0.0.1', byAddress: false, conversationId: id, agentId: 'a1', at, expiresAt: ago(-30) });
  if (!open) {
    const delivery = { id: `d-${id}`, type: 'conversation.ended' as const, conversationId: id, createdAt: at };
    await store.append(id, 1, [{ type: 'ended', by: 'visitor' }], at, { status: 'ended', ownerId: null, deliveries: [delivery] });
  }
}

interface Kind {
  open(): Promise<{ store: Store; rows: (id: string) => Promise<number> }>;
}

const kinds: [string, Kind][] = [
  [
    'SQLite file',
    {
      async open() {
        const file = join(dir, `erase-${Math.random().toString(36).slice(2)}.db`);
        const store = new SqliteStore(file);
        const rows = async (id: string): Promise<number> => {
          const db = new Database(file, { readonly: true });
          try {
            let n = (db.prepare('SELECT count(*) AS n FROM conversations WHERE id = ?').get(id) as { n: number }).n;
            for (const t of TABLES) n += (db.prepare(`SELECT count(*) AS n FROM ${t} WHERE conversation_id = ?`).get(id) as { n: number }).n;
            n += (db.prepare('SELECT count(*) AS n FROM file_data WHERE id = ?').get(`f-${id}`) as { n: number }).n;
            return n;
          } finally {
            db.close();
          }
        };
        return { store, rows };
      },
    },
  ],
  [
    'PostgreSQL',
    {
      async open() {
        const url = await freshDatabase((await postgres()).url);
        const store = await PostgresStore.open(url, { poolSize: 2 });
        const rows = async (id: string): Promise<number> => {
          const c = new pg.Client({ connectionString: url });
          await c.connect();
          try {
            let n = Number((await c.query('SELECT count(*) AS n FROM conversations WHERE id = $1', [id])).rows[0].n);
            for (const t of TABLES) n += Number((await c.query(`SELECT count(*) AS n FROM ${t} WHERE conversation_id = $1`, [id])).rows[0].n);
            return n;
          } finally {
            await c.end();
          }
        };
        return { store, rows };
      },
    },
  ],
];

const opened: Store[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

describe.each(kinds)('%s', (_name, kind) => {
  it('deletes ended conversations older than the cut-off with everything of them, and nothing else', async () => {
    const { store, rows } = await kind.open();
    opened.push(store);
    await chat(store, 'old', 'ann@example.com', 40);
    await chat(store, 'recent', 'ann@example.com', 2);
    await chat(store, 'open-old', 'bob@example.com', 40, true);
    expect(await rows('old')).toBeGreaterThan(5);
    const r = await store.deleteEndedBefore(ago(30), 100);
    expect(r).toEqual({ conversations: 1, files: 1, blocks: 0 });
    // Only a block made in it is left, in force until it expires: it still protects agents.
    expect(await rows('old')).toBe(1);
    expect((await store.listBlocks(new Date().toISOString())).map((b) => b.id).sort()).toEqual(['b-old', 'b-open-old', 'b-recent']);
    expect(await store.readFile('f-old')).toBeNull();
    // A recent chat, and an open one however old, stay whole.
    expect(await store.getConversation('recent')).not.toBeNull();
    expect(await store.getConversation('open-old')).not.toBeNull();
    expect(await store.readFile('f-recent')).toEqual(Buffer.from('abc'));
    expect(await store.deleteEndedBefore(ago(30), 100)).toMatchObject({ conversations: 0, files: 0 });
  });

  it('erases every conversation of an email, in any case and status, with its blocks, and nobody else', async () => {
    const { store, rows } = await kind.open();
    opened.push(store);
    await chat(store, 'a1', 'Ann@Example.com', 5);
    await chat(store, 'a2', 'ann@example.com', 1, true);
    await chat(store, 'b1', 'bob@example.com', 5);
    const r = await store.eraseEmail('ANN@example.COM');
    expect(r).toEqual({ conversations: 2, files: 2, blocks: 2 });
    expect(await rows('a1')).toBe(0);
    expect(await rows('a2')).toBe(0);
    expect(await store.listEnded({ email: 'ann@example.com', limit: 10 })).toEqual([]);
    expect(await store.findBlock('ann@example.com', '10.0.0.1', new Date().toISOString())).toBeNull();
    expect(await store.getConversation('b1')).not.toBeNull();
    expect(await store.findBlock('bob@example.com', '10.0.0.1', new Date().toISOString())).not.toBeNull();
    expect(await store.eraseEmail('ann@example.com')).toEqual({ conversations: 0, files: 0, blocks: 0 });
  });
});

it('a relay with retentionDays deletes what is past it as it starts', async () => {
  const store = new SqliteStore(':memory:');
  opened.push(store);
  await chat(store, 'old', 'ann@example.com', 10);
  await chat(store, 'new', 'ann@example.com', 1);
  const h = await Harness.start({ store, retentionDays: 7 });
  try {
    await vi.waitFor(async () => expect(await store.getConversation('old')).toBeNull());
    expect(await store.getConversation('new')).not.toBeNull();
  } finally {
    await h.cleanup();
  }
  await expect(Harness.start({ store, retentionDays: 0 })).rejects.toThrow(/retentionDays must be a positive number/);
});

it('parley-relay erase --email says what it removed; bad flags are usage errors', async () => {
  ensureRelayBuilt();
  const data = mkdtempSync(join(dir, 'cli-'));
  const store = new SqliteStore(join(data, 'parley.db'));
  await chat(store, 'c1', 'ann@example.com', 3);
  await chat(store, 'c2', 'bob@example.com', 3);
  await store.close();
  const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  const ok = run('erase', '--email', 'Ann@Example.com', '--data', data);
  expect(ok.status).toBe(0);
  expect(ok.stdout).toBe('erased 1 conversation, 1 file and 1 block of Ann@Example.com\n');
  expect(run('erase', '--data', data)).toMatchObject({ status: 2, stderr: expect.stringContaining('erase needs --email ADDRESS') });
  expect(run('--retention-days', 'soon')).toMatchObject({ status: 2, stderr: expect.stringContaining('--retention-days must be a whole number') });
  const after = new SqliteStore(join(data, 'parley.db'));
  opened.push(after);
  expect(await after.getConversation('c1')).toBeNull();
  expect(await after.getConversation('c2')).not.toBeNull();
}, 120_000);
