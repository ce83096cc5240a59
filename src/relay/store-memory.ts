/**
 * `MemoryStore`: the `Store` kept in plain maps, for unit tests and throwaway relays.
 * Same semantics as `SqliteStore` (atomic appends, idempotency by clientId, writes
 * grouped per turn with `afterCommit` run at the same point), no durability; its
 * commit never fails. Returned records are copies, so callers cannot change stored state.
 */
import type { AgentNote, ConversationStatus, EventBody, LogEvent } from '../protocol/index.js';
import { GroupCommit, type GroupCommitOptions } from './group-commit.js';
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

interface Conv {
  rec: ConversationRecord;
  events: LogEvent[];
  clientIds: Map<string, number>;
}

const copy = <T>(v: T): T => structuredClone(v);

/** An in-memory `Store`. */
export class MemoryStore implements Store {
  private readonly conversations = new Map<string, Conv>();
  private readonly agents = new Map<string, AgentRecord>();
  private readonly blocks: BlockRecord[] = [];
  private readonly notes: AgentNote[] = [];
  private readonly requests = new Map<string, UploadRequestRecord>();
  private readonly files = new Map<string, FileRecord>();
  private readonly group: GroupCommit;
  private closed = false;

  /** `options` set when a group is committed (default: at the end of the turn). */
  constructor(options: GroupCommitOptions = {}) {
    // Nothing to write down: the commit point exists so both stores behave alike.
    this.group = new GroupCommit(() => {}, options);
  }

  afterCommit(fn: () => void, onFail?: (err: Error) => void): void {
    this.group.after(fn, onFail);
  }

  flush(): void {
    this.group.flush();
  }

  createConversation(rec: NewConversation, first: Extract<EventBody, { type: 'requested' }>, at: string): LogEvent {
    this.group.wrote();
    if (this.conversations.has(rec.id)) throw new Error(`conversation ${rec.id} exists`);
    const event = { ...copy(first), seq: 1, at } as LogEvent;
    this.conversations.set(rec.id, {
      rec: { ...rec, createdAt: at, status: 'queued', ownerId: null, lastSeq: 1, agentReadSeq: 0 },
      events: [event],
      clientIds: new Map(),
    });
    return copy(event);
  }

  getConversation(id: string): ConversationRecord | null {
    const c = this.conversations.get(id);
    return c ? { ...c.rec } : null;
  }

  findConversationByTokenHash(tokenHash: string): ConversationRecord | null {
    for (const c of this.conversations.values()) if (c.rec.tokenHash === tokenHash) return { ...c.rec };
    return null;
  }

  listConversations(statuses: readonly ConversationStatus[]): ConversationRecord[] {
    return [...this.conversations.values()].filter((c) => statuses.includes(c.rec.status)).map((c) => ({ ...c.rec }));
  }

  append(
    id: string,
    expectedLastSeq: number,
    bodies: readonly EventBody[],
    at: string,
    change: ConversationChange,
  ): LogEvent[] | null {
    this.group.wrote();
    const c = this.conversations.get(id);
    if (!c) throw new Error(`no conversation ${id}`);
    if (c.rec.lastSeq !== expectedLastSeq) return null;
    for (const b of bodies) if (b.type === 'message' && c.clientIds.has(b.clientId)) return null;
    const out: LogEvent[] = [];
    let seq = expectedLastSeq;
    for (const b of bodies) {
      const e = { ...copy(b), seq: ++seq, at } as LogEvent;
      c.events.push(e);
      if (e.type === 'message') c.clientIds.set(e.clientId, e.seq);
      out.push(e);
    }
    c.rec.lastSeq = seq;
    c.rec.status = change.status;
    c.rec.ownerId = change.ownerId;
    return copy(out);
  }

  readEvents(id: string, afterSeq: number, limit?: number): LogEvent[] {
    const c = this.conversations.get(id);
    const after = c ? c.events.filter((e) => e.seq > afterSeq) : [];
    return copy(limit === undefined || limit < 0 ? after : after.slice(0, limit));
  }

  listOpenByEmail(email: string): ConversationRecord[] {
    const key = email.toLowerCase();
    return this.listConversations(['queued', 'active']).filter((c) => c.email.toLowerCase() === key);
  }

  listActiveOwnedBy(agentId: string): ConversationRecord[] {
    return this.listConversations(['active']).filter((c) => c.ownerId === agentId);
  }

  findClientSeq(id: string, clientId: string): number | null {
    return this.conversations.get(id)?.clientIds.get(clientId) ?? null;
  }

  setAgentReadSeq(id: string, seq: number): void {
    this.group.wrote();
    const c = this.conversations.get(id);
    if (c) c.rec.agentReadSeq = seq;
  }

  addAgent(rec: AgentRecord): void {
    this.group.wrote();
    this.agents.set(rec.id, { ...rec });
  }

  getAgent(id: string): AgentRecord | null {
    const a = this.agents.get(id);
    return a ? { ...a } : null;
  }

  getAgentByTokenHash(tokenHash: string): AgentRecord | null {
    for (const a of this.agents.values()) if (a.tokenHash === tokenHash) return { ...a };
    return null;
  }

  listAgents(): AgentRecord[] {
    return [...this.agents.values()].map((a) => ({ ...a }));
  }

  removeAgent(id: string): boolean {
    this.group.wrote();
    return this.agents.delete(id);
  }

  setAgentTokenHash(id: string, tokenHash: string): void {
    this.group.wrote();
    const a = this.agents.get(id);
    if (a) a.tokenHash = tokenHash;
  }

  addBlock(rec: BlockRecord): void {
    this.group.wrote();
    this.blocks.push({ ...rec });
  }

  findBlock(email: string, address: string, now: string): BlockRecord | null {
    const b = this.blocks.find((x) => x.address === address && (x.byAddress || x.email === email) && x.expiresAt > now);
    return b ? { ...b } : null;
  }

  listBlocks(now: string): BlockRecord[] {
    return this.blocks.filter((b) => b.expiresAt > now).reverse().map((b) => ({ ...b }));
  }

  removeBlock(id: string): boolean {
    this.group.wrote();
    const i = this.blocks.findIndex((b) => b.id === id);
    if (i < 0) return false;
    this.blocks.splice(i, 1);
    return true;
  }

  addNote(note: AgentNote): void {
    this.group.wrote();
    this.notes.push(copy(note));
  }

  listNotes(conversationId: string): AgentNote[] {
    return copy(this.notes.filter((n) => n.conversationId === conversationId));
  }

  addUploadRequest(rec: UploadRequestRecord): void {
    this.group.wrote();
    this.requests.set(rec.requestId, { ...rec });
  }

  getUploadRequest(requestId: string): UploadRequestRecord | null {
    const r = this.requests.get(requestId);
    return r ? { ...r } : null;
  }

  addFile(rec: FileRecord): void {
    this.group.wrote();
    this.files.set(rec.fileId, { ...rec });
  }

  getFile(fileId: string): FileRecord | null {
    const f = this.files.get(fileId);
    return f ? { ...f } : null;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.group.flush();
  }
}
