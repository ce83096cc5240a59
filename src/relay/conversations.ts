/**
 * The conversation service: every rule of PROTOCOL.md sections 3-6 that changes a
 * log (hello, send, claim, transfer, uploads, end, block, sweeps), written against
 * `Store` and `Bus` only. It writes, and publishes only after the store's group
 * commit (`afterCommit`); it knows nothing of sockets or HTTP. State is the
 * protocol's fold of the stored log, cached per id; a failed commit drops the cache.
 */
import {
  applyEvent,
  CloseCode,
  EMPTY_STATE,
  foldLog,
  MAX_FILE_BYTES,
  MAX_PAGE_ITEMS,
  takePage,
  VISITOR_BYTES_RATE,
  type AgentNote,
  type AgentPresence,
  type AgentRef,
  type AgentStatus,
  type ConversationState,
  type ConversationSummary,
  type EventBody,
  type LogEvent,
  type PageInfo,
  type Visitor,
} from '../protocol/index.js';
import { addressKey } from './client-address.js';
import { Blocks, type BlockChoice } from './blocks.js';
import type { Bus, BusMessage } from './bus.js';
import { bodiesBytes, fits, logBytes } from './log-budget.js';
import { listPage, type ListPage } from './list-page.js';
import { done, fail, type Outcome } from './errors.js';
import { hashToken, newId, newToken, sameHash } from './ids.js';
import { QueueOrder, type Moved } from './queue-order.js';
import { RateLimiter, type Rate } from './rate-limit.js';
import type { ConversationRecord, FileRecord, Store } from './store.js';

/**
 * How long changes that leave a conversation's status and owner alone (messages) are
 * gathered into one summary for the agents who hear it.
 */
const SUMMARY_DELAY_MS = 1_000;

/** Who is acting: the visitor of one conversation (from `address`, when known), or an agent. */
export type Actor = { kind: 'visitor'; address?: string } | { kind: 'agent'; agent: AgentRef };

/** Options of the service; times in milliseconds. */
export interface ConversationsOptions {
  visitorMessageRate: Rate;
  abandonedAfterMs: number;
  idleAfterMs: number;
  /** Bytes of visitor messages one address may store per window; default `VISITOR_BYTES_RATE`. */
  visitorBytesRate?: Rate;
  /** How long a block lasts, in days; default `BLOCK_DAYS`. */
  blockDays?: number;
  now?: () => number;
}

interface Entry {
  state: ConversationState;
  record: ConversationRecord;
  /** Bytes of the stored log (for `MAX_LOG_BYTES`). */
  bytes: number;
}

/** The conversation service. One per relay process. */
export class Conversations {
  private readonly cache = new Map<string, Entry>();
  private readonly visitorSockets = new Map<string, number>();
  private readonly visitorLastSeen = new Map<string, number>();
  private readonly agentSockets = new Map<string, number>();
  private readonly agentStatus = new Map<string, AgentStatus>();
  private queue: QueueOrder;
  /** Conversations whose hearers are owed a summary (see `summaryLater`). */
  private readonly staleSummaries = new Set<string>();
  private summaryTimer: NodeJS.Timeout | null = null;
  private resyncQueued = false;
  private readonly messageRate: RateLimiter;
  private readonly visitorBytes: RateLimiter;
  readonly blocks: Blocks;
  private readonly now: () => number;
  private readonly startedAt: number;

  constructor(
    private readonly store: Store,
    private readonly bus: Bus,
    private readonly options: ConversationsOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    this.messageRate = new RateLimiter(options.visitorMessageRate, this.now);
    this.visitorBytes = new RateLimiter(options.visitorBytesRate ?? VISITOR_BYTES_RATE, this.now);
    this.blocks = new Blocks(store, this.now, options.blockDays);
    this.queue = QueueOrder.load(store);
  }

  /**
   * Runs `fn` once everything written so far is committed (at once when nothing is
   * pending); `onFail` instead when that commit fails.
   */
  afterCommit(fn: () => void, onFail?: (err: Error) => void): void {
    this.store.afterCommit(fn, onFail);
  }

  /** Every "tell someone" goes through here: published only after the commit of what it reports. */
  private publish(message: BusMessage): void {
    this.store.afterCommit(() => this.bus.publish(message), this.commitFailed);
  }

  /**
   * A group commit failed and SQLite undid its writes: the cached states and the
   * queue may hold them, so both are read again from the store (once per failure).
   * Nothing was published about the lost writes.
   */
  private readonly commitFailed = (): void => {
    if (this.resyncQueued) return;
    this.resyncQueued = true;
    queueMicrotask(() => {
      this.resyncQueued = false;
      this.cache.clear();
      try {
        this.queue = QueueOrder.load(this.store);
      } catch {
        // The store is gone (the relay is closing): there is nobody left to tell.
        return;
      }
      // Visitors are told only positions that differ from what they last heard.
      for (const id of this.queue.queued()) this.publish({ kind: 'queue', conversationId: id, position: this.queue.position(id)! });
    });
  };

  private at(): string {
    return new Date(this.now()).toISOString();
  }

  private entry(id: string): Entry | null {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const record = this.store.getConversation(id);
    if (!record) return null;
    const events = this.store.readEvents(id, 0);
    const e = { record, state: foldLog(events), bytes: logBytes(events) };
    this.cache.set(id, e);
    return e;
  }

  /** The folded state of a conversation, or null when there is none. */
  state(id: string): ConversationState | null {
    return this.entry(id)?.state ?? null;
  }

  /** The stored record of a conversation, or null. */
  record(id: string): ConversationRecord | null {
    return this.entry(id)?.record ?? null;
  }

  /** One page of the events after `afterSeq` (`MAX_PAGE_BYTES`), and whether more follow. */
  eventsPage(id: string, afterSeq: number): { events: LogEvent[]; more: boolean } {
    const rows = this.store.readEvents(id, afterSeq, MAX_PAGE_ITEMS + 1);
    const { page, more } = takePage(rows);
    return { events: page, more };
  }

  // ---- visitors -----------------------------------------------------------

  /** True when a `hello` with this email from this address must be refused. */
  isBlocked(email: string, ip: string): boolean {
    return this.blocks.refusing(email, ip) !== null;
  }

  /**
   * Starts a conversation: stores it with `requested` (seq 1) and returns its secret
   * token. The caller attaches the visitor's socket next (`visitorAttached`).
   */
  create(visitor: Visitor, page: PageInfo | undefined, ip: string): { id: string; token: string; events: LogEvent[] } {
    const id = newId();
    const token = newToken();
    const body: Extract<EventBody, { type: 'requested' }> = page ? { type: 'requested', visitor, page } : { type: 'requested', visitor };
    const at = this.at();
    const tokenHash = hashToken(token);
    const first = this.store.createConversation({ id, tokenHash, email: visitor.email, ip }, body, at);
    const record: ConversationRecord = { id, tokenHash, email: visitor.email, ip, createdAt: at, status: 'queued', ownerId: null, lastSeq: 1, agentReadSeq: 0 };
    this.cache.set(id, { record, state: applyEvent(EMPTY_STATE, first), bytes: logBytes([first]) });
    this.visitorLastSeen.set(id, this.now());
    // No summary yet: the visitor's socket attaches next (`visitorAttached`), and that
    // one summary tells every agent of the new chat, online.
    this.queue.created(id);
    this.tellQueue(this.queue.enter(id));
    return { id, token, events: [first] };
  }

  /**
   * True when conversation `id` may not be resumed: it ended blocked, or a block holds
   * its email at its address. (A block by address refuses new chats; others behind
   * it, such as an office, keep theirs.)
   */
  visitorBlocked(id: string): boolean {
    const e = this.entry(id);
    if (!e) return false;
    if (e.state.ended?.reason === 'blocked') return true;
    const b = this.blocks.refusing(e.record.email, e.record.ip);
    return b !== null && !b.byAddress;
  }

  /** Checks a visitor token against a conversation. */
  authenticate(id: string, token: string): boolean {
    const e = this.entry(id);
    return e !== null && sameHash(e.record.tokenHash, hashToken(token));
  }

  /** The conversation a visitor token belongs to, if any. */
  conversationForToken(token: string): ConversationRecord | null {
    return this.store.findConversationByTokenHash(hashToken(token));
  }

  /** 1 = next; undefined when not queued. */
  queuePosition(id: string): number | undefined {
    return this.queue.position(id);
  }

  /** A visitor socket joined the conversation. */
  visitorAttached(id: string): void {
    const n = (this.visitorSockets.get(id) ?? 0) + 1;
    this.visitorSockets.set(id, n);
    this.visitorLastSeen.set(id, this.now());
    if (n === 1) this.publishSummary(id);
  }

  /** A visitor socket left the conversation. */
  visitorDetached(id: string): void {
    const n = (this.visitorSockets.get(id) ?? 1) - 1;
    this.visitorLastSeen.set(id, this.now());
    if (n > 0) {
      this.visitorSockets.set(id, n);
      return;
    }
    this.visitorSockets.delete(id);
    this.publishSummary(id);
  }

  // ---- messages -----------------------------------------------------------

  /** `send` from either side: idempotent on clientId, owner-only for agents, rate-limited for visitors. */
  send(actor: Actor, id: string, clientId: string, text: string): Outcome<{ seq: number }> {
    const e = this.entry(id);
    if (!e) return fail('not_found', 'no such conversation');
    if (actor.kind === 'agent' && e.state.owner?.id !== actor.agent.id) return fail('forbidden', 'only the agent who owns this conversation may send');
    const first = this.store.findClientSeq(id, clientId);
    if (first !== null) return done({ seq: first });
    if (e.state.status === 'ended') return fail('ended', 'this conversation has ended');
    if (actor.kind === 'visitor' && !this.messageRate.hit(id)) return fail('rate_limited', 'too many messages; wait a few seconds');
    if (actor.kind === 'visitor' && actor.address !== undefined && !this.visitorBytes.hit(addressKey(actor.address), Buffer.byteLength(text))) {
      return fail('rate_limited', 'too much text from this address; wait a minute');
    }
    const body: EventBody =
      actor.kind === 'visitor'
        ? { type: 'message', from: 'visitor', text, clientId }
        : { type: 'message', from: 'agent', agent: actor.agent, text, clientId };
    const out = this.commit(id, [body]);
    return out.ok ? done({ seq: out.value[0]!.seq }) : out;
  }

  // ---- agent actions ------------------------------------------------------

  /** Claims a queued conversation: exactly one claimer wins, the others get `conflict`. */
  claim(agent: AgentRef, id: string): Outcome<void> {
    const e = this.entry(id);
    if (!e) return fail('not_found', 'no such conversation');
    if (e.state.status === 'ended') return fail('ended', 'this conversation has ended');
    if (e.state.status !== 'queued') return fail('conflict', 'this conversation is already claimed');
    const out = this.commit(id, [{ type: 'claimed', agent }]);
    return out.ok ? done(undefined) : out;
  }

  /** Asks the visitor for one file. */
  requestUpload(agent: AgentRef, id: string, note?: string): Outcome<{ requestId: string }> {
    const e = this.owned(agent, id);
    if (!e.ok) return e;
    if (e.value.state.openUpload) return fail('conflict', 'an upload request is already open');
    const requestId = newId();
    const body: EventBody = { type: 'upload_requested', requestId, agent, maxBytes: MAX_FILE_BYTES, ...(note ? { note } : {}) };
    this.store.addUploadRequest({ requestId, conversationId: id, agentId: agent.id, at: this.at() });
    const out = this.commit(id, [body]);
    return out.ok ? done({ requestId }) : out;
  }

  /** Cancels the open upload request (its visitor or the owner). */
  cancelUpload(actor: Actor, id: string, requestId: string): Outcome<void> {
    const e = actor.kind === 'agent' ? this.owned(actor.agent, id) : this.live(id);
    if (!e.ok) return e;
    const req = this.store.getUploadRequest(requestId);
    if (!req || req.conversationId !== id) return fail('not_found', 'no such upload request');
    if (e.value.state.openUpload?.requestId !== requestId) return fail('conflict', 'this upload request is no longer open');
    const out = this.commit(id, [{ type: 'upload_canceled', requestId, by: actor.kind }]);
    return out.ok ? done(undefined) : out;
  }

  /** Hands the conversation to another agent (transferred, then claimed) or back to the queue. */
  transfer(agent: AgentRef, id: string, toAgentId: string | undefined, note?: string): Outcome<void> {
    const e = this.owned(agent, id);
    if (!e.ok) return e;
    const extra = note ? { note } : {};
    let bodies: EventBody[];
    if (toAgentId === undefined) {
      bodies = [{ type: 'transferred', from: agent, to: { queue: true }, ...extra }];
    } else {
      const to = this.store.getAgent(toAgentId);
      if (!to) return fail('not_found', 'no such agent', 'toAgentId');
      if (to.id === agent.id) return fail('conflict', 'this conversation is already yours', 'toAgentId');
      const ref = { id: to.id, name: to.name };
      bodies = [
        { type: 'transferred', from: agent, to: { agent: ref }, ...extra },
        { type: 'claimed', agent: ref },
      ];
    }
    const out = this.commit(id, bodies);
    return out.ok ? done(undefined) : out;
  }

  /** Ends the conversation, by its visitor or its owner. */
  end(actor: Actor, id: string): Outcome<void> {
    const e = actor.kind === 'agent' ? this.owned(actor.agent, id) : this.live(id);
    if (!e.ok) return e;
    const body: EventBody = actor.kind === 'agent' ? { type: 'ended', by: 'agent', agent: actor.agent } : { type: 'ended', by: 'visitor' };
    const out = this.commit(id, [body]);
    return out.ok ? done(undefined) : out;
  }

  /**
   * Ends the conversation as blocked and records a block (see `blocks.ts`): this email
   * from this address, or the whole address when the agent chose so, until it expires.
   */
  block(agent: AgentRef, id: string, choice: BlockChoice = {}): Outcome<{ blockId: string }> {
    const e = this.owned(agent, id);
    if (!e.ok) return e;
    const { record } = e.value;
    const block = this.blocks.add(record, agent.id, choice);
    const out = this.commit(id, [{ type: 'ended', by: 'agent', agent, reason: 'blocked' }]);
    if (!out.ok) return out;
    // The same person's other chats end too, by the system: a block is not escaped by
    // keeping a second tab open. "The same person" is the same email from the same
    // address: a typed email alone never ends someone else's chat.
    const others = this.blocks.samePerson(record);
    for (const c of others) this.commit(c.id, [{ type: 'ended', by: 'system', reason: 'blocked' }]);
    this.publish({ kind: 'close_visitors', conversationIds: [id, ...others.map((c) => c.id)], code: CloseCode.BLOCKED, reason: 'blocked' });
    return done({ blockId: block.id });
  }

  /** Stores an internal note and tells agents; the visitor never sees it. */
  addNote(agent: AgentRef, id: string, text: string): Outcome<AgentNote> {
    const e = this.entry(id);
    if (!e) return fail('not_found', 'no such conversation');
    const note: AgentNote = { id: newId(), conversationId: id, agent, text, at: this.at() };
    this.store.addNote(note);
    this.publish({ kind: 'note', note, agentIds: [...new Set([agent.id, ...(e.state.owner ? [e.state.owner.id] : [])])] });
    return done(note);
  }

  /** The notes of a conversation, oldest first. */
  notes(id: string): AgentNote[] {
    return this.store.listNotes(id);
  }

  /** The visitor is typing: relayed to the agents who hear this conversation. */
  visitorTyping(id: string, on: boolean): void {
    const e = this.entry(id);
    if (!e || e.state.status === 'ended') return;
    this.publish({ kind: 'typing', conversationId: id, side: 'visitor', on, agentIds: e.state.owner ? [e.state.owner.id] : [] });
  }

  /** The visitor read up to a seq: relayed to agents. */
  visitorRead(id: string, upToSeq: number): void {
    const e = this.entry(id);
    if (!e) return;
    this.publish({ kind: 'read', conversationId: id, side: 'visitor', upToSeq, agentIds: e.state.owner ? [e.state.owner.id] : [] });
  }

  /** The owner is typing: relayed to the visitor. */
  agentTyping(agent: AgentRef, id: string, on: boolean): Outcome<void> {
    const e = this.owned(agent, id);
    if (!e.ok) return e;
    this.publish({ kind: 'typing', conversationId: id, side: 'agent', on, name: agent.name });
    return done(undefined);
  }

  /** An agent read up to a seq: counts for unread; relayed to the visitor when it is the owner. */
  agentRead(agent: AgentRef, id: string, upToSeq: number): Outcome<void> {
    const e = this.entry(id);
    if (!e) return fail('not_found', 'no such conversation');
    const isOwner = e.state.owner?.id === agent.id;
    if (!isOwner && e.state.status !== 'queued') return fail('forbidden', 'only the agent who owns this conversation may mark it read');
    const seq = Math.min(upToSeq, e.state.lastSeq);
    if (seq > e.record.agentReadSeq) {
      this.store.setAgentReadSeq(id, seq);
      e.record = { ...e.record, agentReadSeq: seq };
      this.publishSummary(id);
    }
    if (isOwner) this.publish({ kind: 'read', conversationId: id, side: 'agent', upToSeq: seq });
    return done(undefined);
  }

  // ---- uploads -------------------------------------------------------------

  /**
   * Checks that a visitor token may upload to `requestId` now: 404 no request, 403 not
   * this conversation's, 409 not open. Returns the conversation id.
   */
  uploadTarget(requestId: string, token: string): Outcome<{ conversationId: string }> {
    const req = this.store.getUploadRequest(requestId);
    if (!req) return fail('not_found', 'no such upload request');
    if (!this.authenticate(req.conversationId, token)) return fail('forbidden', 'this upload request belongs to another conversation');
    const e = this.entry(req.conversationId)!;
    if (e.state.status === 'ended') return fail('conflict', 'this conversation has ended');
    if (e.state.openUpload?.requestId !== requestId) return fail('conflict', 'this upload request is no longer open');
    return done({ conversationId: req.conversationId });
  }

  /** Records an uploaded file and appends its `file` event (the request must still be open). */
  fileUploaded(rec: FileRecord): Outcome<LogEvent> {
    const e = this.entry(rec.conversationId);
    if (!e) return fail('not_found', 'no such conversation');
    if (e.state.status === 'ended' || e.state.openUpload?.requestId !== rec.requestId) {
      return fail('conflict', 'this upload request is no longer open');
    }
    this.store.addFile(rec);
    const out = this.commit(rec.conversationId, [
      { type: 'file', requestId: rec.requestId, fileId: rec.fileId, name: rec.name, size: rec.size, mime: rec.mime },
    ]);
    return out.ok ? done(out.value[0]!) : out;
  }

  /** A file's metadata when `token` is its conversation's visitor token or any agent token. */
  fileFor(fileId: string, token: string): FileRecord | null {
    const f = this.store.getFile(fileId);
    if (!f) return null;
    if (this.authenticate(f.conversationId, token)) return f;
    return this.store.getAgentByTokenHash(hashToken(token)) ? f : null;
  }

  // ---- agents ---------------------------------------------------------------

  /** The agent a token belongs to, if any (checked against the store each time). */
  agentForToken(token: string): AgentRef | null {
    const a = this.store.getAgentByTokenHash(hashToken(token));
    return a ? { id: a.id, name: a.name } : null;
  }

  /** True while the agent exists with this token. */
  agentStillValid(agentId: string, token: string): boolean {
    const a = this.store.getAgent(agentId);
    return a !== null && sameHash(a.tokenHash, hashToken(token));
  }

  /** Every agent with its presence. */
  agents(): AgentPresence[] {
    return this.store.listAgents().map((a) => ({ id: a.id, name: a.name, status: this.presenceOf(a.id) }));
  }

  private presenceOf(agentId: string): AgentStatus {
    return this.agentSockets.has(agentId) ? (this.agentStatus.get(agentId) ?? 'online') : 'offline';
  }

  /** An agent socket signed in. */
  agentAttached(agent: AgentRef): void {
    const n = (this.agentSockets.get(agent.id) ?? 0) + 1;
    this.agentSockets.set(agent.id, n);
    if (n === 1) {
      this.agentStatus.set(agent.id, 'online');
      this.publish({ kind: 'presence', agent: { ...agent, status: 'online' } });
    }
  }

  /** An agent socket left. */
  agentDetached(agent: AgentRef): void {
    const n = (this.agentSockets.get(agent.id) ?? 1) - 1;
    if (n > 0) {
      this.agentSockets.set(agent.id, n);
      return;
    }
    this.agentSockets.delete(agent.id);
    this.agentStatus.delete(agent.id);
    this.publish({ kind: 'presence', agent: { ...agent, status: 'offline' } });
  }

  /** An agent changed status. */
  setStatus(agent: AgentRef, status: AgentStatus): void {
    if (this.agentStatus.get(agent.id) === status) return;
    this.agentStatus.set(agent.id, status);
    this.publish({ kind: 'presence', agent: { ...agent, status } });
  }

  /**
   * One page of what an agent's list shows: queued conversations (oldest first), then
   * its own active ones; `cursor` is the `next` of the page before (none: the first).
   */
  listPage(agentId: string, cursor?: string): ListPage {
    return listPage(this.queue, () => this.store.listActiveOwnedBy(agentId).map((c) => c.id), (id) => this.summary(id), cursor);
  }

  /** The list view of one conversation. */
  summary(id: string): ConversationSummary | null {
    const e = this.entry(id);
    if (!e) return null;
    const s = e.state;
    const out: ConversationSummary = {
      id,
      status: s.status,
      visitor: s.visitor ?? { email: e.record.email },
      visitorOnline: this.visitorSockets.has(id),
      requestedAt: s.requestedAt ?? e.record.createdAt,
      lastSeq: s.lastSeq,
      unread: s.visitorMessageSeqs.filter((q) => q > e.record.agentReadSeq).length,
    };
    if (s.page) out.page = s.page;
    if (s.owner) out.ownerId = s.owner.id;
    return out;
  }

  // ---- time-based endings -----------------------------------------------------

  /** Ends abandoned queued conversations and idle active ones. Returns how many ended. */
  sweep(): number {
    const t = this.now();
    let ended = 0;
    for (const c of this.store.listConversations(['queued', 'active'])) {
      const e = this.entry(c.id);
      if (!e) continue;
      if (e.state.status === 'queued' && !this.visitorSockets.has(c.id)) {
        const seen = this.visitorLastSeen.get(c.id) ?? this.startedAt;
        if (t - seen >= this.options.abandonedAfterMs) {
          if (this.commit(c.id, [{ type: 'ended', by: 'system', reason: 'abandoned' }]).ok) ended++;
        }
      } else if (e.state.status === 'active') {
        const last = Date.parse(e.state.lastActivityAt ?? e.record.createdAt);
        if (t - Math.max(last, this.startedAt) >= this.options.idleAfterMs) {
          if (this.commit(c.id, [{ type: 'ended', by: 'system', reason: 'idle' }]).ok) ended++;
        }
      }
    }
    this.messageRate.sweep();
    this.visitorBytes.sweep();
    // Ended conversations nobody is connected to are read from the store again if needed.
    for (const [id, e] of this.cache) {
      if (e.state.status === 'ended' && !this.visitorSockets.has(id)) {
        this.cache.delete(id);
        this.visitorLastSeen.delete(id);
      }
    }
    return ended;
  }

  // ---- internals --------------------------------------------------------------

  private live(id: string): Outcome<Entry> {
    const e = this.entry(id);
    if (!e) return fail('not_found', 'no such conversation');
    if (e.state.status === 'ended') return fail('ended', 'this conversation has ended');
    return done(e);
  }

  private owned(agent: AgentRef, id: string): Outcome<Entry> {
    const e = this.entry(id);
    if (!e) return fail('not_found', 'no such conversation');
    if (e.state.owner?.id !== agent.id) {
      return fail('forbidden', 'only the agent who owns this conversation may do this');
    }
    if (e.state.status === 'ended') return fail('ended', 'this conversation has ended');
    return done(e);
  }

  /**
   * Appends events (committed before anything is published), then publishes them. A
   * log that cannot take them within its limits ends instead (`log_full`).
   */
  private commit(id: string, bodies: EventBody[]): Outcome<LogEvent[]> {
    const e = this.entry(id);
    if (!e) return fail('not_found', 'no such conversation');
    const at = this.at();
    const closing = bodies.length === 1 && bodies[0]!.type === 'ended';
    const adding = bodiesBytes(bodies, at, e.state.lastSeq + 1);
    if (!closing && !fits(e.state.lastSeq, e.bytes, bodies.length, adding)) {
      if (e.state.status !== 'ended') this.commit(id, [{ type: 'ended', by: 'system', reason: 'log_full' }]);
      return fail('ended', 'this conversation reached its length limit');
    }
    const before = e.state;
    let next = before;
    let seq = before.lastSeq;
    for (const b of bodies) next = applyEvent(next, { ...b, seq: ++seq, at } as LogEvent);
    const change = { status: next.status, ownerId: next.owner?.id ?? null };
    const events = this.store.append(id, before.lastSeq, bodies, at, change);
    if (!events) {
      this.cache.delete(id);
      return fail('conflict', 'the conversation changed; try again');
    }
    e.state = next;
    e.bytes += adding;
    e.record = { ...e.record, ...change, lastSeq: next.lastSeq };
    // The owners before and after (a transfer tells both).
    const agentIds = [...new Set([before.owner?.id, next.owner?.id].filter((a): a is string => a !== undefined))];
    this.publish({ kind: 'events', conversationId: id, events, agentIds });
    // A new status or owner changes every agent's list: all are told at once. Anything
    // else (a message) only changes the tile of those who hear this conversation, who
    // get its events anyway: they get one summary a while later for all such changes.
    const listChanged = before.status !== next.status || before.owner?.id !== next.owner?.id;
    if (listChanged) this.publishSummary(id);
    else this.summaryLater(id);
    if (before.status !== next.status) {
      if (next.status === 'queued') this.tellQueue(this.queue.enter(id));
      else if (next.status === 'ended') this.tellQueue(this.queue.forget(id));
      else if (before.status === 'queued') this.tellQueue(this.queue.leave(id));
    }
    return done(events);
  }

  /** Publishes a summary to every signed-in agent, or only to `hearers` (and the conversation's watchers). */
  private publishSummary(id: string, hearers?: string[]): void {
    if (!hearers) this.staleSummaries.delete(id);
    const summary = this.summary(id);
    if (summary) this.publish(hearers ? { kind: 'summary', summary, agentIds: hearers } : { kind: 'summary', summary });
  }

  /** Sends the owner and watchers one summary of this conversation within `SUMMARY_DELAY_MS`, however many changes come first. */
  private summaryLater(id: string): void {
    this.staleSummaries.add(id);
    if (this.summaryTimer) return;
    this.summaryTimer = setTimeout(() => {
      this.summaryTimer = null;
      const ids = [...this.staleSummaries];
      this.staleSummaries.clear();
      for (const c of ids) {
        const s = this.summary(c);
        if (!s) continue;
        // Only the counts changed: a few bytes, not the whole tile. A queued chat's tile
        // is on every agent's list; an active one only on its owner's (and watchers').
        const activity = { kind: 'activity' as const, conversationId: c, lastSeq: s.lastSeq, unread: s.unread };
        this.publish(s.status === 'queued' ? activity : { ...activity, agentIds: s.ownerId ? [s.ownerId] : [] });
      }
    }, SUMMARY_DELAY_MS);
    this.summaryTimer.unref();
  }

  /** Tells each queued visitor whose position moved. */
  private tellQueue(moved: readonly Moved[]): void {
    for (const [conversationId, position] of moved) this.publish({ kind: 'queue', conversationId, position });
  }

  /** Forgets cached state (after close). */
  clear(): void {
    this.cache.clear();
    if (this.summaryTimer) clearTimeout(this.summaryTimer);
    this.summaryTimer = null;
    this.staleSummaries.clear();
  }
}
