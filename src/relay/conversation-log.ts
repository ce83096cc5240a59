/**
 * Writing a conversation's log, and telling about it only after the store's commit:
 * `commit` appends events within the log's limits and publishes them, the summary
 * and the queue positions that moved. Every commit, this relay's or one heard from
 * another relay on the bus, goes through `settle`, which keeps the queue order and
 * the open chats per address in step with the conversation's state. Whether an actor
 * may append is for the verbs of `conversations.ts` to decide, before they call
 * `commit`; when the log moved on under them (`StaleState`), they decide again.
 */
import { applyAgentEvent, foldAgentLog, type ConversationStatus, type EventBody, type LogEvent } from '../protocol/index.js';
import type { Bus, BusMessage } from './bus.js';
import type { ConversationCache, Entry } from './conversation-cache.js';
import { done, fail, type Outcome } from './errors.js';
import { bodiesBytes, fits } from './log-budget.js';
import { OpenChats } from './open-chats.js';
import { QueueOrder, type Moved } from './queue-order.js';
import type { ConversationRecord, Store } from './store.js';
import type { Summaries } from './summaries.js';
import { endedDelivery } from './webhooks.js';
import { CapacityReached } from './store-capacity.js';

/** Told when a commit stored webhook deliveries (the sender looks for due ones). */
export type DeliveriesStored = () => void;

/**
 * Thrown by `commit` when the store refused the append because the log had moved on
 * (another writer, maybe on another relay): the cached state is dropped, and the verb
 * runs again on the state as stored.
 */
export class StaleState extends Error {
  constructor(readonly conversationId: string) {
    super('the conversation changed while this was decided');
  }
}

/**
 * Runs `verb`, and again (on the state as stored: `commit` dropped the cached one)
 * while its write finds that another writer came first, at most `attempts` times.
 */
export async function decideAgain<T>(verb: () => Promise<Outcome<T>>, attempts: number): Promise<Outcome<T>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await verb();
    } catch (err) {
      if (!(err instanceof StaleState)) throw err;
      if (attempt >= attempts) return fail('conflict', 'the conversation changed; try again');
    }
  }
}

/** Appends and publishes; owns the queue order and the open chats, which only commits change. */
export class ConversationLog {
  private constructor(
    private readonly store: Store,
    private readonly bus: Bus,
    private readonly cache: ConversationCache,
    private readonly summaries: Summaries,
    private readonly now: () => number,
    /** Set when a webhook is configured: ending a conversation then stores its delivery. */
    private readonly deliveriesStored: DeliveriesStored | null,
    /** The queued conversations in order. */
    readonly queue: QueueOrder,
    /** Open chats per address. */
    readonly open: OpenChats,
    /** Messages left (`offline`) waiting for an agent, per address. */
    readonly left: OpenChats,
  ) {}

  /** Reads the queue and the open chats from the store. */
  static async open(
    store: Store,
    bus: Bus,
    cache: ConversationCache,
    summaries: Summaries,
    now: () => number,
    deliveriesStored: DeliveriesStored | null = null,
  ): Promise<ConversationLog> {
    const [queue, open, left] = await Promise.all([
      QueueOrder.load(store),
      OpenChats.load(store),
      OpenChats.load(store, (c) => c.status === 'queued' && c.offline === true),
    ]);
    return new ConversationLog(store, bus, cache, summaries, now, deliveriesStored, queue, open, left);
  }

  /** Tells every relay (the write it reports is committed: callers publish after awaiting it). */
  publish(message: BusMessage): void {
    this.bus.publish(message);
  }

  /** Now, as stored in events. */
  at(): string {
    return new Date(this.now()).toISOString();
  }

  /**
   * Appends events and, once they are committed, publishes them. A log that cannot
   * take them within its limits ends instead (`log_full`). With `ownerCapacity`, a new
   * owner who would own more active chats than that gets `at_capacity` instead.
   * @throws StaleState when the log moved on since the state was read.
   */
  async commit(id: string, bodies: EventBody[], ownerCapacity?: number): Promise<Outcome<LogEvent[]>> {
    const e = await this.cache.entry(id);
    if (!e) return fail('not_found', 'no such conversation');
    const at = this.at();
    const closing = bodies.length === 1 && bodies[0]!.type === 'ended';
    const adding = bodiesBytes(bodies, at, e.state.lastSeq + 1);
    if (!closing && !fits(e.state.lastSeq, e.bytes, bodies.length, adding)) {
      if (e.state.status !== 'ended') await this.commit(id, [{ type: 'ended', by: 'system', reason: 'log_full' }]);
      return fail('ended', 'this conversation reached its length limit');
    }
    const before = e.state;
    let next = before;
    let seq = before.lastSeq;
    for (const b of bodies) next = applyAgentEvent(next, { ...b, seq: ++seq, at } as LogEvent);
    // The webhook's delivery is stored in the commit that ends the conversation: never lost, never without its end.
    const ending = this.deliveriesStored !== null && before.status !== 'ended' && next.status === 'ended';
    const change = {
      status: next.status,
      ownerId: next.owner?.id ?? null,
      ...(ending ? { deliveries: [endedDelivery(id, at)] } : {}),
      ...(ownerCapacity !== undefined ? { ownerCapacity } : {}),
      // A live chat leaving the queue for an agent: the store keeps its first claim's time (the queue's wait).
      ...(before.status === 'queued' && next.status === 'active' && !before.offline ? { firstClaim: true as const } : {}),
    };
    let events: LogEvent[] | null;
    try {
      events = await this.store.append(id, before.lastSeq, bodies, at, change);
    } catch (err) {
      if (err instanceof CapacityReached) return fail('at_capacity', `${next.owner?.name ?? 'the agent'} has as many chats as they may`);
      throw err;
    }
    if (!events) {
      this.cache.forget(id);
      throw new StaleState(id);
    }
    if (ending) this.deliveriesStored?.();
    this.cache.committed(id, events);
    // The owners before and after (a transfer tells both).
    const agentIds = [...new Set([before.owner?.id, next.owner?.id].filter((a): a is string => a !== undefined))];
    this.publish({ kind: 'events', conversationId: id, events, agentIds });
    // A new status or owner changes every agent's list: all are told at once. Anything
    // else (a message) only changes the tile of those who hear this conversation, who
    // get its events anyway: they get one summary a while later for all such changes.
    // Offers, requests and guests change the tiles of the agents they name: told at once too.
    const routing = (['offer', 'transferRequest', 'invite', 'guests'] as const).some((k) => before[k] !== next[k]);
    const listChanged = before.status !== next.status || before.owner?.id !== next.owner?.id || routing;
    if (listChanged) this.summaries.publishSummary(id);
    else this.summaries.summaryLater(id);
    this.settle(id, next.status, e.record.ip, e.record.createdAt, next.offline);
    return done(events);
  }

  /**
   * Events another relay committed: the cached state follows them (or is read again
   * after a gap), and the queue and open chats follow the state.
   */
  async heard(id: string, events: readonly LogEvent[]): Promise<void> {
    let entry: Entry | null = this.cache.committed(id, events)?.entry ?? null;
    if (!entry) {
      // Not cached, or a gap: only what the queue needs, from the store when asked.
      const first = events[0];
      if (first?.type === 'requested' && first.seq === 1) {
        const record = await this.store.getConversation(id);
        const s = foldAgentLog(events);
        if (record) this.settle(id, s.status, record.ip, record.createdAt, s.offline);
        return;
      }
      entry = await this.cache.entry(id);
      if (!entry) return;
    }
    this.settle(id, entry.state.status, entry.record.ip, entry.record.createdAt, entry.state.offline);
  }

  /** Reads what the store has of a cached conversation after what this relay knows, and tells it here. */
  async readMissed(id: string): Promise<void> {
    const known = this.cache.cached(id)?.state.lastSeq;
    if (known === undefined) return;
    const rec = await this.store.getConversation(id);
    if (!rec || rec.lastSeq <= known) return;
    const events = await this.store.readEvents(id, known);
    await this.heard(id, events);
    this.bus.publish({ kind: 'events', conversationId: id, events, agentIds: rec.ownerId ? [rec.ownerId] : [] }, true);
  }

  /**
   * Keeps the queue and the open chats as a conversation's status says (a message left,
   * `offline`, waits in the queue's line of messages); tells visitors here whose position moved.
   */
  settle(id: string, status: ConversationStatus, ip: string, createdAt: string, offline: boolean): void {
    if (status === 'queued' && offline) this.left.opened(id, ip);
    else this.left.ended(id);
    if (status === 'ended') {
      this.open.ended(id);
      this.tellQueue(this.queue.forget(id));
      return;
    }
    this.open.opened(id, ip);
    this.queue.created(id, createdAt, offline);
    this.tellQueue(status === 'queued' ? this.queue.enter(id) : this.queue.leave(id));
  }

  /**
   * Brings the queue and the open chats in line with the store, whatever news was lost:
   * `open` are the queued and active conversations as read at `asOf` (ISO). A cached
   * state older than the stored one is dropped; one newer (a commit since) wins.
   */
  reconcile(open: readonly ConversationRecord[], asOf: string): void {
    const stored = new Map(open.map((r) => [r.id, r]));
    for (const id of [...this.queue.known()]) {
      // Not open in the store, and made before it was read: it ended.
      if (stored.has(id) || this.queue.rankOf(id)! >= asOf) continue;
      if (this.cache.cached(id)?.state.status !== 'ended') this.cache.forget(id);
      this.settle(id, 'ended', '', '', false);
    }
    for (const r of open) {
      const cached = this.cache.cached(r.id);
      if (cached && cached.state.lastSeq < r.lastSeq) this.cache.forget(r.id);
      const status = cached && cached.state.lastSeq >= r.lastSeq ? cached.state.status : r.status;
      this.settle(r.id, status, r.ip, r.createdAt, r.offline === true);
    }
  }

  /** Tells each queued visitor on this relay whose position moved (every relay works out its own). */
  private tellQueue(moved: readonly Moved[]): void {
    for (const [conversationId, position] of moved) this.bus.publish({ kind: 'queue', conversationId, position }, true);
  }
}
