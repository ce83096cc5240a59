/**
 * The `Store` contract: one suite run against every store (a SQLite file, SQLite in
 * memory, PostgreSQL), so that the relay may count on the same answers from each; then,
 * for PostgreSQL, several relays on one database: concurrent appends leave a gapless
 * log without duplicates, one of two concurrent claims wins, and relays without a
 * shared bus refuse to share the database.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EventBody } from '../../src/protocol/index.js';
import type { CommitScheduler } from '../../src/relay/group-commit.js';
import pg from 'pg';
import { PostgresGroup } from '../../src/relay/postgres-group.js';
import { PostgresStore } from '../../src/relay/store-postgres.js';
import { SqliteStore } from '../../src/relay/store-sqlite.js';
import type { AgentRecord, ConversationChange, Store } from '../../src/relay/store.js';
import { freshDatabase, startPostgres, type PostgresServer } from './postgres-server.js';

let server: Promise<PostgresServer> | null = null;
/** The file's PostgreSQL server, started when a suite first needs it. */
const postgres = (): Promise<PostgresServer> => (server ??= startPostgres());
let dir: string;
let files = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-contract-'));
  // The server starts while the SQLite suites run; a failure is reported where it is awaited.
  postgres().catch(() => {});
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  const s = await server?.catch(() => null);
  await s?.stop();
});

interface Kind {
  /** A new, empty place for a store: a file, `:memory:`, a database URL. */
  place(): Promise<string>;
  open(place: string, scheduleCommit?: CommitScheduler): Promise<Store>;
  /** Whether a store opened again on a place sees what the last one committed there. */
  persistent: boolean;
}

const kinds: [string, Kind][] = [
  ['SQLite file', { place: async () => join(dir, `store-${++files}.db`), open: async (p, s) => new SqliteStore(p, { scheduleCommit: s }), persistent: true }],
  ['SQLite :memory:', { place: async () => ':memory:', open: async (p, s) => new SqliteStore(p, { scheduleCommit: s }), persistent: false }],
  [
    'PostgreSQL',
    { place: async () => freshDatabase((await postgres()).url), open: (p, s) => PostgresStore.open(p, { scheduleCommit: s, poolSize: 4 }), persistent: true },
  ],
];

const at = '2026-01-01T00:00:00.000Z';
const later = '2099-01-01T00:00:00.000Z';
const queued: ConversationChange = { status: 'queued', ownerId: null };
const message = (clientId: string, text = clientId): EventBody => ({ type: 'message', from: 'visitor', text, clientId });
const ada: AgentRecord = { id: 'a1', name: 'Ada', tokenHash: 't1', createdAt: at, capacity: 3 };
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const create = (store: Store, id: string, createdAt = at, email = 'a@example.com') =>
  store.createConversation({ id, tokenHash: `h-${id}`, email, ip: '10.0.0.1' }, { type: 'requested', visitor: { email } }, createdAt);

describe.each(kinds)('%s store', (_name, kind) => {
  const opened: Store[] = [];
  let store: Store;
  const open = async (place?: string, scheduleCommit?: CommitScheduler): Promise<Store> => {
    const s = await kind.open(place ?? (await kind.place()), scheduleCommit);
    opened.push(s);
    return s;
  };
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  it('creates a conversation with `requested` as seq 1 and reads it back', async () => {
    const first = await create(store, 'c1');
    expect(first).toEqual({ type: 'requested', visitor: { email: 'a@example.com' }, seq: 1, at });
    const rec = { id: 'c1', tokenHash: 'h-c1', email: 'a@example.com', ip: '10.0.0.1', createdAt: at, status: 'queued', ownerId: null, lastSeq: 1, agentReadSeq: 0 };
    expect(await store.getConversation('c1')).toEqual(rec);
    expect(await store.findConversationByTokenHash('h-c1')).toEqual(rec);
    expect(await store.findConversationByTokenHash('h-none')).toBeNull();
    expect(await store.getConversation('none')).toBeNull();
    expect(await store.readEvents('c1', 0)).toEqual([first]);
    await store.setAgentReadSeq('c1', 1);
    expect(await store.getConversation('c1')).toMatchObject({ agentReadSeq: 1 });
  });

  it('appends after the expected seq, and refuses a stale one without writing anything', async () => {
    await create(store, 'c1');
    const ok = await store.append('c1', 1, [message('x'), { type: 'claimed', agent: { id: 'a', name: 'A' } }], at, { status: 'active', ownerId: 'a' });
    expect(ok).toEqual([
      { ...message('x'), seq: 2, at },
      { type: 'claimed', agent: { id: 'a', name: 'A' }, seq: 3, at },
    ]);
    expect(await store.append('c1', 1, [message('y')], at, queued)).toBeNull();
    expect(await store.append('c1', 4, [message('y')], at, queued)).toBeNull();
    expect(await store.append('none', 0, [message('y')], at, queued)).toBeNull();
    expect((await store.readEvents('c1', 0)).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(await store.findClientSeq('c1', 'x')).toBe(2);
    expect(await store.findClientSeq('c1', 'y')).toBeNull();
    expect(await store.getConversation('c1')).toMatchObject({ lastSeq: 3, status: 'active', ownerId: 'a' });
  });

  it('refuses a message whose clientId is already in the log, without writing anything', async () => {
    await create(store, 'c1');
    await create(store, 'c2');
    expect(await store.append('c1', 1, [message('x')], at, queued)).not.toBeNull();
    expect(await store.append('c1', 2, [message('x', 'again')], at, queued)).toBeNull();
    expect(await store.append('c1', 2, [message('z'), message('x')], at, queued)).toBeNull();
    expect(await store.append('c1', 2, [message('w'), message('w')], at, queued)).toBeNull();
    expect(await store.getConversation('c1')).toMatchObject({ lastSeq: 2 });
    expect((await store.readEvents('c1', 0)).map((e) => e.seq)).toEqual([1, 2]);
    // The same clientId in another conversation is another message.
    expect((await store.append('c2', 1, [message('x')], at, queued))![0]!.seq).toBe(2);
  });

  it('reads events after a seq, at most `limit` of them', async () => {
    await create(store, 'c1');
    await store.append('c1', 1, ['a', 'b', 'c', 'd'].map((c) => message(c)), at, queued);
    expect((await store.readEvents('c1', 2)).map((e) => e.seq)).toEqual([3, 4, 5]);
    expect((await store.readEvents('c1', 1, 2)).map((e) => e.seq)).toEqual([2, 3]);
    expect(await store.readEvents('c1', 5)).toEqual([]);
    expect(await store.readEvents('none', 0)).toEqual([]);
  });

  it('lists conversations by status, oldest first (createdAt, then id)', async () => {
    await create(store, 'cb', '2026-01-01T00:00:02.000Z');
    await create(store, 'cc', '2026-01-01T00:00:01.000Z');
    await create(store, 'ca', '2026-01-01T00:00:01.000Z');
    await store.append('cc', 1, [{ type: 'claimed', agent: { id: 'a', name: 'A' } }], at, { status: 'active', ownerId: 'a' });
    expect((await store.listConversations(['queued'])).map((c) => c.id)).toEqual(['ca', 'cb']);
    expect((await store.listConversations(['queued', 'active'])).map((c) => c.id)).toEqual(['ca', 'cc', 'cb']);
    expect(await store.listConversations(['ended'])).toEqual([]);
    expect(await store.listConversations([])).toEqual([]);
  });

  it('finds open conversations by email ignoring case, and active ones by owner', async () => {
    await create(store, 'c1', '2026-01-01T00:00:01.000Z', 'Ann@Example.com');
    await create(store, 'c2', '2026-01-01T00:00:02.000Z', 'ann@example.COM');
    await create(store, 'c3', '2026-01-01T00:00:03.000Z', 'ann@example.com');
    await create(store, 'c4', '2026-01-01T00:00:04.000Z', 'bob@example.com');
    await store.append('c2', 1, [{ type: 'claimed', agent: { id: 'a', name: 'A' } }], at, { status: 'active', ownerId: 'a' });
    await store.append('c3', 1, [{ type: 'ended', by: 'visitor' }], at, { status: 'ended', ownerId: null });
    await store.append('c4', 1, [{ type: 'claimed', agent: { id: 'a', name: 'A' } }], at, { status: 'active', ownerId: 'a' });
    expect((await store.listOpenByEmail('ANN@example.com')).map((c) => c.id)).toEqual(['c1', 'c2']);
    expect((await store.listActiveOwnedBy('a')).map((c) => c.id)).toEqual(['c2', 'c4']);
    expect(await store.listActiveOwnedBy('b')).toEqual([]);
  });

  it('keeps agents, each with a capacity (3 unless set)', async () => {
    await store.addAgent({ id: 'a1', name: 'Ada', tokenHash: 't1', createdAt: at });
    await store.addAgent({ id: 'a0', name: 'Bo', tokenHash: 't0', createdAt: later, capacity: 5 });
    expect(await store.getAgent('a1')).toEqual(ada);
    expect(await store.getAgent('a0')).toMatchObject({ capacity: 5 });
    expect(await store.setAgentCapacity('a0', 1)).toBe(true);
    expect(await store.setAgentCapacity('nobody', 1)).toBe(false);
    expect(await store.getAgent('a0')).toMatchObject({ capacity: 1 });
    expect(await store.getAgentByTokenHash('t1')).toEqual(ada);
    await expect(store.ping()).resolves.toBeUndefined();
    expect((await store.listAgents()).map((a) => a.id)).toEqual(['a1', 'a0']);
    await store.setAgentTokenHash('a1', 't2');
    expect(await store.getAgentByTokenHash('t1')).toBeNull();
    expect(await store.getAgentByTokenHash('t2')).toMatchObject({ id: 'a1' });
    expect(await store.removeAgent('a1')).toBe(true);
    expect(await store.removeAgent('a1')).toBe(false);
    expect(await store.getAgent('a1')).toBeNull();
  });

  it('keeps blocks: email at an address, a whole address, until they expire; newest first', async () => {
    const base = { conversationId: 'c', agentId: 'a', at, expiresAt: later };
    await store.addBlock({ id: 'b1', email: 'bad@example.com', address: '10.0.0.9', byAddress: false, comment: 'spam', ...base });
    await store.addBlock({ id: 'b2', email: 'x@example.com', address: '2001:db8:1:2::/64', byAddress: true, ...base });
    await store.addBlock({ id: 'b3', email: 'old@example.com', address: '10.0.0.5', byAddress: true, ...base, expiresAt: '2026-01-02T00:00:00.000Z' });
    expect(await store.findBlock('bad@example.com', '10.0.0.9', at)).toEqual({
      id: 'b1', email: 'bad@example.com', address: '10.0.0.9', byAddress: false, comment: 'spam', ...base,
    });
    expect(await store.findBlock('bad@example.com', '1.1.1.1', at)).toBeNull(); // a typed email alone blocks nobody
    expect(await store.findBlock('ok@example.com', '10.0.0.9', at)).toBeNull();
    expect(await store.findBlock('ok@example.com', '2001:db8:1:2::/64', at)).toEqual({ id: 'b2', email: 'x@example.com', address: '2001:db8:1:2::/64', byAddress: true, ...base });
    expect(await store.findBlock('ok@example.com', '10.0.0.5', at)).toMatchObject({ id: 'b3' });
    expect(await store.findBlock('ok@example.com', '10.0.0.5', '2026-01-03T00:00:00.000Z')).toBeNull(); // expired
    expect((await store.listBlocks(at)).map((b) => b.id)).toEqual(['b3', 'b2', 'b1']);
    expect((await store.listBlocks('2026-01-03T00:00:00.000Z')).map((b) => b.id)).toEqual(['b2', 'b1']);
    expect(await store.removeBlock('b1')).toBe(true);
    expect(await store.removeBlock('b1')).toBe(false);
    expect(await store.findBlock('bad@example.com', '10.0.0.9', at)).toBeNull();
  });

  it('keeps notes in the order they were written, and upload requests', async () => {
    const note = (id: string, conversationId = 'c') => ({ id, conversationId, agent: { id: 'a', name: 'A' }, text: `note ${id}`, at });
    for (const id of ['n3', 'n1', 'n2']) await store.addNote(note(id));
    await store.addNote(note('n4', 'other'));
    expect(await store.listNotes('c')).toEqual([note('n3'), note('n1'), note('n2')]);
    expect(await store.listNotes('none')).toEqual([]);
    await store.addUploadRequest({ requestId: 'r1', conversationId: 'c', agentId: 'a', at });
    expect(await store.getUploadRequest('r1')).toEqual({ requestId: 'r1', conversationId: 'c', agentId: 'a', at });
    expect(await store.getUploadRequest('r2')).toBeNull();
  });

  it('keeps files with their bytes, up to 5 MB, one per request', async () => {
    const small = { fileId: 'f1', conversationId: 'c', requestId: 'r1', name: 'a.txt', size: 3, mime: 'text/plain', at };
    expect(await store.addFile(small, Buffer.from('abc'))).toBe(true);
    const bytes = randomBytes(5 * 1024 * 1024);
    const big = { ...small, fileId: 'f2', requestId: 'r2', name: 'big.bin', size: bytes.length, mime: 'application/octet-stream' };
    expect(await store.addFile(big, bytes)).toBe(true);
    // A request has one file: a second one (through another relay, say) is not kept.
    expect(await store.addFile({ ...small, fileId: 'f3' }, Buffer.from('xyz'))).toBe(false);
    expect(await store.getFile('f3')).toBeNull();
    expect(await store.readFile('f3')).toBeNull();
    expect(await store.getFile('f1')).toEqual(small);
    expect((await store.readFile('f1'))!.toString()).toBe('abc');
    expect(await store.getFile('f2')).toEqual(big);
    expect((await store.readFile('f2'))!.equals(bytes)).toBe(true);
    expect(await store.getFile('none')).toBeNull();
    expect(await store.readFile('none')).toBeNull();
  });

  it('rejects only the write that fails among the writes of one turn', async () => {
    await store.addAgent(ada);
    const note = (id: string) => ({ id, conversationId: 'c', agent: { id: 'a', name: 'A' }, text: id, at });
    const results = await Promise.allSettled([store.addNote(note('n1')), store.addAgent({ ...ada, tokenHash: 'other' }), store.addNote(note('n2'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await store.listNotes('c')).map((n) => n.id)).toEqual(['n1', 'n2']);
    expect(await store.getAgentByTokenHash('other')).toBeNull();
  });

  it('settles a write only after its commit, and tells nobody of it before', async () => {
    const held: (() => void)[] = [];
    const s = await open(undefined, (run) => held.push(run));
    let settled = false;
    const write = s.addAgent(ada).then(() => (settled = true));
    await sleep(50);
    expect(settled).toBe(false);
    expect(held).toHaveLength(1);
    // A read waits for the commit (SQLite, which sees the open group) or does not see the write (PostgreSQL).
    const read = s.getAgent('a1');
    const seen = await Promise.race([read, sleep(30).then(() => 'pending' as const)]);
    expect(seen === 'pending' || seen === null).toBe(true);
    for (const run of held.splice(0)) run();
    await write;
    expect(settled).toBe(true);
    await read;
    expect(await s.getAgent('a1')).toEqual(ada);
  });

  it('commits what is pending at close; close is idempotent; a closed store refuses calls', async () => {
    const place = await kind.place();
    const s = await open(place, () => {}); // commits only when closed
    const write = s.addAgent(ada);
    await Promise.all([s.close(), s.close()]);
    await write;
    await s.close();
    // The health check says so too.
    await expect(s.ping()).rejects.toMatchObject({ code: 'store_closed' });
    await expect(s.getAgent('a1')).rejects.toMatchObject({ code: 'store_closed' });
    await expect(s.addAgent({ ...ada, id: 'a2', tokenHash: 't2' })).rejects.toMatchObject({ code: 'store_closed' });
    if (kind.persistent) expect(await (await open(place)).getAgent('a1')).toEqual(ada);
  });
});

describe('PostgreSQL store shared by several relays', () => {
  const opened: PostgresStore[] = [];
  const relays = async (n: number, url?: string): Promise<PostgresStore[]> => {
    const place = url ?? (await freshDatabase((await postgres()).url));
    // Opened together, as relays starting at once: the migrations must not race.
    const stores = await Promise.all(Array.from({ length: n }, () => PostgresStore.open(place, { poolSize: 4 })));
    opened.push(...stores);
    return stores;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  it('appends from two relays at once into one gapless log, each clientId once', async () => {
    const [a, b] = (await relays(2)) as [PostgresStore, PostgresStore];
    await create(a, 'c1');
    /** What a relay does for one message: read, append, and on null read again (or find it stored). */
    const put = async (s: Store, clientId: string): Promise<void> => {
      for (let i = 0; i < 1000; i++) {
        const c = await s.getConversation('c1');
        if (await s.append('c1', c!.lastSeq, [message(clientId)], at, queued)) return;
        if ((await s.findClientSeq('c1', clientId)) !== null) return;
      }
      throw new Error(`no progress for ${clientId}`);
    };
    const worker = async (s: Store, ids: string[]) => {
      for (const id of ids) await put(s, id);
    };
    const shared = Array.from({ length: 40 }, (_, i) => `m${i}`);
    const own = (r: string) => Array.from({ length: 40 }, (_, i) => `${r}${i}`);
    // The shared ids reach both relays (a visitor's resend), in opposite orders.
    await Promise.all([worker(a, shared), worker(a, own('a')), worker(b, [...shared].reverse()), worker(b, own('b'))]);
    const events = await a.readEvents('c1', 0);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
    const clientIds = events.flatMap((e) => (e.type === 'message' ? [e.clientId] : []));
    expect(new Set(clientIds).size).toBe(clientIds.length);
    expect(new Set(clientIds)).toEqual(new Set([...shared, ...own('a'), ...own('b')]));
    expect(await b.getConversation('c1')).toMatchObject({ lastSeq: events.length });
  });

  it('lets exactly one of two concurrent claims win', async () => {
    const [a, b] = (await relays(2)) as [PostgresStore, PostgresStore];
    for (let round = 0; round < 10; round++) {
      const id = `k${round}`;
      await create(a, id);
      const claim = (s: Store, agent: string) =>
        s.append(id, 1, [{ type: 'claimed', agent: { id: agent, name: agent } }], at, { status: 'active', ownerId: agent });
      const [x, y] = await Promise.all([claim(a, 'ax'), claim(b, 'by')]);
      expect([x, y].filter((r) => r !== null)).toHaveLength(1);
      const winner = x ? 'ax' : 'by';
      expect(await a.getConversation(id)).toMatchObject({ lastSeq: 2, ownerId: winner });
      expect(await b.readEvents(id, 0)).toHaveLength(2);
    }
  });

  it('refuses a second relay on the database unless both have a shared bus', async () => {
    const [a, b, c] = (await relays(3)) as [PostgresStore, PostgresStore, PostgresStore];
    await a.register('relay-a', false);
    const refused = { code: 'store_shared_without_bus', message: expect.stringContaining('start each with --bus redis://HOST:PORT') };
    await expect(b.register('relay-b', false)).rejects.toMatchObject(refused);
    await expect(b.register('relay-b', true)).rejects.toMatchObject(refused);
    await a.close(); // leaves the table
    await b.register('relay-b', true);
    await expect(c.register('relay-c', false)).rejects.toMatchObject(refused);
    await c.register('relay-c', true);
  });

  it('runs a group again, whole, after it deadlocked with another relay\'s', async () => {
    const pool = new pg.Pool({ connectionString: await freshDatabase((await postgres()).url), max: 4 });
    try {
      await pool.query('CREATE TABLE t (id int PRIMARY KEY, n int NOT NULL); INSERT INTO t VALUES (1, 0), (2, 0)');
      const groups = [new PostgresGroup(pool, async () => {}), new PostgresGroup(pool, async () => {})] as const;
      let runs = 0;
      // Each group takes one row, pauses, then wants the row the other took.
      const bump = (id: number, pause: boolean) => async (c: pg.PoolClient) => {
        runs++;
        await c.query('UPDATE t SET n = n + 1 WHERE id = $1', [id]);
        if (pause) await c.query('SELECT pg_sleep(0.2)');
      };
      await Promise.all([groups[0].submit(bump(1, true)), groups[0].submit(bump(2, false)), groups[1].submit(bump(2, true)), groups[1].submit(bump(1, false))]);
      expect(runs).toBeGreaterThan(4);
      expect((await pool.query<{ n: number }>('SELECT n FROM t ORDER BY id')).rows.map((r) => r.n)).toEqual([2, 2]);
      await Promise.all(groups.map((g) => g.close()));
    } finally {
      await pool.end();
    }
  });
});
