/**
 * `SqliteStore`: the default `Store`, one SQLite file through better-sqlite3 (or
 * `:memory:` for tests). WAL with `synchronous=FULL`, read back at start-up
 * (better-sqlite3 builds default WAL to NORMAL, which can lose the last commits on
 * power loss): a file store that cannot get FULL refuses to open. The writes of one
 * event-loop turn share one transaction (`BEGIN IMMEDIATE` at the first, one `COMMIT`
 * and fsync at the end of the turn, or a few milliseconds later under load: see
 * group-commit.ts); each mutating call is atomic inside it (a
 * savepoint). Calls run synchronously, but every promise, reads included, settles only
 * once the writes made before it are committed: a read may see the open group's writes,
 * and nothing it saw reaches anyone before it is durable.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AgentNote, ConversationStatus, EventBody, LogEvent } from '../protocol/index.js';
import { closedError, GroupCommit, toError, type GroupCommitOptions } from './group-commit.js';
import { makeDurable } from './sqlite-durable.js';
import { createSchema } from './sqlite-schema.js';
import { endedQuery } from './ended-query.js';
import { claimDeliveries, settleDelivery } from './sqlite-deliveries.js';
import { appendRows, insertConversation } from './sqlite-log-writes.js';
import { listUnseen, recordUnseen, setVisitorReadSeq } from './sqlite-unseen.js';
import { endedBefore, eraseConversations, startedBy } from './sqlite-erase.js';
import { fileBytes, fileRecord, insertFile, readOlderFile, removeOlderFiles } from './sqlite-files.js';
import { deleteBlock, findBlock, insertBlock, listBlocks } from './sqlite-blocks.js';
import { eventsAfter, toAgent, toClaim, toConv, toEnded, type AgentRow, type ClaimRow, type ConvRow, type EndedRow } from './store-rows.js';
import type {
  AgentRecord,
  BlockRecord,
  ClaimTimes,
  ConversationChange,
  ConversationRecord,
  CreatedWith,
  DeliveryRecord,
  DeliveryResult,
  EndedConversationRecord,
  Erased,
  EndedQuery,
  FileRecord,
  NewAgent,
  NewConversation,
  NewDelivery,
  Store,
  UnseenRecord,
  UploadRequestRecord,
} from './store.js';
import { DEFAULT_CAPACITY } from './store.js';

/** `appendRows`' arguments after its statements. */
type AppendArgs = Parameters<typeof appendRows> extends [unknown, ...infer Rest] ? Rest : never;

/** The database that lives in memory only (tests): no folder, no WAL, no durability check. */
const IN_MEMORY = ':memory:';
const CONVERSATION_ORDER = 'ORDER BY created_at, id';

/** The durable `Store`: one SQLite file (WAL, synchronous=FULL), or `:memory:` for tests. */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly group: GroupCommit;
  /** Set when SQLite ended the group's transaction by itself (an I/O error rolls it back). */
  private lostGroup = false;
  private closing: Promise<void> | null = null;
  /** `appendRows` as one savepoint, made once (a transaction function is not free to make). */
  private readonly appendAtomically: (...args: AppendArgs) => LogEvent[] | null;

  /**
   * Opens (creating when missing) the database file and its folder; `':memory:'` opens
   * a database that lives and dies with this store. `options` set when a group of
   * writes is committed (default: at the end of the event-loop turn).
   * @throws Error with code `store_not_durable` when `synchronous` does not read back as FULL.
   */
  constructor(
    readonly file: string,
    options: GroupCommitOptions = {},
  ) {
    this.group = new GroupCommit(() => this.commitGroup(), options);
    const inMemory = file === IN_MEMORY;
    if (!inMemory) mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    if (!inMemory) makeDurable(this.db);
    createSchema(this.db);
    this.appendAtomically = this.db.transaction((...args: AppendArgs) => appendRows(this.prepare, ...args));
  }

  /** `value`, once the writes made so far are committed; the commit's error if it fails. */
  private afterCommit<T>(value: T): Promise<T> {
    return new Promise<T>((resolve, reject) => this.group.after(() => resolve(value), reject));
  }

  /** Runs a read now; its result is given once the writes before it are committed. */
  private read<T>(f: () => T): Promise<T> {
    if (this.closing) return Promise.reject(closedError());
    try {
      return this.afterCommit(f());
    } catch (err) {
      return Promise.reject(toError(err));
    }
  }

  /** Joins the turn's transaction (opening it at the first write), runs `f`, resolves after the commit. */
  private write<T>(f: () => T): Promise<T> {
    if (this.closing) return Promise.reject(closedError());
    try {
      if (!this.db.inTransaction) {
        // A group that is pending without its transaction was rolled back by SQLite.
        if (this.group.pending) this.lostGroup = true;
        this.sql('BEGIN IMMEDIATE').run();
      }
      this.group.wrote();
      return this.afterCommit(f());
    } catch (err) {
      return Promise.reject(toError(err));
    }
  }

  /** Commits the group's transaction; on any failure rolls it back and throws. */
  private commitGroup(): void {
    try {
      if (this.lostGroup || !this.db.inTransaction) {
        throw Object.assign(new Error('SQLite rolled back the pending writes'), { code: 'store_rolled_back' });
      }
      this.commitTransaction();
    } catch (err) {
      if (this.db.inTransaction) {
        try {
          this.db.exec('ROLLBACK');
        } catch {
          // The connection reports its own state; nothing more to undo here.
        }
      }
      throw err;
    } finally {
      this.lostGroup = false;
    }
  }

  /** The one `COMMIT` of a group (and its fsync). Separate so that tests can make it fail. */
  protected commitTransaction(): void {
    this.sql('COMMIT').run();
  }

  claimDeliveries(owner: string, now: string, leaseUntil: string, limit: number): Promise<DeliveryRecord[]> {
    return this.write(() => claimDeliveries(this.prepare, owner, now, leaseUntil, limit));
  }

  settleDelivery(id: string, owner: string, result: DeliveryResult): Promise<void> {
    return this.write(() => settleDelivery(this.prepare, id, owner, result));
  }

  /** `sql` as a function value, for the queries kept in their own modules. */
  private readonly prepare = (text: string): Database.Statement => this.sql(text);

  /** A prepared statement, prepared once per SQL text. */
  private sql(text: string): Database.Statement {
    let st = this.statements.get(text);
    if (!st) this.statements.set(text, (st = this.db.prepare(text)));
    return st;
  }

  /** The `synchronous` pragma as SQLite reports it now (2 = FULL). */
  synchronousMode(): number {
    return Number(this.db.pragma('synchronous', { simple: true }));
  }

  createConversation(rec: NewConversation, first: Extract<EventBody, { type: 'requested' }>, at: string, more: CreatedWith = {}): Promise<LogEvent> {
    const events = eventsAfter([first, ...(more.then ?? [])], 0, at);
    return this.write(() => {
      this.db.transaction(() => insertConversation(this.prepare, rec, events, more))();
      return events[0]!;
    });
  }

  getConversation(id: string): Promise<ConversationRecord | null> {
    return this.read(() => this.conversation('SELECT * FROM conversations WHERE id = ?', id));
  }

  findConversationByTokenHash(tokenHash: string): Promise<ConversationRecord | null> {
    return this.read(() => this.conversation('SELECT * FROM conversations WHERE token_hash = ?', tokenHash));
  }

  private conversation(query: string, key: string): ConversationRecord | null {
    const r = this.sql(query).get(key) as ConvRow | undefined;
    return r ? toConv(r) : null;
  }

  private conversations(query: string, ...params: string[]): ConversationRecord[] {
    return (this.sql(query).all(...params) as ConvRow[]).map(toConv);
  }

  listConversations(statuses: readonly ConversationStatus[]): Promise<ConversationRecord[]> {
    return this.read(() =>
      statuses.length === 0
        ? []
        : this.conversations(`SELECT * FROM conversations WHERE status IN (${statuses.map(() => '?').join(',')}) ${CONVERSATION_ORDER}`, ...statuses),
    );
  }

  append(id: string, expectedLastSeq: number, bodies: readonly EventBody[], at: string, change: ConversationChange): Promise<LogEvent[] | null> {
    return this.write(() => this.appendAtomically(id, expectedLastSeq, bodies, at, change));
  }

  readEvents(id: string, afterSeq: number, limit = -1): Promise<LogEvent[]> {
    return this.read(() =>
      (this.sql('SELECT body FROM events WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?').all(id, afterSeq, limit) as { body: string }[]).map(
        (r) => JSON.parse(r.body) as LogEvent,
      ),
    );
  }

  listOpenByEmail(email: string): Promise<ConversationRecord[]> {
    return this.read(() => this.conversations(`SELECT * FROM conversations WHERE lower(email) = lower(?) AND status != 'ended' ${CONVERSATION_ORDER}`, email));
  }

  listEnded(q: EndedQuery): Promise<EndedConversationRecord[]> {
    const { text, values } = endedQuery(q, this.kind);
    return this.read(() => (this.sql(text).all(...values) as EndedRow[]).map(toEnded));
  }

  listRecentClaims(since: string, limit: number): Promise<ClaimTimes[]> {
    const query = 'SELECT created_at, claimed_at FROM conversations WHERE claimed_at >= ? ORDER BY claimed_at DESC LIMIT ?';
    return this.read(() => (this.sql(query).all(since, limit) as ClaimRow[]).map(toClaim));
  }

  listActiveOwnedBy(agentId: string): Promise<ConversationRecord[]> {
    return this.read(() => this.conversations(`SELECT * FROM conversations WHERE owner_id = ? AND status = 'active' ${CONVERSATION_ORDER}`, agentId));
  }

  findClientSeq(id: string, clientId: string): Promise<number | null> {
    return this.read(() => {
      const r = this.sql('SELECT seq FROM events WHERE conversation_id = ? AND client_id = ?').get(id, clientId) as { seq: number } | undefined;
      return r ? r.seq : null;
    });
  }

  setAgentReadSeq(id: string, seq: number): Promise<void> {
    return this.write(() => void this.sql('UPDATE conversations SET agent_read_seq = max(agent_read_seq, ?) WHERE id = ?').run(seq, id));
  }

  setVisitorReadSeq(id: string, seq: number): Promise<void> {
    return this.write(() => setVisitorReadSeq(this.prepare, id, seq));
  }

  listUnseen(since: string, until: string, limit: number): Promise<UnseenRecord[]> {
    return this.read(() => listUnseen(this.prepare, since, until, limit));
  }

  recordUnseen(seen: UnseenRecord, upToSeq: number, delivery: NewDelivery | null): Promise<boolean> {
    return this.write(() => this.db.transaction(() => recordUnseen(this.prepare, seen, upToSeq, delivery))());
  }

  addAgent(rec: NewAgent): Promise<void> {
    const insert = this.sql('INSERT INTO agents (id, name, token_hash, created_at, capacity) VALUES (?, ?, ?, ?, ?)');
    return this.write(() => void insert.run(rec.id, rec.name, rec.tokenHash, rec.createdAt, rec.capacity ?? DEFAULT_CAPACITY));
  }

  ping(): Promise<void> {
    return this.read(() => void this.sql('SELECT 1').get());
  }

  getAgent(id: string): Promise<AgentRecord | null> {
    return this.read(() => this.agent('SELECT * FROM agents WHERE id = ?', id));
  }

  getAgentByTokenHash(tokenHash: string): Promise<AgentRecord | null> {
    return this.read(() => this.agent('SELECT * FROM agents WHERE token_hash = ?', tokenHash));
  }

  private agent(query: string, key: string): AgentRecord | null {
    const r = this.sql(query).get(key) as AgentRow | undefined;
    return r ? toAgent(r) : null;
  }

  listAgents(): Promise<AgentRecord[]> {
    return this.read(() => (this.sql('SELECT * FROM agents ORDER BY created_at, id').all() as AgentRow[]).map(toAgent));
  }

  removeAgent(id: string): Promise<boolean> {
    return this.write(() => this.sql('DELETE FROM agents WHERE id = ?').run(id).changes === 1);
  }

  setAgentTokenHash(id: string, tokenHash: string): Promise<void> {
    return this.write(() => void this.sql('UPDATE agents SET token_hash = ? WHERE id = ?').run(tokenHash, id));
  }

  setAgentCapacity(id: string, capacity: number): Promise<boolean> {
    return this.write(() => this.sql('UPDATE agents SET capacity = ? WHERE id = ?').run(capacity, id).changes === 1);
  }

  addBlock(rec: BlockRecord): Promise<void> {
    return this.write(() => insertBlock(this.prepare, rec));
  }

  findBlock(email: string, address: string, now: string, verified = false): Promise<BlockRecord | null> {
    return this.read(() => findBlock(this.prepare, email, address, now, verified));
  }

  listBlocks(now: string): Promise<BlockRecord[]> {
    return this.read(() => listBlocks(this.prepare, now));
  }

  removeBlock(id: string): Promise<boolean> {
    return this.write(() => deleteBlock(this.prepare, id));
  }

  addNote(note: AgentNote): Promise<void> {
    return this.write(() => void this.sql('INSERT INTO notes (id, conversation_id, body) VALUES (?, ?, ?)').run(note.id, note.conversationId, JSON.stringify(note)));
  }

  listNotes(conversationId: string): Promise<AgentNote[]> {
    return this.read(() =>
      (this.sql('SELECT body FROM notes WHERE conversation_id = ? ORDER BY ord').all(conversationId) as { body: string }[]).map((r) => JSON.parse(r.body) as AgentNote),
    );
  }

  addUploadRequest(rec: UploadRequestRecord): Promise<void> {
    return this.write(
      () => void this.sql('INSERT INTO upload_requests (id, conversation_id, agent_id, at) VALUES (?, ?, ?, ?)').run(rec.requestId, rec.conversationId, rec.agentId, rec.at),
    );
  }

  getUploadRequest(requestId: string): Promise<UploadRequestRecord | null> {
    return this.read(() => {
      const r = this.sql('SELECT * FROM upload_requests WHERE id = ?').get(requestId) as
        | { id: string; conversation_id: string; agent_id: string; at: string }
        | undefined;
      return r ? { requestId: r.id, conversationId: r.conversation_id, agentId: r.agent_id, at: r.at } : null;
    });
  }

  addFile(rec: FileRecord, data: Buffer): Promise<boolean> {
    return this.write(() => this.db.transaction(() => insertFile(this.prepare, rec, data))());
  }

  getFile(fileId: string): Promise<FileRecord | null> {
    return this.read(() => fileRecord(this.prepare, fileId));
  }

  /** A file's bytes: from the database, or, for a file stored before it kept them, from `files/` beside it. */
  async readFile(fileId: string): Promise<Buffer | null> {
    const r = await this.read(() => fileBytes(this.prepare, fileId));
    if (!r) return null;
    if (r.data) return r.data;
    return r.path === '' || this.file === IN_MEMORY ? null : readOlderFile(this.file, r.path);
  }

  deleteEndedBefore(before: string, limit: number): Promise<Erased> {
    return this.erase(() => endedBefore(this.prepare, before, limit), null);
  }

  eraseEmail(email: string): Promise<Erased> {
    return this.erase(() => startedBy(this.prepare, email), email);
  }

  /** Deletes the conversations `ids` picks, as one savepoint; an older version's files on disk go after the commit. */
  private async erase(ids: () => string[], email: string | null): Promise<Erased> {
    const { paths, ...erased } = await this.write(() => this.db.transaction(() => eraseConversations(this.prepare, ids(), email))());
    if (this.file !== IN_MEMORY) await removeOlderFiles(this.file, paths);
    return erased;
  }

  /** Commits the open group now instead of at its scheduled time (a held commit, a shutdown). */
  flush(): Promise<void> {
    const failure = this.group.commitNow();
    return failure ? Promise.reject(failure) : Promise.resolve();
  }

  close(): Promise<void> {
    if (!this.closing) {
      const failure = this.group.commitNow();
      this.db.close();
      this.closing = failure ? Promise.reject(failure) : Promise.resolve();
      // A second close() settles like the first; nobody has to catch it twice.
      this.closing.catch(() => {});
    }
    return this.closing;
  }
}
