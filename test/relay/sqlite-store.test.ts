/**
 * What only `SqliteStore` promises (the shared contract is in store-contract.test.ts):
 * WAL with synchronous=FULL, read back at start-up; data kept across reopening; older
 * files brought up to date (blocks without ids or expiries, files kept on disk); and a
 * commit that fails rejects every call of its group and undoes its writes.
 */
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventBody } from '../../src/protocol/index.js';
import { SqliteStore } from '../../src/relay/store-sqlite.js';
import type { Store } from '../../src/relay/store.js';
import { committedSeq } from './committed-rows.js';

const at = '2026-01-01T00:00:00.000Z';
const message = (clientId: string): EventBody => ({ type: 'message', from: 'visitor', text: clientId, clientId });
const create = (store: Store, id: string) =>
  store.createConversation({ id, tokenHash: `h-${id}`, email: 'a@example.com', ip: '10.0.0.1' }, { type: 'requested', visitor: { email: 'a@example.com' } }, at);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('SqliteStore durability settings', () => {
  it('runs WAL with synchronous=FULL, read back at start-up, and keeps data across reopen', async () => {
    const file = join(dir, 'nested', 'parley.db');
    const s = new SqliteStore(file);
    expect(s.kind).toBe('sqlite');
    expect(s.synchronousMode()).toBe(2);
    await create(s, 'c1');
    await s.close();
    const again = new SqliteStore(file);
    try {
      expect(await again.readEvents('c1', 0)).toHaveLength(1);
    } finally {
      await again.close();
    }
  });
});

describe('SqliteStore on an older file', () => {
  it('keeps blocks made before blocks had ids and expiries as they worked then (by address), for 30 days', async () => {
    const old = new Database(join(dir, 'parley.db'));
    old.exec(`CREATE TABLE blocks (ord INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL, ip TEXT NOT NULL,
      conversation_id TEXT NOT NULL, agent_id TEXT NOT NULL, comment TEXT, at TEXT NOT NULL)`);
    const insert = old.prepare('INSERT INTO blocks (email, ip, conversation_id, agent_id, comment, at) VALUES (?, ?, ?, ?, ?, ?)');
    insert.run('Bad@Example.com', '10.0.0.9', 'c', 'a', 'spam', at);
    insert.run('v6@example.com', '2001:db8:1:2::7', 'd', 'a', null, at);
    old.close();
    const store = new SqliteStore(join(dir, 'parley.db'));
    try {
      const [v6, b] = await store.listBlocks('2026-01-15T00:00:00.000Z');
      // An IPv6 block holds its whole /64, as new ones do.
      expect(v6).toMatchObject({ id: 'b2', address: '2001:db8:1:2::/64', byAddress: true });
      expect(await store.findBlock('x@example.com', '2001:db8:1:2::/64', '2026-01-15T00:00:00.000Z')).not.toBeNull();
      expect(b).toMatchObject({ id: 'b1', email: 'bad@example.com', address: '10.0.0.9', byAddress: true, comment: 'spam', expiresAt: '2026-01-31T00:00:00.000Z' });
      expect(await store.findBlock('someone@example.com', '10.0.0.9', '2026-01-15T00:00:00.000Z')).not.toBeNull();
      expect(await store.listBlocks('2026-02-01T00:00:00.000Z')).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('keeps files stored on disk where they are, and stores new files in the database', async () => {
    const old = new Database(join(dir, 'parley.db'));
    old.exec(`CREATE TABLE files (id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, request_id TEXT NOT NULL, name TEXT NOT NULL,
      size INTEGER NOT NULL, mime TEXT NOT NULL, path TEXT NOT NULL, at TEXT NOT NULL)`);
    old.prepare('INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run('f-old', 'c', 'r1', 'old.txt', 3, 'text/plain', 'f-old', at);
    old.close();
    mkdirSync(join(dir, 'files'));
    writeFileSync(join(dir, 'files', 'f-old'), 'old');
    const store = new SqliteStore(join(dir, 'parley.db'));
    try {
      expect(await store.getFile('f-old')).toEqual({ fileId: 'f-old', conversationId: 'c', requestId: 'r1', name: 'old.txt', size: 3, mime: 'text/plain', at });
      // Its bytes stay in the data folder's files/, where the store reads them.
      expect((await store.readFile('f-old'))!.toString()).toBe('old');
      const rec = { fileId: 'f-new', conversationId: 'c', requestId: 'r2', name: 'new.txt', size: 3, mime: 'text/plain', at };
      await store.addFile(rec, Buffer.from('new'));
      expect(await store.getFile('f-new')).toEqual(rec);
      expect((await store.readFile('f-new'))!.toString()).toBe('new');
      expect(await store.readFile('none')).toBeNull();
    } finally {
      await store.close();
    }
  });
});

/** A SQLite store whose next commit can be made to fail. */
class FailingStore extends SqliteStore {
  failNext: Error | null = null;
  protected override commitTransaction(): void {
    const err = this.failNext;
    this.failNext = null;
    if (err) throw err;
    super.commitTransaction();
  }
}

describe('SqliteStore when a commit fails', () => {
  it('rejects every call of the group (reads too), undoes its writes, and goes on', async () => {
    const file = join(dir, 'parley.db');
    const store = new FailingStore(file);
    try {
      await create(store, 'c1');
      store.failNext = Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
      const lost = store.append('c1', 1, [message('y')], at, { status: 'queued', ownerId: null });
      // This read saw the write that is about to be lost: it must not be answered.
      const read = store.readEvents('c1', 0);
      const [a, b] = await Promise.allSettled([lost, read]);
      expect(a).toMatchObject({ status: 'rejected', reason: { message: 'disk I/O error' } });
      expect(b).toMatchObject({ status: 'rejected', reason: { message: 'disk I/O error' } });
      expect((await store.readEvents('c1', 0)).map((e) => e.seq)).toEqual([1]);
      expect(await store.getConversation('c1')).toMatchObject({ lastSeq: 1 });
      expect(committedSeq(file, 'c1', 'y')).toBeNull();
      // The store goes on: the same append now commits.
      expect((await store.append('c1', 1, [message('y')], at, { status: 'queued', ownerId: null }))![0]!.seq).toBe(2);
      expect(committedSeq(file, 'c1', 'y')).toBe(2);
    } finally {
      await store.close();
    }
  });

  it('rejects close when the commit of what was pending fails', async () => {
    const store = new FailingStore(join(dir, 'parley.db'), { scheduleCommit: () => {} });
    const write = store.addAgent({ id: 'a1', name: 'Ada', tokenHash: 't1', createdAt: at });
    store.failNext = new Error('disk full');
    const [w, c] = await Promise.allSettled([write, store.close()]);
    expect(w).toMatchObject({ status: 'rejected', reason: { message: 'disk full' } });
    expect(c).toMatchObject({ status: 'rejected', reason: { message: 'disk full' } });
    const again = new SqliteStore(join(dir, 'parley.db'));
    try {
      expect(await again.getAgent('a1')).toBeNull();
    } finally {
      await again.close();
    }
  });
});
