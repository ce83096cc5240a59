import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SqliteStore, type Store } from '../../src/relay/index.js';
import type { ConversationChange } from '../../src/relay/store.js';
import type { GroupCommitOptions } from '../../src/relay/group-commit.js';
import type { EventBody, LogEvent } from '../../src/protocol/index.js';
import { committedFileEvents, committedSeq } from './committed-rows.js';
import { cid, Harness, TestSocket, type Frame } from './helpers.js';

/**
 * A SQLite store whose commits can be counted, made to fail once, and held: while
 * `holdFor` matches the bodies of an append, the group that append joins is not
 * committed until `release()` (every other group commits at the end of its turn).
 */
class ObservableStore extends SqliteStore {
  commits = 0;
  failNext: Error | null = null;
  /** Bodies of every append made so far (made, not necessarily committed). */
  readonly appended: EventBody[][] = [];
  /** Appends whose group is to be held. */
  holdFor: ((bodies: readonly EventBody[]) => boolean) | null = null;
  private readonly gate: { holding: boolean; held: (() => void)[] };

  constructor(file: string, options: GroupCommitOptions = {}) {
    const gate = { holding: false, held: [] as (() => void)[] };
    const schedule = options.scheduleCommit ?? ((run: () => void) => void setImmediate(run));
    // The group's commit, when its time comes, waits while a held append is in it.
    super(file, { scheduleCommit: (run) => schedule(() => (gate.holding ? gate.held.push(run) : run())) });
    this.gate = gate;
  }

  /** True while a group is held (its commit was due and did not run). */
  get holding(): boolean {
    return this.gate.held.length > 0;
  }

  /** Commits the held group now; rejects with the commit's error. */
  release(): Promise<void> {
    this.gate.holding = false;
    this.gate.held.length = 0;
    return this.flush();
  }

  override append(id: string, expectedLastSeq: number, bodies: readonly EventBody[], at: string, change: ConversationChange): Promise<LogEvent[] | null> {
    this.appended.push([...bodies]);
    if (this.holdFor?.(bodies)) this.gate.holding = true;
    return super.append(id, expectedLastSeq, bodies, at, change);
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

/** How long `vi.waitFor` waits for the store, looking every 5 ms. */
const WAIT = { timeout: 1000, interval: 5 };

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

  it('commits every write of one event-loop turn in one transaction, then settles the waiting promises in order', async () => {
    const file = join(dir, 'parley.db');
    const store = new ObservableStore(file);
    try {
      const order: string[] = [];
      const first = make(store, 'c1').then(() => order.push(`first after ${store.commits} commit(s)`));
      const second = make(store, 'c2');
      const third = store
        .append('c1', 1, [{ type: 'message', from: 'visitor', text: 'hi', clientId: 'x' }], at, { status: 'queued', ownerId: null })
        .then(() => order.push(`second after ${store.commits} commit(s)`));
      // Inside the turn: the writer reads its own writes, but is told only after the commit;
      // nobody else sees them, nobody was told.
      const read = store.readEvents('c1', 0).then((events) => {
        order.push(`read after ${store.commits} commit(s)`);
        return events;
      });
      expect(committedSeq(file, 'c1', 'x')).toBeNull();
      await Promise.resolve();
      expect(order).toEqual([]);
      await Promise.all([first, second, third]);
      expect((await read).map((e) => e.seq)).toEqual([1, 2]);
      expect(store.commits).toBe(1);
      expect(order).toEqual(['first after 1 commit(s)', 'second after 1 commit(s)', 'read after 1 commit(s)']);
      expect(committedSeq(file, 'c1', 'x')).toBe(2);
      // With nothing pending, a read settles at once, with no commit to wait for.
      let settled = false;
      const now = store.getConversation('c1').then(() => (settled = true));
      await Promise.resolve();
      expect(settled).toBe(true);
      await now;
      expect(store.commits).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('rejects the waiting promises instead when the commit fails, and the writes are undone', async () => {
    const file = join(dir, 'parley.db');
    const store = new ObservableStore(file);
    try {
      await make(store, 'c1');
      store.failNext = Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
      const told: string[] = [];
      const lost = store
        .append('c1', 1, [{ type: 'message', from: 'visitor', text: 'lost', clientId: 'y' }], at, { status: 'queued', ownerId: null })
        .then(
          () => told.push('ran'),
          (err: Error) => told.push(`failed: ${err.message}`),
        );
      await expect(store.flush()).rejects.toThrow('disk I/O error');
      await lost;
      expect(told).toEqual(['failed: disk I/O error']);
      expect((await store.readEvents('c1', 0)).map((e) => e.seq)).toEqual([1]);
      expect(await store.getConversation('c1')).toMatchObject({ lastSeq: 1 });
      expect(committedSeq(file, 'c1', 'y')).toBeNull();
      // The store goes on: the same append now commits.
      expect((await store.append('c1', 1, [{ type: 'message', from: 'visitor', text: 'kept', clientId: 'y' }], at, { status: 'queued', ownerId: null }))![0]!.seq).toBe(2);
      expect(committedSeq(file, 'c1', 'y')).toBe(2);
    } finally {
      await store.close();
    }
  });

  it('an in-memory SqliteStore holds its promises to the same point of the turn', async () => {
    const store = new SqliteStore(':memory:');
    const order: string[] = [];
    const made = make(store, 'c1').then(() => order.push('after commit'));
    order.push('still in the turn');
    await Promise.resolve();
    expect(order).toEqual(['still in the turn']);
    await made;
    expect(order).toEqual(['still in the turn', 'after commit']);
    await store.close();
  });
});

describe('the relay with group commit', () => {
  let h: Harness | null = null;
  let store: ObservableStore | null = null;
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'parley-group-relay-'));
  });
  afterEach(async () => {
    await h?.cleanup();
    h = null;
    await store?.close();
    store = null;
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends no ack and no event before the message is committed', async () => {
    const file = join(dir, 'parley.db');
    const s = (store = new ObservableStore(file));
    h = await Harness.start({ store: s });
    const { visitor, agent } = await h.activeChat();

    const clientId = cid();
    // The group this message's append joins is committed only when the test says so.
    s.holdFor = (bodies) => bodies.some((b) => b.type === 'message' && b.clientId === clientId);
    visitor.s.send({ t: 'send', id: 's1', clientId, text: 'is this durable?' });
    await vi.waitFor(() => expect(s.appended.some((bodies) => bodies.some((b) => b.type === 'message' && b.clientId === clientId)), 'the write').toBe(true), WAIT);
    await vi.waitFor(() => expect(s.holding, 'the held commit').toBe(true), WAIT);
    await TestSocket.wait(100);
    expect(visitor.s.all({ t: 'ack' })).toHaveLength(0);
    expect(visitor.s.frames.filter(isMessage(clientId))).toHaveLength(0);
    expect(agent.s.frames.filter(isMessage(clientId))).toHaveLength(0);
    expect(committedSeq(file, visitor.conversationId, clientId)).toBeNull();

    const commitsBefore = s.commits;
    await s.release();
    expect(s.commits).toBe(commitsBefore + 1);
    expect(committedSeq(file, visitor.conversationId, clientId)).toBe(3);
    expect(await visitor.s.next({ t: 'ack' })).toEqual({ t: 'ack', id: 's1', clientId, seq: 3 });
    expect((await agent.s.next(isMessage(clientId))).event.seq).toBe(3);
  });

  it('acks nothing when the commit fails: the socket is closed with 1011, nothing acked is lost, and a resend is stored once', async () => {
    const file = join(dir, 'parley.db');
    const s = (store = new ObservableStore(file));
    h = await Harness.start({ store: s });
    const { visitor, agent } = await h.activeChat();
    const kept = cid();
    visitor.s.send({ t: 'send', clientId: kept, text: 'kept' });
    expect((await visitor.s.next({ t: 'ack' })).seq).toBe(3);

    s.failNext = Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
    const lost = cid();
    visitor.s.send({ t: 'send', id: 's2', clientId: lost, text: 'not durable' });
    expect((await visitor.s.closed).code).toBe(1011);
    expect(s.failNext).toBeNull();
    expect(visitor.s.all({ t: 'ack' }).map((f) => f.clientId)).toEqual([kept]);
    // The failed send closed the visitor's socket after its handling: an event it published
    // would be ahead of the agent's pong (which also shows the agent's socket is alive).
    await agent.s.barrier();
    expect(agent.s.frames.filter(isMessage(lost))).toHaveLength(0);
    expect(agent.s.ws.readyState).toBe(agent.s.ws.OPEN);
    expect(committedSeq(file, visitor.conversationId, kept)).toBe(3);
    expect(committedSeq(file, visitor.conversationId, lost)).toBeNull();
    expect((await s.readEvents(visitor.conversationId, 0)).map((e) => e.seq)).toEqual([1, 2, 3]);

    // The visitor resumes and re-sends what was not acked: stored once, at the next seq.
    const again = await h.connect('/v1/visitor');
    again.send({ t: 'resume', id: 'r', token: visitor.token, conversationId: visitor.conversationId, afterSeq: 3 });
    expect((await again.next({ t: 'welcome' })).events).toEqual([]);
    again.send({ t: 'send', id: 's3', clientId: lost, text: 'not durable' });
    expect(await again.next({ t: 'ack' })).toEqual({ t: 'ack', id: 's3', clientId: lost, seq: 4 });
    expect((await agent.s.next(isMessage(lost))).event.seq).toBe(4);
    expect(committedSeq(file, visitor.conversationId, lost)).toBe(4);
    expect((await s.readEvents(visitor.conversationId, 0)).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });

  it('answers an upload with 201 only after its file event is committed', async () => {
    const file = join(dir, 'parley.db');
    const s = (store = new ObservableStore(file));
    h = await Harness.start({ store: s });
    const { visitor, agent } = await h.activeChat();
    agent.s.send({ t: 'request_upload', id: 'ru', conversationId: visitor.conversationId });
    const requestId = (await agent.s.next({ id: 'ru' })).requestId as string;

    // The group the file event's append joins is committed only when the test says so.
    s.holdFor = (bodies) => bodies.some((b) => b.type === 'file');
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
    await vi.waitFor(() => expect(s.appended.some((bodies) => bodies.some((b) => b.type === 'file')), 'the file event').toBe(true), WAIT);
    await vi.waitFor(() => expect(s.holding, 'the held commit').toBe(true), WAIT);
    await TestSocket.wait(100);
    expect(answer).toBeNull();
    expect(visitor.s.frames.filter((f) => f.t === 'event' && f.event.type === 'file')).toHaveLength(0);
    expect(committedFileEvents(file, visitor.conversationId)).toBe(0);

    await s.release();
    expect(committedFileEvents(file, visitor.conversationId)).toBe(1);
    await vi.waitFor(() => expect(answer, 'the answer').not.toBeNull(), WAIT);
    expect(answer!.status).toBe(201);
    const fileId = JSON.parse(answer!.body).fileId as string;
    expect(await s.readFile(fileId)).toEqual(body);
    expect((await visitor.s.next((f) => f.t === 'event' && f.event.type === 'file')).event.fileId).toBe(fileId);
  });
});
