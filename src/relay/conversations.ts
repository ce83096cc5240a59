/**
 * The conversation service: every rule of docs/protocol.md that changes a log,
 * written against `Store` and `Bus` only; it knows nothing of sockets or HTTP. It
 * publishes only what is committed, runs the verbs of one conversation one at a time
 * in this relay, and decides a verb again when another relay wrote first. This class
 * is the service's one face; its parts have files of their own: cached states
 * (`conversation-cache.ts`), appending and publishing (`conversation-log.ts`), who is
 * connected (`presence.ts`), agents (`agent-roster.ts`), lists (`summaries.ts`),
 * claim, transfer and block (`handoffs.ts`), requests, offers and conferences
 * (`routing.ts`), endings that come with time
 * (`sweeps.ts`), uploads (`upload-requests.ts`), notes, typing and read marks
 * (`side-channels.ts`).
 */
import {
  isInChat,
  MAX_LEFT_MESSAGES_PER_ADDRESS,
  MAX_OPEN_CHATS_PER_ADDRESS,
  MAX_PAGE_ITEMS,
  VISITOR_BYTES_RATE,
  type AgentRef,
  type AgentConversationState,
  type ConversationSummary,
  type EventBody,
  type LogEvent,
  type PageInfo,
  type RatingValue,
  type Visitor,
} from '../protocol/index.js';
import { addressKey } from './client-address.js';
import { AgentRoster } from './agent-roster.js';
import { Blocks, type BlockChoice } from './blocks.js';
import type { Bus, BusMessage, Origin } from './bus.js';
import { ConversationCache } from './conversation-cache.js';
import { ConversationLog, decideAgain, type DeliveriesStored } from './conversation-log.js';
import { ConversationStarts, type Started } from './conversation-start.js';
import { Handoffs } from './handoffs.js';
import { Routing, ROUTING_DEFAULTS, type RoutingOptions } from './routing.js';
import { listPage, type ListPage } from './list-page.js';
import { takePage } from './paging.js';
import { done, fail, type Outcome } from './errors.js';
import { hashToken, sameHash } from './ids.js';
import { KeyedLock } from './keyed-lock.js';
import { localLimiters, type Limiter, type LimiterFactory } from './limiter.js';
import { Presence, HEARTBEAT_MS } from './presence.js';
import type { Rate } from './rate-limit.js';
import { SideChannels } from './side-channels.js';
import type { ConversationRecord, Store } from './store.js';
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
  /** Where rate limits are counted; default: in this process. */
  limiters?: LimiterFactory;
  /** How often this relay tells the others what it has connected; default `HEARTBEAT_MS`. */
  heartbeatMs?: number;
  /** How long message counts are gathered into one `activity` frame; default `SUMMARY_DELAY_MS`. */
  summaryDelayMs?: number;
  /** Set when a webhook is configured: ends then store a delivery, and this is told. */
  deliveriesStored?: DeliveriesStored;
  /** How chats reach agents, and how long requests wait (`ROUTING_DEFAULTS`). */
  routing?: Partial<RoutingOptions>;
  now?: () => number;
}

/** How often a verb is decided again when its conversation changed under it on another relay. */
const MAX_ATTEMPTS = 8;

/** The conversation service. One per relay process. */
export class Conversations {
  private readonly cache: ConversationCache;
  private readonly presence: Presence;
  private readonly summaries: Summaries;
  private readonly sweepParts: SweepParts;
  /** Upload requests and files (`upload-requests.ts`). */
  readonly uploads: UploadRequests;
  private readonly handoffs: Handoffs;
  /** Notes, typing and read marks: what is said beside the log (`side-channels.ts`). */
  readonly sideChannels: SideChannels;
  private readonly messageRate: Limiter;
  private readonly visitorBytes: Limiter;
  private readonly maxOpenChats: number;
  readonly blocks: Blocks;
  /** Agent accounts and statuses (`agent-roster.ts`). */
  readonly agents: AgentRoster;
  /** Claim, transfer, offers, requests and conferences, and their clock (`routing.ts`). */
  readonly routing: Routing;
  private readonly now: () => number;
  private readonly lock = new KeyedLock();
  private readonly starts: ConversationStarts;
  private log!: ConversationLog;
  private readonly unsubscribe: () => void;
  private readonly heartbeat: NodeJS.Timeout;

  private constructor(
    private readonly store: Store,
    private readonly bus: Bus,
    options: ConversationsOptions,
  ) {
    this.now = options.now ?? Date.now;
    const startedAt = this.now();
    const limiters = options.limiters ?? localLimiters(this.now);
    this.messageRate = limiters('message', options.visitorMessageRate);
    this.visitorBytes = limiters('bytes', options.visitorBytesRate ?? VISITOR_BYTES_RATE);
    this.blocks = new Blocks(store, this.now, options.blockDays);
    this.maxOpenChats = options.maxOpenChatsPerAddress ?? MAX_OPEN_CHATS_PER_ADDRESS;
    this.cache = new ConversationCache(store);
    const publish = (m: BusMessage, onlyHere?: boolean): void => bus.publish(m, onlyHere);
    const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
    this.presence = new Presence(bus.relayId, this.now, publish, (id) => this.summaries.publishSummary(id), heartbeatMs, () => bus.hearing);
    this.summaries = new Summaries(this.cache, this.presence, publish, options.summaryDelayMs);
    this.agents = new AgentRoster(store, this.presence);
    this.sideChannels = new SideChannels(store, this.cache, { publish, at: () => this.at() }, this.summaries, this.now, (id, fn) => this.lock.run(id, fn));
    this.uploads = new UploadRequests(store, this.cache, () => this.log, (id, token) => this.authenticate(id, token), (id, verb) => this.serially(id, verb));
    const serially = <T>(id: string, verb: () => Promise<Outcome<T>>): Promise<Outcome<T>> => this.serially(id, verb);
    this.handoffs = new Handoffs({ store, cache: this.cache, log: () => this.log, blocks: this.blocks, bus, serially });
    const routingParts = { store, cache: this.cache, log: () => this.log, presence: this.presence, handoffs: this.handoffs, serially, now: this.now, startedAt };
    this.routing = new Routing(routingParts, { ...ROUTING_DEFAULTS, ...options.routing });
    const { messageRate, visitorBytes } = this;
    this.starts = new ConversationStarts({ store, cache: this.cache, presence: this.presence, bus, log: () => this.log, now: this.now, messageRate, visitorBytes, deliveriesStored: options.deliveriesStored ?? null });
    const { abandonedAfterMs, idleAfterMs } = options;
    const end: SweepParts['end'] = async (id, due) => {
      const out = await this.serially(id, async () => {
        const e = await this.cache.entry(id);
        const reason = e ? due(e) : null;
        if (reason === null) return fail('conflict', 'no longer due');
        return this.log.commit(id, [{ type: 'ended', by: 'system', reason }]);
      });
      return out.ok;
    };
    const reconcile: SweepParts['reconcile'] = (open, asOf) => this.log.reconcile(open, asOf);
    this.sweepParts = { store, cache: this.cache, presence: this.presence, now: this.now, startedAt, abandonedAfterMs, idleAfterMs, end, reconcile };
    this.unsubscribe = bus.subscribe((m, origin) => this.heard(m, origin));
    // Other relays learn what this one has connected (a relay on its own has nobody to tell).
    this.heartbeat = setInterval(() => bus.shared && this.presence.beat(), heartbeatMs);
    this.heartbeat.unref();
  }

  /** Builds the service over a store and a bus; reads the queue from the store. */
  static async open(store: Store, bus: Bus, options: ConversationsOptions): Promise<Conversations> {
    const c = new Conversations(store, bus, options);
    c.log = await ConversationLog.open(store, bus, c.cache, c.summaries, c.now, options.deliveriesStored ?? null);
    return c;
  }

  /** Now, as stored. */
  private at(): string {
    return new Date(this.now()).toISOString();
  }

  /** Runs a verb on one conversation after the verbs before it here, deciding again when it went stale. */
  private serially<T>(id: string, verb: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
    return this.lock.run(id, () => decideAgain(verb, MAX_ATTEMPTS));
  }

  /** News from the bus: other relays' commits keep this relay's caches in step. */
  private heard(m: BusMessage, origin: Origin): void {
    if (m.kind === 'presence' || m.kind === 'heartbeat') return this.presence.heard(m);
    if (origin !== 'remote' || m.kind !== 'events') return;
    void this.lock.run(m.conversationId, () => this.log.heard(m.conversationId, m.events)).catch(() => {
      // The store is away: the cache is read again when next needed.
      this.cache.forget(m.conversationId);
    });
  }

  /** The folded state of a conversation, or null when there is none. */
  async state(id: string): Promise<AgentConversationState | null> {
    return (await this.cache.entry(id))?.state ?? null;
  }

  /** One page of the events after `afterSeq` (`MAX_PAGE_BYTES`), and whether more follow. */
  async eventsPage(id: string, afterSeq: number): Promise<{ events: LogEvent[]; more: boolean }> {
    const rows = await this.store.readEvents(id, afterSeq, MAX_PAGE_ITEMS + 1);
    const { page, more } = takePage(rows);
    return { events: page, more };
  }

  // ---- visitors -----------------------------------------------------------

  /**
   * Holds a place for a chat about to start from `ip` (see `OpenChats.hold`): among the
   * address's open chats (`maxOpenChatsPerAddress`) and, when it is a message left
   * (`leaving`), among its messages waiting for an agent (`MAX_LEFT_MESSAGES_PER_ADDRESS`).
   * The function that lets go of the place, or why there is none.
   */
  holdPlace(ip: string, leaving: boolean): Outcome<() => void> {
    const open = this.log.open.hold(ip, this.maxOpenChats);
    if (!open) return fail('rate_limited', 'too many open chats from this address; end one or try again later');
    const left = leaving ? this.log.left.hold(ip, MAX_LEFT_MESSAGES_PER_ADDRESS) : () => {};
    if (!left) {
      open();
      return fail('rate_limited', 'too many messages left from this address are waiting for an answer; try again later');
    }
    return done(() => (open(), left()));
  }

  /** True when a `hello` with this email from this address (`verified` by the site's signature, or not) must be refused. */
  async isBlocked(email: string, ip: string, verified = false): Promise<boolean> {
    return (await this.blocks.refusing(email, ip, verified)) !== null;
  }

  /**
   * Starts a conversation and returns its secret token (`conversation-start.ts`): a live
   * chat, or with `message` one the customer left for the team (`rate_limited` when the
   * message passes their limits). The caller attaches the visitor's socket next (`visitorAttached`).
   */
  create(visitor: Visitor, page: PageInfo | undefined, ip: string, message?: string): Promise<Outcome<Started>> {
    return this.starts.start(visitor, page, ip, message);
  }

  /**
   * True when conversation `id` may not be resumed: it ended blocked, or a block holds
   * its email at its address. (A block by address refuses new chats; others behind
   * it, such as an office, keep theirs.)
   */
  async visitorBlocked(id: string): Promise<boolean> {
    const e = await this.cache.entry(id);
    if (!e) return false;
    if (e.state.ended?.reason === 'blocked') return true;
    const b = await this.blocks.refusing(e.record.email, e.record.ip, e.state.visitor?.verified === true);
    return b !== null && !b.byAddress;
  }

  /** Checks a visitor token against a conversation. */
  async authenticate(id: string, token: string): Promise<boolean> {
    const e = await this.cache.entry(id);
    return e !== null && sameHash(e.record.tokenHash, hashToken(token));
  }

  /** The conversation a visitor token belongs to, if any. */
  conversationForToken(token: string): Promise<ConversationRecord | null> {
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
  send(actor: Actor, id: string, clientId: string, text: string): Promise<Outcome<{ seq: number }>> {
    let counted = false;
    return this.serially(id, async () => {
      const e = await this.cache.entry(id);
      if (!e) return fail('not_found', 'no such conversation');
      if (actor.kind === 'agent' && !isInChat(e.state, actor.agent.id)) return fail('forbidden', 'only the agents in this conversation may send');
      // A resend is answered from the cached log; one this relay has not heard of yet
      // makes the append find it, and this runs again on the log as stored.
      const first = e.clientSeqs.get(clientId);
      if (first !== undefined) return done({ seq: first });
      if (e.state.status === 'ended') return fail('ended', 'this conversation has ended');
      // Counted once, however often the write is decided again.
      if (actor.kind === 'visitor' && !counted) {
        if (!(await this.messageRate.hit(id))) return fail('rate_limited', 'too many messages; wait a few seconds');
        if (actor.address !== undefined && !(await this.visitorBytes.hit(addressKey(actor.address), Buffer.byteLength(text)))) {
          return fail('rate_limited', 'too much text from this address; wait a minute');
        }
        counted = true;
      }
      const body: EventBody =
        actor.kind === 'visitor'
          ? { type: 'message', from: 'visitor', text, clientId }
          : { type: 'message', from: 'agent', agent: actor.agent, text, clientId };
      const out = await this.log.commit(id, [body]);
      return out.ok ? done({ seq: out.value[0]!.seq }) : out;
    });
  }

  // ---- agent actions ------------------------------------------------------

  /** Ends the conversation, by its visitor or its owner. */
  end(actor: Actor, id: string): Promise<Outcome<void>> {
    return this.serially(id, async () => {
      const e = actor.kind === 'agent' ? await this.cache.owned(actor.agent, id) : await this.cache.live(id);
      if (!e.ok) return e;
      const body: EventBody = actor.kind === 'agent' ? { type: 'ended', by: 'agent', agent: actor.agent } : { type: 'ended', by: 'visitor' };
      const out = await this.log.commit(id, [body]);
      return out.ok ? done(undefined) : out;
    });
  }

  /**
   * The customer rates the chat, once it has ended, once: `rated` is the one event after
   * `ended`. A second rating gets `conflict`; one before the end, `conflict` too, and so
   * does one of a chat no agent took (nothing to rate) or that ended blocked.
   */
  rate(id: string, value: RatingValue, comment?: string): Promise<Outcome<void>> {
    return this.serially(id, async () => {
      const e = await this.cache.entry(id);
      if (!e) return fail('not_found', 'no such conversation');
      if (e.state.status !== 'ended') return fail('conflict', 'a chat is rated once it has ended');
      if (e.state.rating) return fail('conflict', 'this chat has been rated already');
      if (e.state.ended?.reason === 'blocked') return fail('conflict', 'a blocked chat is not rated');
      if (!(await this.store.readEvents(id, 0)).some((x) => x.type === 'claimed')) {
        return fail('conflict', 'no agent took this chat: there is nothing to rate');
      }
      const out = await this.log.commit(id, [{ type: 'rated', value, ...(comment ? { comment } : {}) }]);
      return out.ok ? done(undefined) : out;
    });
  }

  /** Ends the conversation as blocked and records a block (`handoffs.ts`). */
  block(agent: AgentRef, id: string, choice: BlockChoice = {}): Promise<Outcome<{ blockId: string }>> {
    return this.handoffs.block(agent, id, choice);
  }

  // ---- lists -------------------------------------------------------------------

  /**
   * One page of what an agent's list shows: queued conversations (oldest first), then
   * its own active ones, and those it is a guest in or asked to take over or join; `cursor` is the `next` of the page before (none: the first).
   */
  listPage(agentId: string, cursor?: string): Promise<ListPage> {
    return listPage(
      this.log.queue,
      async () => [...new Set([...(await this.store.listActiveOwnedBy(agentId)).map((c) => c.id), ...this.routing.involving(agentId)])],
      (id) => this.summary(id),
      cursor,
    );
  }

  /** The list view of one conversation. */
  summary(id: string): Promise<ConversationSummary | null> {
    return this.summaries.summary(id);
  }

  // ---- time and other relays ---------------------------------------------------

  /** Ends abandoned queued conversations and idle active ones. Returns how many ended. */
  async sweep(): Promise<number> {
    const ended = await sweep(this.sweepParts);
    this.messageRate.sweep();
    this.visitorBytes.sweep();
    this.sideChannels.sweep();
    return ended;
  }

  /**
   * Reads again, for each conversation some socket here follows, what the store has
   * after what this relay knows, and tells it here. News from another relay can be
   * lost (that relay died between its commit and its publish, or the bus was away):
   * this finds it. `ids` are the conversations to look at.
   */
  async catchUpWithStore(ids: Iterable<string>): Promise<void> {
    for (const id of ids) await this.lock.run(id, () => this.log.readMissed(id));
  }

  /** Sets the queue and open chats right from the store (the bus was away). */
  async resync(): Promise<void> {
    const asOf = this.at();
    this.log.reconcile(await this.store.listConversations(['queued', 'active']), asOf);
  }

  /** Stops hearing the bus and forgets cached state (after close). */
  close(): void {
    this.unsubscribe();
    clearInterval(this.heartbeat);
    this.cache.clear();
    this.summaries.clear();
  }
}
