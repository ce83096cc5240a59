import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryStore, SqliteStore, type Store } from '../../src/relay/index.js';

const stores: [string, (dir: string) => Store][] = [
  ['MemoryStore', () => new MemoryStore()],
  ['SqliteStore', (dir) => new SqliteStore(join(dir, 'parley.db'))],
];

describe.each(stores)('%s', (_name, make) => {
  let dir: string;
  let store: Store;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'parley-store-'));
    store = make(dir);
  });
  afterEach(() => {
    store.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const at = '2026-01-01T00:00:00.000Z';
  const create = (id: string) =>
    store.createConversation({ id, tokenHash: 'h'.repeat(64), email: 'a@example.com', ip: '10.0.0.1' }, { type: 'requested', visitor: { email: 'a@example.com' } }, at);

  it('appends with gap-free seqs and refuses an append after a stale seq', () => {
    expect(create('c1')).toMatchObject({ seq: 1, type: 'requested', at });
    const ok = store.append('c1', 1, [{ type: 'message', from: 'visitor', text: 'hi', clientId: 'x' }], at, { status: 'queued', ownerId: null });
    expect(ok!.map((e) => e.seq)).toEqual([2]);
    const stale = store.append('c1', 1, [{ type: 'claimed', agent: { id: 'a', name: 'A' } }], at, { status: 'active', ownerId: 'a' });
    expect(stale).toBeNull();
    expect(store.readEvents('c1', 0).map((e) => e.seq)).toEqual([1, 2]);
    expect(store.findClientSeq('c1', 'x')).toBe(2);
    expect(store.getConversation('c1')).toMatchObject({ lastSeq: 2, status: 'queued', ownerId: null });
  });

  it('lists conversations by status, oldest first', () => {
    create('c1');
    create('c2');
    store.append('c1', 1, [{ type: 'claimed', agent: { id: 'a', name: 'A' } }], at, { status: 'active', ownerId: 'a' });
    expect(store.listConversations(['queued']).map((c) => c.id)).toEqual(['c2']);
    expect(store.listConversations(['queued', 'active']).map((c) => c.id)).toEqual(['c1', 'c2']);
  });

  it('keeps agents, blocks, notes, upload requests and files', () => {
    store.addAgent({ id: 'a1', name: 'Ada', tokenHash: 't1', createdAt: at });
    expect(store.getAgentByTokenHash('t1')).toMatchObject({ id: 'a1', name: 'Ada' });
    store.setAgentTokenHash('a1', 't2');
    expect(store.getAgentByTokenHash('t1')).toBeNull();
    expect(store.removeAgent('a1')).toBe(true);
    expect(store.removeAgent('a1')).toBe(false);
    const later = '2099-01-01T00:00:00.000Z';
    store.addBlock({ id: 'b1', email: 'bad@example.com', address: '10.0.0.9', byAddress: false, conversationId: 'c', agentId: 'a', at, expiresAt: later });
    store.addBlock({ id: 'b2', email: 'x@example.com', address: '10.0.0.7', byAddress: true, conversationId: 'c', agentId: 'a', at, expiresAt: later });
    expect(store.findBlock('bad@example.com', '10.0.0.9', at)).toMatchObject({ id: 'b1', byAddress: false });
    expect(store.findBlock('bad@example.com', '1.1.1.1', at)).toBeNull(); // a typed email alone blocks nobody
    expect(store.findBlock('ok@example.com', '10.0.0.9', at)).toBeNull();
    expect(store.findBlock('ok@example.com', '10.0.0.7', at)).toMatchObject({ id: 'b2' });
    expect(store.findBlock('bad@example.com', '10.0.0.9', later)).toBeNull(); // expired
    expect(store.listBlocks(at).map((b) => b.id)).toEqual(['b2', 'b1']);
    expect(store.removeBlock('b1')).toBe(true);
    expect(store.removeBlock('b1')).toBe(false);
    store.addNote({ id: 'n1', conversationId: 'c', agent: { id: 'a', name: 'A' }, text: 'note', at });
    expect(store.listNotes('c').map((n) => n.text)).toEqual(['note']);
    store.addUploadRequest({ requestId: 'r1', conversationId: 'c', agentId: 'a', at });
    expect(store.getUploadRequest('r1')).toMatchObject({ conversationId: 'c' });
    store.addFile({ fileId: 'f1', conversationId: 'c', requestId: 'r1', name: 'a.txt', size: 3, mime: 'text/plain', path: 'f1', at });
    expect(store.getFile('f1')).toMatchObject({ name: 'a.txt', size: 3 });
  });
});

describe('SqliteStore durability settings', () => {
  it('runs WAL with synchronous=FULL, read back at start-up, and keeps data across reopen', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-store-'));
    try {
      const file = join(dir, 'nested', 'parley.db');
      const s = new SqliteStore(file);
      expect(s.synchronousMode()).toBe(2);
      s.createConversation({ id: 'c1', tokenHash: 'h', email: 'a@example.com', ip: '1' }, { type: 'requested', visitor: { email: 'a@example.com' } }, '2026-01-01T00:00:00.000Z');
      s.close();
      const again = new SqliteStore(file);
      expect(again.readEvents('c1', 0)).toHaveLength(1);
      again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SqliteStore blocks made before blocks had ids and expiries', () => {
  it('are kept as they worked then (by address), for 30 days from when they were made', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-store-old-'));
    const { default: Database } = await import('better-sqlite3');
    const old = new Database(join(dir, 'parley.db'));
    old.exec(`CREATE TABLE blocks (ord INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL, ip TEXT NOT NULL,
      conversation_id TEXT NOT NULL, agent_id TEXT NOT NULL, comment TEXT, at TEXT NOT NULL)`);
    old.prepare('INSERT INTO blocks (email, ip, conversation_id, agent_id, comment, at) VALUES (?, ?, ?, ?, ?, ?)')
      .run('Bad@Example.com', '10.0.0.9', 'c', 'a', 'spam', '2026-01-01T00:00:00.000Z');
    old.prepare('INSERT INTO blocks (email, ip, conversation_id, agent_id, comment, at) VALUES (?, ?, ?, ?, ?, ?)')
      .run('v6@example.com', '2001:db8:1:2::7', 'd', 'a', null, '2026-01-01T00:00:00.000Z');
    old.close();
    const store = new SqliteStore(join(dir, 'parley.db'));
    try {
      const [v6, b] = store.listBlocks('2026-01-15T00:00:00.000Z');
      // An IPv6 block holds its whole /64, as new ones do.
      expect(v6).toMatchObject({ id: 'b2', address: '2001:db8:1:2::/64', byAddress: true });
      expect(store.findBlock('x@example.com', '2001:db8:1:2::/64', '2026-01-15T00:00:00.000Z')).not.toBeNull();
      expect(b).toMatchObject({ id: 'b1', email: 'bad@example.com', address: '10.0.0.9', byAddress: true, comment: 'spam', expiresAt: '2026-01-31T00:00:00.000Z' });
      expect(store.findBlock('someone@example.com', '10.0.0.9', '2026-01-15T00:00:00.000Z')).not.toBeNull();
      expect(store.listBlocks('2026-02-01T00:00:00.000Z')).toEqual([]);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
