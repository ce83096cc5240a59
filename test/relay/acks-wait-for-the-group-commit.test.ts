import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryStore, SqliteStore, type Store } from '../../src/relay/index.js';
import type { GroupCommitOptions } from '../../src/relay/group-commit.js';
import { cid, Harness, TestSocket, type Frame } from './helpers.js';

/** A SQLite store whose commits can be counted and made to fail once. */
class ObservableStore extends SqliteStore {
  commits = 0;
  failNext: Error | null = null;
  constructor(file: string, options: GroupCommitOptions = {}) {
    super(file, options);
  }
  protected override commitTransaction(): void {
    const err = this.failNext;
    if (err) {
      this.failNext = null;
      throw err;
    }
    super.commitTransaction();
    this.commits++;
  }
}

/** What another connection to the file sees: only committed rows. */
function committedSeq(file: string, conversationId: string, clientId: string): number | null {
  const db = new Database(file, { readonly: true });
  try {
    const r = db.prepare('SELECT seq FROM events WHERE conversation_id = ? AND client_id = ?').get(conversationId, clientId) as { seq: number } | undefined;
    return r ? r.seq : null;
  } finally {
    db.close();
  }
}

const until = async (ok: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 200 && !ok(); i++) await TestSocket.wait(5);
  if (!ok()) throw new Error(`timed out waiting for ${what}`);
};

const isMessage = (clientId: string) => (f: Frame) => f.t === 'event' && f.event.clientId === clientId;

describe('Store group commit', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'parley-group-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const at = '2026-01-01T00:00:00.000Z';
  const make = (store: Store, id: string) =>
    store.createConversation({ id, tokenHash: `h-${id}`, email: 'a@example.com', ip: '10.0.0.1' }, { type: 'requested', visitor: { email: 'a@example.com' } }, at);

  it('commits every write of one event-loop turn in one transaction, then runs the waiting callbacks in order', async () => {
    const file = join(dir, 'parley.db');
    const store = new ObservableStore(file);
    try {
      const order: string[] = [];
      make(store, 'c1');
      store.afterCommit(() => order.push(`first after ${store.commits} commit(s)`));
      make(store, 'c2');
      store.append('c1', 1, [{ type: 'message', from: 'visitor', text: 'hi', clientId: 'x' }], at, { status: 'queued', ownerId: null });
      store.afterCommit(() => order.push(`second after ${store.commits} commit(s)`));
      // Inside the turn: the writer reads its own writes, nobody else sees them, nobody was told.
      expect(store.readEvents('c1', 0).map((e) => e.seq)).toEqual([1, 2]);
      expect(committedSeq(file, 'c1', 'x')).toBeNull();
      expect(order).toEqual([]);
      await new Promise((r) => setImmediate(r));
      expect(store.commits).toBe(1);
      expect(order).toEqual(['first after 1 commit(s)', 'second after 1 commit(s)']);
      expect(committedSeq(file, 'c1', 'x')).toBe(2);
      // With nothing pending, a callback runs at once.
      store.afterCommit(() => order.push('at once'));
      expect(order).toHaveLength(3);
    } finally {
      store.close();
    }
  });

  it('runs onFail instead of the callbacks when the commit fails, and the writes are undone', () => {
    const file = join(dir, 'parley.db');
    const store = new ObservableStore(file);
    try {
      make(store, 'c1');
      store.flush();
      store.failNext = Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
      store.append('c1', 1, [{ type: 'message', from: 'visitor', text: 'lost', clientId: 'y' }], at, { status: 'queued', ownerId: null });
      const told: string[] = [];
      store.afterCommit(
        () => told.push('ran'),
        (err) => told.push(`failed: ${err.message}`),
      );
      expect(() => store.flush()).toThrow('disk I/O error');
      expect(told).toEqual(['failed: disk I/O error']);
      expect(store.readEvents('c1', 0).map((e) => e.seq)).toEqual([1]);
      expect(store.getConversation('c1')).toMatchObject({ lastSeq: 1 });
      // The store goes on: the same append now commits.
      expect(store.append('c1', 1, [{ type: 'message', from: 'visitor', text: 'kept', clientId: 'y' }], at, { status: 'queued', ownerId: null })![0]!.seq).toBe(2);
      store.flush();
      expect(committedSeq(file, 'c1', 'y')).toBe(2);
    } finally {
      store.close();
    }
  });

  it('MemoryStore holds callbacks to the same point of the turn', async () => {
    const store = new MemoryStore();
    const order: string[] = [];
    make(store, 'c1');
    store.afterCommit(() => order.push('after commit'));
    order.push('still in the turn');
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['still in the turn', 'after commit']);
    store.close();
  });
});

describe('the relay with group commit', () => {
  let h: Harness | null = null;
  let store: ObservableStore;
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'parley-group-relay-'));
  });
  afterEach(async () => {
    await h?.cleanup();
    h = null;
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends no ack and no event before the message is committed', async () => {
    const file = join(dir, 'parley.db');
    // Commits happen only when the test says so.
    store = new ObservableStore(file, { scheduleCommit: () => {} });
    h = await Harness.start({ store });
    const committer = setInterval(() => store.flush(), 5);
    const { visitor, agent } = await h.activeChat();
    clearInterval(committer);
    store.flush();

    const clientId = cid();
    visitor.s.send({ t: 'send', id: 's1', clientId, text: 'is this durable?' });
    await until(() => store.readEvents(visitor.conversationId, 0).some((e) => e.type === 'message' && e.clientId === clientId), 'the write');
    await TestSocket.wait(100);
    expect(visitor.s.all({ t: 'ack' })).toHaveLength(0);
    expect(visitor.s.frames.filter(isMessage(clientId))).toHaveLength(0);
    expect(agent.s.frames.filter(isMessage(clientId))).toHaveLength(0);
    expect(committedSeq(file, visitor.conversationId, clientId)).toBeNull();

    const commitsBefore = store.commits;
    store.flush();
    expect(store.commits).toBe(commitsBefore + 1);
    expect(await visitor.s.next({ t: 'ack' })).toEqual({ t: 'ack', id: 's1', clientId, seq: 3 });
    expect(committedSeq(file, visitor.conversationId, clientId)).toBe(3);
    expect((await agent.s.next(isMessage(clientId))).event.seq).toBe(3);
  });

  it('acks nothing when the commit fails: the socket is closed with 1011, nothing acked is lost, and a resend is stored once', async () => {
    const file = join(dir, 'parley.db');
    store = new ObservableStore(file);
    h = await Harness.start({ store });
    const { visitor, agent } = await h.activeChat();
    const kept = cid();
    visitor.s.send({ t: 'send', clientId: kept, text: 'kept' });
    expect((await visitor.s.next({ t: 'ack' })).seq).toBe(3);

    store.failNext = Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
    const lost = cid();
    visitor.s.send({ t: 'send', id: 's2', clientId: lost, text: 'not durable' });
    expect((await visitor.s.closed).code).toBe(1011);
    expect(visitor.s.all({ t: 'ack' }).map((f) => f.clientId)).toEqual([kept]);
    await TestSocket.wait(50);
    expect(agent.s.frames.filter(isMessage(lost))).toHaveLength(0);
    expect(agent.s.ws.readyState).toBe(agent.s.ws.OPEN);
    expect(committedSeq(file, visitor.conversationId, kept)).toBe(3);
    expect(store.readEvents(visitor.conversationId, 0).map((e) => e.seq)).toEqual([1, 2, 3]);

    // The visitor resumes and re-sends what was not acked: stored once, at the next seq.
    const again = await h.connect('/v1/visitor');
    again.send({ t: 'resume', id: 'r', token: visitor.token, conversationId: visitor.conversationId, afterSeq: 3 });
    expect((await again.next({ t: 'welcome' })).events).toEqual([]);
    again.send({ t: 'send', id: 's3', clientId: lost, text: 'not durable' });
    expect(await again.next({ t: 'ack' })).toEqual({ t: 'ack', id: 's3', clientId: lost, seq: 4 });
    expect((await agent.s.next(isMessage(lost))).event.seq).toBe(4);
    expect(committedSeq(file, visitor.conversationId, lost)).toBe(4);
    expect(store.readEvents(visitor.conversationId, 0).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });

  it('answers an upload with 201 only after its file event is committed', async () => {
    const file = join(dir, 'parley.db');
    store = new ObservableStore(file, { scheduleCommit: () => {} });
    h = await Harness.start({ store });
    const committer = setInterval(() => store.flush(), 5);
    const { visitor, agent } = await h.activeChat();
    agent.s.send({ t: 'request_upload', id: 'ru', conversationId: visitor.conversationId });
    const requestId = (await agent.s.next({ id: 'ru' })).requestId as string;
    clearInterval(committer);
    store.flush();

    let answer: { status: number; body: string } | null = null;
    const body = Buffer.from('hello file');
    const req = request(`${h.relay.url}/v1/uploads/${requestId}?name=note.txt`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${visitor.token}`, 'Content-Type': 'text/plain', 'Content-Length': String(body.length) },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () => (answer = { status: res.statusCode ?? 0, body: text }));
    });
    req.end(body);
    await until(() => store.readEvents(visitor.conversationId, 0).some((e) => e.type === 'file'), 'the file event');
    await TestSocket.wait(100);
    expect(answer).toBeNull();
    expect(visitor.s.frames.filter((f) => f.t === 'event' && f.event.type === 'file')).toHaveLength(0);

    store.flush();
    await until(() => answer !== null, 'the answer');
    expect(answer!.status).toBe(201);
    const fileId = JSON.parse(answer!.body).fileId as string;
    expect(readdirSync(join(h.dataDir, 'files'))).toContain(fileId);
    expect((await visitor.s.next((f) => f.t === 'event' && f.event.type === 'file')).event.fileId).toBe(fileId);
  });
});
