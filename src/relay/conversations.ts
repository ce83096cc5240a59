/**
 * The conversation service: every rule of PROTOCOL.md sections 3-6 that changes a
 * log (hello, send, claim, transfer, uploads, end, block, sweeps), written against
 * `Store` and `Bus` only. It writes, and publishes only after the store's group
 * commit (`afterCommit`); it knows nothing of sockets or HTTP. This class is the
 * service's one face and holds the verbs; its parts have files of their own: cached
 * states (`conversation-cache.ts`), appending and publishing (`conversation-log.ts`),
 * who is connected (`presence.ts`), agents' lists (`summaries.ts`), endings that come
 * with time (`sweeps.ts`), uploads (`upload-requests.ts`) and notes, typing and read
 * marks (`side-channels.ts`).
 */
import {
  CloseCode,
  MAX_OPEN_CHATS_PER_ADDRESS,
  MAX_PAGE_ITEMS,
  VISITOR_BYTES_RATE,
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
import { ConversationCache } from './conversation-cache.js';
import { ConversationLog } from './conversation-log.js';
import { listPage, type ListPage } from './list-page.js';
import { takePage } from './paging.js';
import { done, fail, type Outcome } from './errors.js';
import { hashToken, newId, newToken, sameHash } from './ids.js';
import { Presence } from './presence.js';
import { RateLimiter, type Rate } from './rate-limit.js';
import { SideChannels } from './side-channels.js';
import type { ConversationRecord, FileRecord, Store } from './store.js';
import { Summaries } from './summaries.js';
import { sweep, type SweepParts } from './sweeps.js';
import { UploadRequests } from './upload-requests.js';

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
  /** Open chats one address may have at once; default `MAX_OPEN_CHATS_PER_ADDRESS`. */
  maxOpenChatsPerAddress?: number;
  now?: () => number;
}

/** The conversation service. One per relay process. */
export class Conversations {
  private readonly cache: ConversationCache;
  private readonly presence: Presence;
  private readonly summaries: Summaries;
  private readonly sweepParts: SweepParts;
  private readonly log: ConversationLog;
  private readonly uploads: UploadRequests;
  /** Notes, typing and read marks: what is said beside the log (`side-channels.ts`). */
  readonly sideChannels: SideChannels;
  private readonly messageRate: RateLimiter;
  private readonly visitorBytes: RateLimiter;
  private readonly maxOpenChats: number;
  readonly blocks: Blocks;
  private readonly now: () => number;

  constructor(
    private readonly store: Store,
    bus: Bus,
    options: ConversationsOptions,
  ) {
    this.now = options.now ?? Date.now;
    const startedAt = this.now();
    this.messageRate = new RateLimiter(options.visitorMessageRate, this.now);
    this.visitorBytes = new RateLimiter(options.visitorBytesRate ?? VISITOR_BYTES_RATE, this.now);
    this.blocks = new Blocks(store, this.now, options.blockDays);
    this.maxOpenChats = options.maxOpenChatsPerAddress ?? MAX_OPEN_CHATS_PER_ADDRESS;
    this.cache = new ConversationCache(store);
    // Presence and summaries publish through the log, which is built last.
    const publish = (m: BusMessage): void => this.log.publish(m);
    this.presence = new Presence(this.now, publish, (id) => this.summaries.publishSummary(id));
    this.summaries = new Summaries(this.cache, this.presence, publish);
    this.log = new ConversationLog(store, bus, this.cache, this.summaries, this.now);
    this.sideChannels = new SideChannels(store, this.cache, this.log, this.summaries, this.now);
    this.uploads = new UploadRequests(store, this.cache, this.log, (id, token) => this.authenticate(id, token));
    const { abandonedAfterMs, idleAfterMs } = options;
    const end = (id: string, reason: 'abandoned' | 'idle'): boolean => this.log.commit(id, [{ type: 'ended', by: 'system', reason }]).ok;
    this.sweepParts = { store, cache: this.cache, presence: this.presence, now: this.now, startedAt, abandonedAfterMs, idleAfterMs, end };
  }

  /**
   * Runs `fn` once everything written so far is committed (at once when nothing is
   * pending); `onFail` instead when that commit fails.
   */
  afterCommit(fn: () => void, onFail?: (err: Error) => void): void {
    this.store.afterCommit(fn, onFail);
  }

  /** The folded state of a conversation, or null when there is none. */
  state(id: string): ConversationState | null {
    return this.cache.entry(id)?.state ?? null;
  }

  /** The stored record of a conversation, or null. */
  record(id: string): ConversationRecord | null {
    return this.cache.entry(id)?.record ?? null;
  }

  /** One page of the events after `afterSeq` (`MAX_PAGE_BYTES`), and whether more follow. */
  eventsPage(id: string, afterSeq: number): { events: LogEvent[]; more: boolean } {
    const rows = this.store.readEvents(id, afterSeq, MAX_PAGE_ITEMS + 1);
    const { page, more } = takePage(rows);
    return { events: page, more };
  }

  // ---- visitors -----------------------------------------------------------

  /** True when `ip`'s address already has its most open chats (`maxOpenChatsPerAddress`). */
  tooManyOpen(ip: string): boolean {
    return this.log.open.from(ip) >= this.maxOpenChats;
  }

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
    const at = this.log.at();
    const tokenHash = hashToken(token);
    const first = this.store.createConversation({ id, tokenHash, email: visitor.email, ip }, body, at);
    const record: ConversationRecord = { id, tokenHash, email: visitor.email, ip, createdAt: at, status: 'queued', ownerId: null, lastSeq: 1, agentReadSeq: 0 };
    this.cache.created(record, first);
    this.presence.visitorSeen(id);
    // No summary yet: the visitor's socket attaches next (`visitorAttached`), and that
    // one summary tells every agent of the new chat, online.
    this.log.queueNew(id, ip);
    return { id, token, events: [first] };
  }

  /**
   * True when conversation `id` may not be resumed: it ended blocked, or a block holds
   * its email at its address. (A block by address refuses new chats; others behind
   * it, such as an office, keep theirs.)
   */
  visitorBlocked(id: string): boolean {
    const e = this.cache.entry(id);
    if (!e) return false;
    if (e.state.ended?.reason === 'blocked') return true;
    const b = this.blocks.refusing(e.record.email, e.record.ip);
    return b !== null && !b.byAddress;
  }

  /** Checks a visitor token against a conversation. */
  authenticate(id: string, token: string): boolean {
    const e = this.cache.entry(id);
    return e !== null && sameHash(e.record.tokenHash, hashToken(token));
  }

  /** The conversation a visitor token belongs to, if any. */
  conversationForToken(token: string): ConversationRecord | null {
    return this.store.findConversationByTokenHash(hashToken(token));
  }

  /** 1 = next; undefined when not queued. */
  queuePosition(id: string): number | undefined {
    return this.log.queue.position(id);
  }

  /** A visitor socket joined the conversation. */
  visitorAttached(id: string): void {
    this.presence.visitorAttached(id);
  }

  /** A visitor socket left the conversation. */
  visitorDetached(id: string): void {
    this.presence.visitorDetached(id);
  }

  // ---- messages -----------------------------------------------------------

  /** `send` from either side: idempotent on clientId, owner-only for agents, rate-limited for visitors. */
  send(actor: Actor, id: string, clientId: string, text: string): Outcome<{ seq: number }> {
    const e = this.cache.entry(id);
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
    const out = this.log.commit(id, [body]);
    return out.ok ? done({ seq: out.value[0]!.seq }) : out;
  }

  // ---- agent actions ------------------------------------------------------

  /** Claims a queued conversation: exactly one claimer wins, the others get `conflict`. */
  claim(agent: AgentRef, id: string): Outcome<void> {
    const e = this.cache.entry(id);
    if (!e) return fail('not_found', 'no such conversation');
    if (e.state.status === 'ended') return fail('ended', 'this conversation has ended');
    if (e.state.status !== 'queued') return fail('conflict', 'this conversation is already claimed');
    const out = this.log.commit(id, [{ type: 'claimed', agent }]);
    return out.ok ? done(undefined) : out;
  }

  /** Asks the visitor for one file. */
  requestUpload(agent: AgentRef, id: string, note?: string): Outcome<{ requestId: string }> {
    return this.uploads.requestUpload(agent, id, note);
  }

  /** Cancels the open upload request (its visitor or the owner). */
  cancelUpload(actor: Actor, id: string, requestId: string): Outcome<void> {
    return this.uploads.cancelUpload(actor, id, requestId);
  }

  /** Hands the conversation to another agent (transferred, then claimed) or back to the queue. */
  transfer(agent: AgentRef, id: string, toAgentId: string | undefined, note?: string): Outcome<void> {
    const e = this.cache.owned(agent, id);
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
    const out = this.log.commit(id, bodies);
    return out.ok ? done(undefined) : out;
  }

  /** Ends the conversation, by its visitor or its owner. */
  end(actor: Actor, id: string): Outcome<void> {
    const e = actor.kind === 'agent' ? this.cache.owned(actor.agent, id) : this.cache.live(id);
    if (!e.ok) return e;
    const body: EventBody = actor.kind === 'agent' ? { type: 'ended', by: 'agent', agent: actor.agent } : { type: 'ended', by: 'visitor' };
    const out = this.log.commit(id, [body]);
    return out.ok ? done(undefined) : out;
  }

  /**
   * Ends the conversation as blocked and records a block (see `blocks.ts`): this email
   * from this address, or the whole address when the agent chose so, until it expires.
   */
  block(agent: AgentRef, id: string, choice: BlockChoice = {}): Outcome<{ blockId: string }> {
    const e = this.cache.owned(agent, id);
    if (!e.ok) return e;
    const { record } = e.value;
    const block = this.blocks.add(record, agent.id, choice);
    const out = this.log.commit(id, [{ type: 'ended', by: 'agent', agent, reason: 'blocked' }]);
    if (!out.ok) return out;
    // The same person's other chats end too, by the system: a block is not escaped by
    // keeping a second tab open. "The same person" is the same email from the same
    // address: a typed email alone never ends someone else's chat.
    const others = this.blocks.samePerson(record);
    for (const c of others) this.log.commit(c.id, [{ type: 'ended', by: 'system', reason: 'blocked' }]);
    this.log.publish({ kind: 'close_visitors', conversationIds: [id, ...others.map((c) => c.id)], code: CloseCode.BLOCKED, reason: 'blocked' });
    return done({ blockId: block.id });
  }

  // ---- uploads -------------------------------------------------------------

  /** Checks that a visitor token may upload to `requestId` now; returns the conversation id. */
  uploadTarget(requestId: string, token: string): Outcome<{ conversationId: string }> {
    return this.uploads.uploadTarget(requestId, token);
  }

  /** Records an uploaded file and appends its `file` event (the request must still be open). */
  fileUploaded(rec: FileRecord): Outcome<LogEvent> {
    return this.uploads.fileUploaded(rec);
  }

  /** A file's metadata when `token` is its conversation's visitor token or any agent token. */
  fileFor(fileId: string, token: string): FileRecord | null {
    return this.uploads.fileFor(fileId, token);
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
    return this.store.listAgents().map((a) => ({ id: a.id, name: a.name, status: this.presence.presenceOf(a.id) }));
  }

  /** An agent socket signed in. */
  agentAttached(agent: AgentRef): void {
    this.presence.agentAttached(agent);
  }

  /** An agent socket left. */
  agentDetached(agent: AgentRef): void {
    this.presence.agentDetached(agent);
  }

  /** An agent changed status. */
  setStatus(agent: AgentRef, status: AgentStatus): void {
    this.presence.setStatus(agent, status);
  }

  /**
   * One page of what an agent's list shows: queued conversations (oldest first), then
   * its own active ones; `cursor` is the `next` of the page before (none: the first).
   */
  listPage(agentId: string, cursor?: string): ListPage {
    return listPage(this.log.queue, () => this.store.listActiveOwnedBy(agentId).map((c) => c.id), (id) => this.summary(id), cursor);
  }

  /** The list view of one conversation. */
  summary(id: string): ConversationSummary | null {
    return this.summaries.summary(id);
  }

  // ---- time-based endings -----------------------------------------------------

  /** Ends abandoned queued conversations and idle active ones. Returns how many ended. */
  sweep(): number {
    const ended = sweep(this.sweepParts);
    this.messageRate.sweep();
    this.visitorBytes.sweep();
    this.sideChannels.sweep();
    return ended;
  }

  /** Forgets cached state (after close). */
  clear(): void {
    this.cache.clear();
    this.summaries.clear();
  }
}
