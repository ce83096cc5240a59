/**
 * `PostgresStore`: the `Store` on PostgreSQL (through `pg`), so that several relays can
 * share one database. Writes go through the group commit (`postgres-group.ts`): the
 * writes of one event-loop turn are committed together, and each promise settles after
 * that COMMIT. Reads use the pool and see committed data only. Appends lock their
 * conversation's row, so concurrent writers on several relays are ordered: a writer
 * that lost the race gets `null` and reads again, never a gap or a duplicate. Files are
 * kept in the database, so any relay serves any download. `register` records the relay
 * in `relays`, to refuse several relays on one database without a shared bus.
 */
import pg from 'pg';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { AgentNote, ConversationStatus, EventBody, LogEvent } from '../protocol/index.js';
import { closedError, type CommitScheduler } from './group-commit.js';
import { PostgresGroup } from './postgres-group.js';
import { migrate } from './postgres-schema.js';
import { endedQuery } from './ended-query.js';
import { claimDeliveries, settleDelivery } from './postgres-deliveries.js';
import { appendEvents, insertConversation } from './postgres-log-writes.js';
import { LIST_UNSEEN, recordUnseen, setVisitorReadSeq, toUnseen, type UnseenRow } from './postgres-unseen.js';
import { eraseEmail, eraseEndedBefore } from './postgres-erase.js';
import { keepRegistered, registerRelay } from './postgres-relays.js';
import { eventsAfter, toAgent, toBlock, toClaim, toConv, toEnded, toFile, type AgentRow, type BlockRow, type ClaimRow, type ConvRow, type EndedRow, type FileRow } from './store-rows.js';
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

/** Options of `PostgresStore.open`. */
export interface PostgresStoreOptions {
  /** Connections in the pool: one carries the group in flight, the others serve reads. Default 10. */
  poolSize?: number;
  /** When a group of writes is committed (default: at the end of the event-loop turn). */
  scheduleCommit?: CommitScheduler;
}

const DEFAULT_POOL_SIZE = 10;
/** How long getting a connection may take before the write or read fails. */
const CONNECT_TIMEOUT_MS = 5_000;
/** How long one statement may take, on the server and as the relay waits for it. */
const QUERY_TIMEOUT_MS = 15_000;

const CONVERSATION_ORDER = 'ORDER BY created_at, id';
const FILE_COLUMNS = 'id, conversation_id, request_id, name, size, mime, at';
/** `blocks` with `by_address` as 0/1, the row shape `toBlock` reads. */
const BLOCK_COLUMNS = 'id, email, ip, by_address::int AS by_address, verified::int AS verified, conversation_id, agent_id, comment, at, expires_at';

/** Locks conversation rows in id order, so that two groups cannot deadlock on them. */
const lockConversations = async (client: PoolClient, ids: readonly string[]): Promise<void> => {
  await client.query('SELECT 1 FROM conversations WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE', [ids]);
};

/** The `Store` for several relays: one PostgreSQL database. */
export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  private readonly group: PostgresGroup;
  private closing: Promise<void> | null = null;
  private relayId: string | null = null;
  private heartbeat: NodeJS.Timeout | null = null;

  private constructor(
    private readonly pool: Pool,
    options: PostgresStoreOptions,
  ) {
    this.group = new PostgresGroup(pool, lockConversations, options.scheduleCommit);
  }

  /**
   * Connects to `url` (`postgres://user:password@host:port/database`) and brings the
   * database's tables up to date.
   * @throws the connection's or a migration's error (the pool is closed again).
   */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? DEFAULT_POOL_SIZE,
      // A server that stops answering (a partition, a stopped host) must not hang the
      // relay: connecting and every statement give up in bounded time, and TCP
      // keepalives notice a dead peer on an idle connection.
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      query_timeout: QUERY_TIMEOUT_MS,
      statement_timeout: QUERY_TIMEOUT_MS,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    // A connection that breaks (the server restarts, fails over, or ends it) is dropped by
    // the pool, idle or in use: the query in flight rejects and reports the trouble. An
    // 'error' event without a listener would end the process instead.
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    try {
      await migrate(pool);
    } catch (err) {
      await pool.end().catch(() => {});
      throw err;
    }
    return new PostgresStore(pool, options);
  }

  private async rows<R extends QueryResultRow>(text: string, values: unknown[]): Promise<R[]> {
    if (this.closing) throw closedError();
    return (await this.pool.query<R>(text, values)).rows;
  }

  private async row<R extends QueryResultRow>(text: string, values: unknown[]): Promise<R | null> {
    return (await this.rows<R>(text, values))[0] ?? null;
  }

  /** Queues a write of one statement; resolves to its row count once committed. */
  private write(text: string, values: unknown[], locks: readonly string[] = []): Promise<number> {
    return this.group.submit(async (c) => (await c.query(text, values)).rowCount ?? 0, locks);
  }

  createConversation(rec: NewConversation, first: Extract<EventBody, { type: 'requested' }>, at: string, more: CreatedWith = {}): Promise<LogEvent> {
    const events = eventsAfter([first, ...(more.then ?? [])], 0, at);
    return this.group.submit(async (c) => {
      await insertConversation(c, rec, events, more);
      return events[0]!;
    });
  }

  async getConversation(id: string): Promise<ConversationRecord | null> {
    const r = await this.row<ConvRow>('SELECT * FROM conversations WHERE id = $1', [id]);
    return r ? toConv(r) : null;
  }

  async findConversationByTokenHash(tokenHash: string): Promise<ConversationRecord | null> {
    const r = await this.row<ConvRow>('SELECT * FROM conversations WHERE token_hash = $1', [tokenHash]);
    return r ? toConv(r) : null;
  }

  async listConversations(statuses: readonly ConversationStatus[]): Promise<ConversationRecord[]> {
    if (statuses.length === 0) return [];
    return (await this.rows<ConvRow>(`SELECT * FROM conversations WHERE status = ANY($1::text[]) ${CONVERSATION_ORDER}`, [statuses])).map(toConv);
  }

  append(id: string, expectedLastSeq: number, bodies: readonly EventBody[], at: string, change: ConversationChange): Promise<LogEvent[] | null> {
    const clientIds = bodies.flatMap((b) => (b.type === 'message' ? [b.clientId] : []));
    if (new Set(clientIds).size !== clientIds.length) return this.group.submit(async () => null);
    const events = eventsAfter(bodies, expectedLastSeq, at);
    return this.group.submit((c) => appendEvents(c, id, expectedLastSeq, events, clientIds, change), [id]);
  }

  claimDeliveries(owner: string, now: string, leaseUntil: string, limit: number): Promise<DeliveryRecord[]> {
    return this.group.submit((c) => claimDeliveries(c, owner, now, leaseUntil, limit));
  }

  settleDelivery(id: string, owner: string, result: DeliveryResult): Promise<void> {
    return this.group.submit((c) => settleDelivery(c, id, owner, result));
  }

  async readEvents(id: string, afterSeq: number, limit?: number): Promise<LogEvent[]> {
    const rows = await this.rows<{ body: string }>('SELECT body FROM events WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3', [
      id,
      afterSeq,
      limit === undefined || limit < 0 ? null : limit,
    ]);
    return rows.map((r) => JSON.parse(r.body) as LogEvent);
  }

  async listOpenByEmail(email: string): Promise<ConversationRecord[]> {
    return (await this.rows<ConvRow>(`SELECT * FROM conversations WHERE lower(email) = lower($1) AND status <> 'ended' ${CONVERSATION_ORDER}`, [email])).map(toConv);
  }

  async listEnded(q: EndedQuery): Promise<EndedConversationRecord[]> {
    const { text, values } = endedQuery(q, this.kind);
    return (await this.rows<EndedRow>(text, values)).map(toEnded);
  }

  async listRecentClaims(since: string, limit: number): Promise<ClaimTimes[]> {
    const query = 'SELECT created_at, claimed_at FROM conversations WHERE claimed_at >= $1 ORDER BY claimed_at DESC LIMIT $2';
    return (await this.rows<ClaimRow>(query, [since, limit])).map(toClaim);
  }

  async listActiveOwnedBy(agentId: string): Promise<ConversationRecord[]> {
    return (await this.rows<ConvRow>(`SELECT * FROM conversations WHERE owner_id = $1 AND status = 'active' ${CONVERSATION_ORDER}`, [agentId])).map(toConv);
  }

  async findClientSeq(id: string, clientId: string): Promise<number | null> {
    return (await this.row<{ seq: number }>('SELECT seq FROM events WHERE conversation_id = $1 AND client_id = $2', [id, clientId]))?.seq ?? null;
  }

  async setAgentReadSeq(id: string, seq: number): Promise<void> {
    await this.write('UPDATE conversations SET agent_read_seq = GREATEST(agent_read_seq, $2) WHERE id = $1', [id, seq], [id]);
  }

  setVisitorReadSeq(id: string, seq: number): Promise<void> {
    return this.group.submit((c) => setVisitorReadSeq(c, id, seq), [id]);
  }

  async listUnseen(since: string, until: string, limit: number): Promise<UnseenRecord[]> {
    return (await this.rows<UnseenRow>(LIST_UNSEEN, [since, until, limit])).map(toUnseen);
  }

  recordUnseen(seen: UnseenRecord, upToSeq: number, delivery: NewDelivery | null): Promise<boolean> {
    return this.group.submit((c) => recordUnseen(c, seen, upToSeq, delivery), [seen.id]);
  }

  async addAgent(rec: NewAgent): Promise<void> {
    await this.write('INSERT INTO agents (id, name, token_hash, created_at, capacity) VALUES ($1, $2, $3, $4, $5)', [
      rec.id,
      rec.name,
      rec.tokenHash,
      rec.createdAt,
      rec.capacity ?? DEFAULT_CAPACITY,
    ]);
  }

  async ping(): Promise<void> {
    await this.rows('SELECT 1', []);
  }

  async getAgent(id: string): Promise<AgentRecord | null> {
    const r = await this.row<AgentRow>('SELECT * FROM agents WHERE id = $1', [id]);
    return r ? toAgent(r) : null;
  }

  async getAgentByTokenHash(tokenHash: string): Promise<AgentRecord | null> {
    const r = await this.row<AgentRow>('SELECT * FROM agents WHERE token_hash = $1', [tokenHash]);
    return r ? toAgent(r) : null;
  }

  async listAgents(): Promise<AgentRecord[]> {
    return (await this.rows<AgentRow>('SELECT * FROM agents ORDER BY created_at, id', [])).map(toAgent);
  }

  async removeAgent(id: string): Promise<boolean> {
    return (await this.write('DELETE FROM agents WHERE id = $1', [id])) === 1;
  }

  async setAgentCapacity(id: string, capacity: number): Promise<boolean> {
    return (await this.write('UPDATE agents SET capacity = $1 WHERE id = $2', [capacity, id])) === 1;
  }

  async setAgentTokenHash(id: string, tokenHash: string): Promise<void> {
    await this.write('UPDATE agents SET token_hash = $2 WHERE id = $1', [id, tokenHash]);
  }

  async addBlock(rec: BlockRecord): Promise<void> {
    await this.write(
      'INSERT INTO blocks (id, email, ip, by_address, conversation_id, agent_id, comment, at, expires_at, verified) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
      [rec.id, rec.email, rec.address, rec.byAddress, rec.conversationId, rec.agentId, rec.comment ?? null, rec.at, rec.expiresAt, rec.verified === true],
    );
  }

  async findBlock(email: string, address: string, now: string, verified = false): Promise<BlockRecord | null> {
    const r = await this.row<BlockRow>(
      `SELECT ${BLOCK_COLUMNS} FROM blocks WHERE ((ip = $1 AND (by_address OR email = $2)) OR ($4 AND verified AND email = $2)) AND expires_at > $3
       ORDER BY ord DESC LIMIT 1`,
      [address, email, now, verified],
    );
    return r ? toBlock(r) : null;
  }

  async listBlocks(now: string): Promise<BlockRecord[]> {
    return (await this.rows<BlockRow>(`SELECT ${BLOCK_COLUMNS} FROM blocks WHERE expires_at > $1 ORDER BY ord DESC`, [now])).map(toBlock);
  }

  async removeBlock(id: string): Promise<boolean> {
    return (await this.write('DELETE FROM blocks WHERE id = $1', [id])) === 1;
  }

  async addNote(note: AgentNote): Promise<void> {
    await this.write('INSERT INTO notes (id, conversation_id, body) VALUES ($1, $2, $3)', [note.id, note.conversationId, JSON.stringify(note)]);
  }

  async listNotes(conversationId: string): Promise<AgentNote[]> {
    const rows = await this.rows<{ body: string }>('SELECT body FROM notes WHERE conversation_id = $1 ORDER BY ord', [conversationId]);
    return rows.map((r) => JSON.parse(r.body) as AgentNote);
  }

  async addUploadRequest(rec: UploadRequestRecord): Promise<void> {
    await this.write('INSERT INTO upload_requests (id, conversation_id, agent_id, at) VALUES ($1, $2, $3, $4)', [
      rec.requestId,
      rec.conversationId,
      rec.agentId,
      rec.at,
    ]);
  }

  async getUploadRequest(requestId: string): Promise<UploadRequestRecord | null> {
    const r = await this.row<{ id: string; conversation_id: string; agent_id: string; at: string }>('SELECT * FROM upload_requests WHERE id = $1', [requestId]);
    return r ? { requestId: r.id, conversationId: r.conversation_id, agentId: r.agent_id, at: r.at } : null;
  }

  async addFile(rec: FileRecord, data: Buffer): Promise<boolean> {
    const added = await this.write(`INSERT INTO files (${FILE_COLUMNS}, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (request_id) DO NOTHING`, [
      rec.fileId,
      rec.conversationId,
      rec.requestId,
      rec.name,
      rec.size,
      rec.mime,
      rec.at,
      data,
    ]);
    return added === 1;
  }

  async getFile(fileId: string): Promise<FileRecord | null> {
    const r = await this.row<FileRow>(`SELECT ${FILE_COLUMNS} FROM files WHERE id = $1`, [fileId]);
    return r ? toFile(r) : null;
  }

  deleteEndedBefore(before: string, limit: number): Promise<Erased> {
    return this.group.submit((c) => eraseEndedBefore(c, before, limit));
  }

  eraseEmail(email: string): Promise<Erased> {
    return this.group.submit((c) => eraseEmail(c, email));
  }

  async readFile(fileId: string): Promise<Buffer | null> {
    return (await this.row<{ data: Buffer }>('SELECT data FROM files WHERE id = $1', [fileId]))?.data ?? null;
  }

  /**
   * Records this relay in the database and keeps its entry fresh until `close`
   * (`postgres-relays.ts`). Several relays may share the database only when every one
   * of them has a shared bus.
   * @throws Error with code `store_shared_without_bus` when another relay was seen in
   * the last 15 s and it or this one has no shared bus.
   */
  async register(relayId: string, shared: boolean): Promise<void> {
    if (this.closing) throw closedError();
    await registerRelay(this.pool, relayId, shared);
    this.relayId = relayId;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = keepRegistered(this.pool, relayId);
  }

  close(): Promise<void> {
    if (!this.closing) this.closing = this.shutdown();
    return this.closing;
  }

  /** Stops the heartbeat, lets the writes in flight and queued commit, leaves `relays`, ends the pool. */
  private async shutdown(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.group.close();
    if (this.relayId !== null) await this.pool.query('DELETE FROM relays WHERE id = $1', [this.relayId]).catch(() => {});
    await this.pool.end();
  }
}
