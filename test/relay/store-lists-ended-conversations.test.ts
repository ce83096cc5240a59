/**
 * `Store.listEnded`, on every store (a SQLite file, SQLite in memory, PostgreSQL), as
 * in store-contract.test.ts: ended conversations only, newest end first (end time,
 * then id), the email matched ignoring case, since (inclusive) and until (exclusive)
 * on the end time, and keyset pages through `after` that neither skip nor repeat.
 * Then an older SQLite file, made before `ended_at`, gets it from its `ended` events.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { SqliteStore } from '../../src/relay/store-sqlite.js';
import type { EndedConversationRecord, Store } from '../../src/relay/store.js';
import { storeKinds } from './store-kinds.js';

const kinds = storeKinds('ended');

const t = (minute: number): string => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();

/** Creates `id` at minute 0 with `email`, and, unless `endedAt` is null, ends it then. */
async function chat(store: Store, id: string, email: string, endedAt: string | null): Promise<void> {
  await store.createConversation({ id, tokenHash: `h-${id}`, email, ip: '10.0.0.1' }, { type: 'requested', visitor: { email } }, t(0));
  if (endedAt === null) return;
  const ended = await store.append(id, 1, [{ type: 'ended', by: 'visitor' }], endedAt, { status: 'ended', ownerId: null });
  expect(ended).not.toBeNull();
}

const ids = (rs: readonly EndedConversationRecord[]): string[] => rs.map((r) => r.id);

describe.each(kinds)('%s store lists ended conversations', (_name, open) => {
  let store: Store;
  beforeEach(async () => {
    store = await open();
    await chat(store, 'c1', 'Ann@example.com', t(10));
    await chat(store, 'c2', 'bob@example.com', t(20));
    await chat(store, 'c3', 'ann@example.com', t(30));
    // c4 and c5 end at the same time: the id orders them.
    await chat(store, 'c4', 'ann@example.com', t(30));
    await chat(store, 'c5', 'cy@example.com', t(40));
    await chat(store, 'open', 'ann@example.com', null);
  });
  afterEach(() => store.close());

  it('lists the ended ones only, newest end first, then by id, with their end time', async () => {
    const all = await store.listEnded({ limit: 100 });
    expect(ids(all)).toEqual(['c5', 'c4', 'c3', 'c2', 'c1']);
    expect(all[0]).toMatchObject({ id: 'c5', email: 'cy@example.com', status: 'ended', endedAt: t(40), createdAt: t(0) });
    expect(ids(await store.listEnded({ limit: 2 }))).toEqual(['c5', 'c4']);
  });

  it('matches the email ignoring case', async () => {
    expect(ids(await store.listEnded({ email: 'ANN@example.com', limit: 100 }))).toEqual(['c4', 'c3', 'c1']);
    expect(await store.listEnded({ email: 'nobody@example.com', limit: 100 })).toEqual([]);
  });

  it('filters on the end time: since inclusive, until exclusive', async () => {
    expect(ids(await store.listEnded({ since: t(20), limit: 100 }))).toEqual(['c5', 'c4', 'c3', 'c2']);
    expect(ids(await store.listEnded({ until: t(30), limit: 100 }))).toEqual(['c2', 'c1']);
    expect(ids(await store.listEnded({ since: t(20), until: t(40), email: 'ann@EXAMPLE.com', limit: 100 }))).toEqual(['c4', 'c3']);
  });

  it('pages by keyset without skipping or repeating, through ties in the end time', async () => {
    const seen: string[] = [];
    let after: { endedAt: string; id: string } | undefined;
    for (;;) {
      const page = await store.listEnded({ limit: 2, ...(after ? { after } : {}) });
      seen.push(...ids(page));
      if (page.length < 2) break;
      const last = page[page.length - 1]!;
      after = { endedAt: last.endedAt, id: last.id };
    }
    expect(seen).toEqual(['c5', 'c4', 'c3', 'c2', 'c1']);
    expect(ids(await store.listEnded({ after: { endedAt: t(30), id: 'c4' }, limit: 100 }))).toEqual(['c3', 'c2', 'c1']);
  });

  it('keeps the first end time when a later append keeps it ended', async () => {
    await store.append('c1', 2, [{ type: 'message', from: 'agent', text: 'late', clientId: 'x' }], t(50), { status: 'ended', ownerId: null });
    expect((await store.listEnded({ email: 'ann@example.com', limit: 100 })).find((r) => r.id === 'c1')?.endedAt).toBe(t(10));
  });
});

describe('an older SQLite file', () => {
  it('gets the end time of its ended conversations from their `ended` events', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-old-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'old.db');
    const old = new Database(file);
    // The conversations and events tables as they were before `ended_at`.
    old.exec(`
      CREATE TABLE conversations (ord INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, token_hash TEXT NOT NULL,
        email TEXT NOT NULL, ip TEXT NOT NULL, created_at TEXT NOT NULL, status TEXT NOT NULL, owner_id TEXT,
        last_seq INTEGER NOT NULL, agent_read_seq INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE events (conversation_id TEXT NOT NULL, seq INTEGER NOT NULL, client_id TEXT, body TEXT NOT NULL,
        PRIMARY KEY (conversation_id, seq)) WITHOUT ROWID;
    `);
    const conv = old.prepare(`INSERT INTO conversations (id, token_hash, email, ip, created_at, status, owner_id, last_seq) VALUES (?, ?, 'a@example.com', '10.0.0.1', ?, ?, NULL, ?)`);
    const event = old.prepare('INSERT INTO events (conversation_id, seq, client_id, body) VALUES (?, ?, NULL, ?)');
    conv.run('done', 'h1', t(0), 'ended', 2);
    event.run('done', 1, JSON.stringify({ type: 'requested', visitor: { email: 'a@example.com' }, seq: 1, at: t(0) }));
    event.run('done', 2, JSON.stringify({ type: 'ended', by: 'visitor', seq: 2, at: t(7) }));
    conv.run('waiting', 'h2', t(0), 'queued', 1);
    event.run('waiting', 1, JSON.stringify({ type: 'requested', visitor: { email: 'a@example.com' }, seq: 1, at: t(0) }));
    old.close();
    const store = new SqliteStore(file);
    try {
      expect(await store.listEnded({ limit: 10 })).toEqual([expect.objectContaining({ id: 'done', endedAt: t(7) })]);
    } finally {
      await store.close();
    }
  });
});
