/**
 * `SqliteStore`: the default `Store`, one SQLite file through better-sqlite3. WAL with
 * `synchronous=FULL`, read back at start-up (better-sqlite3 builds default WAL to
 * NORMAL, which can lose the last commits on power loss): a store that cannot get
 * FULL refuses to open. The writes of one event-loop turn share one transaction
 * (`BEGIN IMMEDIATE` at the first, one `COMMIT` and fsync at the end of the turn);
 * each mutating call is atomic inside it (a savepoint).
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AgentNote, ConversationStatus, EventBody, LogEvent } from '../protocol/index.js';
import { GroupCommit, type GroupCommitOptions } from './group-commit.js';
import { createSchema, toBlock, type BlockRow } from './sqlite-schema.js';
import type {
  AgentRecord,
  BlockRecord,
  ConversationChange,
  ConversationRecord,
  FileRecord,
  NewConversation,
  Store,
  UploadRequestRecord,
} from './store.js';

interface ConvRow {
  id: string;
  token_hash: string;
  email: string;
  ip: string;
  created_at: string;
  status: ConversationStatus;
  owner_id: string | null;
  last_seq: number;
  agent_read_seq: number;
}
interface AgentRow {
  id: string;
  name: string;
  token_hash: string;
  created_at: string;
}
interface FileRow {
  id: string;
  conversation_id: string;
  request_id: string;
  name: string;
  size: number;
  mime: string;
  path: string;
  at: string;
}

const toConv = (r: ConvRow): ConversationRecord => ({
  id: r.id,
  tokenHash: r.token_hash,
  email: r.email,
  ip: r.ip,
  createdAt: r.created_at,
  status: r.status,
  ownerId: r.owner_id,
  lastSeq: r.last_seq,
  agentReadSeq: r.agent_read_seq,
});
const toAgent = (r: AgentRow): AgentRecord => ({ id: r.id, name: r.name, tokenHash: r.token_hash, createdAt: r.created_at });

/** Page cache of the connection, in KiB. */
const CACHE_KIB = 32 * 1024;
/** WAL pages after which a commit checkpoints (SQLite's default is 1,000). */
const CHECKPOINT_PAGES = 10_000;

/** SQLite `PRAGMA synchronous` value for FULL. */
const SYNCHRONOUS_FULL = 2;

/** The durable `Store`: one SQLite file (WAL, synchronous=FULL). */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly group: GroupCommit;
  /** Set when SQLite ended the group's transaction by itself (an I/O error rolls it back). */
  private lostGroup = false;
  private closed = false;
  /** `appendRows` as one savepoint, made once (a transaction function is not free to make). */
  private readonly appendAtomically: (...args: Parameters<SqliteStore['appendRows']>) => LogEvent[] | null;

  /**
   * Opens (creating when missing) the database file and its folder. `options` set when
   * a group of writes is committed (default: at the end of the event-loop turn).
   * @throws Error with code `store_not_durable` when `synchronous` does not read back as FULL.
   */
  constructor(
    readonly file: string,
    options: GroupCommitOptions = {},
  ) {
    this.group = new GroupCommit(() => this.commitGroup(), options);
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    // Performance only, durability unchanged: a group touches many pages, so keep them
    // cached and checkpoint less often (each checkpoint then writes a hot page once).
    this.db.pragma(`cache_size = -${CACHE_KIB}`);
    this.db.pragma(`wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
    const mode = this.db.pragma('journal_mode', { simple: true });
    const sync = this.db.pragma('synchronous', { simple: true });
    if (String(mode).toLowerCase() !== 'wal' || sync !== SYNCHRONOUS_FULL) {
      this.db.close();
      throw Object.assign(new Error(`SQLite store is not durable: journal_mode=${String(mode)}, synchronous=${String(sync)} (need wal, 2 = FULL)`), {
        code: 'store_not_durable',
      });
    }
    createSchema(this.db);
    this.appendAtomically = this.db.transaction((...args: Parameters<SqliteStore['appendRows']>) => this.appendRows(...args));
  }

  afterCommit(fn: () => void, onFail?: (err: Error) => void): void {
    this.group.after(fn, onFail);
  }

  flush(): void {
    this.group.flush();
  }

  /** Joins the turn's transaction (opening it at the first write), then runs `f`. */
  private write<T>(f: () => T): T {
    if (this.closed) throw Object.assign(new Error('the store is closed'), { code: 'store_closed' });
    if (!this.db.inTransaction) {
      // A group that is pending without its transaction was rolled back by SQLite.
      if (this.group.pending) this.lostGroup = true;
      this.sql('BEGIN IMMEDIATE').run();
    }
    this.group.wrote();
    return f();
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

  createConversation(rec: NewConversation, first: Extract<EventBody, { type: 'requested' }>, at: string): LogEvent {
    const event = { ...first, seq: 1, at } as LogEvent;
    this.write(() => this.db.transaction(() => {
      this.sql(
          `INSERT INTO conversations (id, token_hash, email, ip, created_at, status, owner_id, last_seq)
           VALUES (?, ?, ?, ?, ?, 'queued', NULL, 1)`,
        )
        .run(rec.id, rec.tokenHash, rec.email, rec.ip, at);
      this.sql('INSERT INTO events (conversation_id, seq, client_id, body) VALUES (?, 1, NULL, ?)').run(rec.id, JSON.stringify(event));
    })());
    return event;
  }

  getConversation(id: string): ConversationRecord | null {
    const r = this.sql('SELECT * FROM conversations WHERE id = ?').get(id) as ConvRow | undefined;
    return r ? toConv(r) : null;
  }

  findConversationByTokenHash(tokenHash: string): ConversationRecord | null {
    const r = this.sql('SELECT * FROM conversations WHERE token_hash = ?').get(tokenHash) as ConvRow | undefined;
    return r ? toConv(r) : null;
  }

  listConversations(statuses: readonly ConversationStatus[]): ConversationRecord[] {
    if (statuses.length === 0) return [];
    const rows = this.sql(`SELECT * FROM conversations WHERE status IN (${statuses.map(() => '?').join(',')}) ORDER BY ord`)
      .all(...statuses) as ConvRow[];
    return rows.map(toConv);
  }

  append(
    id: string,
    expectedLastSeq: number,
    bodies: readonly EventBody[],
    at: string,
    change: ConversationChange,
  ): LogEvent[] | null {
    return this.write(() => this.appendAtomically(id, expectedLastSeq, bodies, at, change));
  }

  /** `append`'s statements, run as one savepoint by `appendAtomically`. */
  private appendRows(id: string, expectedLastSeq: number, bodies: readonly EventBody[], at: string, change: ConversationChange): LogEvent[] | null {
    const lastSeq = expectedLastSeq + bodies.length;
    // Most appends keep status and owner: leaving them out of the SET spares the status index.
    const same = this.sql('UPDATE conversations SET last_seq = ? WHERE id = ? AND last_seq = ? AND status = ? AND owner_id IS ?')
      .run(lastSeq, id, expectedLastSeq, change.status, change.ownerId);
    if (same.changes !== 1) {
      const moved = this.sql('UPDATE conversations SET last_seq = ?, status = ?, owner_id = ? WHERE id = ? AND last_seq = ?')
        .run(lastSeq, change.status, change.ownerId, id, expectedLastSeq);
      if (moved.changes !== 1) return null;
    }
    const insert = this.sql('INSERT INTO events (conversation_id, seq, client_id, body) VALUES (?, ?, ?, ?)');
    const out: LogEvent[] = [];
    let seq = expectedLastSeq;
    for (const b of bodies) {
      const e = { ...b, seq: ++seq, at } as LogEvent;
      insert.run(id, e.seq, e.type === 'message' ? e.clientId : null, JSON.stringify(e));
      out.push(e);
    }
    return out;
  }

  readEvents(id: string, afterSeq: number, limit = -1): LogEvent[] {
    const rows = this.sql('SELECT body FROM events WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?')
      .all(id, afterSeq, limit) as { body: string }[];
    return rows.map((r) => JSON.parse(r.body) as LogEvent);
  }

  listOpenByEmail(email: string): ConversationRecord[] {
    const rows = this.sql(`SELECT * FROM conversations WHERE lower(email) = lower(?) AND status != 'ended' ORDER BY ord`).all(email) as ConvRow[];
    return rows.map(toConv);
  }

  listActiveOwnedBy(agentId: string): ConversationRecord[] {
    const rows = this.sql(`SELECT * FROM conversations WHERE owner_id = ? AND status = 'active' ORDER BY ord`).all(agentId) as ConvRow[];
    return rows.map(toConv);
  }

  findClientSeq(id: string, clientId: string): number | null {
    const r = this.sql('SELECT seq FROM events WHERE conversation_id = ? AND client_id = ?').get(id, clientId) as
      | { seq: number }
      | undefined;
    return r ? r.seq : null;
  }

  setAgentReadSeq(id: string, seq: number): void {
    this.write(() => this.sql('UPDATE conversations SET agent_read_seq = ? WHERE id = ?').run(seq, id));
  }

  addAgent(rec: AgentRecord): void {
    this.write(() => this.sql('INSERT INTO agents (id, name, token_hash, created_at) VALUES (?, ?, ?, ?)').run(rec.id, rec.name, rec.tokenHash, rec.createdAt));
  }

  getAgent(id: string): AgentRecord | null {
    const r = this.sql('SELECT * FROM agents WHERE id = ?').get(id) as AgentRow | undefined;
    return r ? toAgent(r) : null;
  }

  getAgentByTokenHash(tokenHash: string): AgentRecord | null {
    const r = this.sql('SELECT * FROM agents WHERE token_hash = ?').get(tokenHash) as AgentRow | undefined;
    return r ? toAgent(r) : null;
  }

  listAgents(): AgentRecord[] {
    return (this.sql('SELECT * FROM agents ORDER BY created_at, id').all() as AgentRow[]).map(toAgent);
  }

  removeAgent(id: string): boolean {
    return this.write(() => this.sql('DELETE FROM agents WHERE id = ?').run(id).changes === 1);
  }

  setAgentTokenHash(id: string, tokenHash: string): void {
    this.write(() => this.sql('UPDATE agents SET token_hash = ? WHERE id = ?').run(tokenHash, id));
  }

  addBlock(rec: BlockRecord): void {
    this.write(() =>
      this.sql('INSERT INTO blocks (id, email, ip, by_address, conversation_id, agent_id, comment, at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(rec.id, rec.email, rec.address, rec.byAddress ? 1 : 0, rec.conversationId, rec.agentId, rec.comment ?? null, rec.at, rec.expiresAt),
    );
  }

  findBlock(email: string, address: string, now: string): BlockRecord | null {
    const r = this.sql('SELECT * FROM blocks WHERE ip = ? AND (by_address = 1 OR email = ?) AND expires_at > ? LIMIT 1').get(address, email, now) as
      | BlockRow
      | undefined;
    return r ? toBlock(r) : null;
  }

  listBlocks(now: string): BlockRecord[] {
    return (this.sql('SELECT * FROM blocks WHERE expires_at > ? ORDER BY ord DESC').all(now) as BlockRow[]).map(toBlock);
  }

  removeBlock(id: string): boolean {
    return this.write(() => this.sql('DELETE FROM blocks WHERE id = ?').run(id).changes === 1);
  }

  addNote(note: AgentNote): void {
    this.write(() => this.sql('INSERT INTO notes (id, conversation_id, body) VALUES (?, ?, ?)').run(note.id, note.conversationId, JSON.stringify(note)));
  }

  listNotes(conversationId: string): AgentNote[] {
    const rows = this.sql('SELECT body FROM notes WHERE conversation_id = ? ORDER BY ord').all(conversationId) as { body: string }[];
    return rows.map((r) => JSON.parse(r.body) as AgentNote);
  }

  addUploadRequest(rec: UploadRequestRecord): void {
    this.write(() =>
      this.sql('INSERT INTO upload_requests (id, conversation_id, agent_id, at) VALUES (?, ?, ?, ?)')
        .run(rec.requestId, rec.conversationId, rec.agentId, rec.at),
    );
  }

  getUploadRequest(requestId: string): UploadRequestRecord | null {
    const r = this.sql('SELECT * FROM upload_requests WHERE id = ?').get(requestId) as
      | { id: string; conversation_id: string; agent_id: string; at: string }
      | undefined;
    return r ? { requestId: r.id, conversationId: r.conversation_id, agentId: r.agent_id, at: r.at } : null;
  }

  addFile(rec: FileRecord): void {
    this.write(() =>
      this.sql('INSERT INTO files (id, conversation_id, request_id, name, size, mime, path, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(rec.fileId, rec.conversationId, rec.requestId, rec.name, rec.size, rec.mime, rec.path, rec.at),
    );
  }

  getFile(fileId: string): FileRecord | null {
    const r = this.sql('SELECT * FROM files WHERE id = ?').get(fileId) as FileRow | undefined;
    return r
      ? { fileId: r.id, conversationId: r.conversation_id, requestId: r.request_id, name: r.name, size: r.size, mime: r.mime, path: r.path, at: r.at }
      : null;
  }

  close(): void {
    if (this.closed) return;
    try {
      this.group.flush();
    } finally {
      this.closed = true;
      this.db.close();
    }
  }
}
