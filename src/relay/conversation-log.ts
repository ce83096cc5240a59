/**
 * Writing a conversation's log, and telling about it only after the store's group
 * commit: `commit` appends events within the log's limits, keeps the cached state and
 * the queue in step, and publishes the events, the summary and the queue positions
 * that moved. A failed group commit is undone by SQLite, so the cache and the queue
 * are then read again from the store. Whether an actor may append is for the verbs of
 * `conversations.ts` to decide, before they call `commit`.
 */
import { applyEvent, type EventBody, type LogEvent } from '../protocol/index.js';
import type { Bus, BusMessage } from './bus.js';
import type { ConversationCache } from './conversation-cache.js';
import { done, fail, type Outcome } from './errors.js';
import { bodiesBytes, fits } from './log-budget.js';
import { OpenChats } from './open-chats.js';
import { QueueOrder, type Moved } from './queue-order.js';
import type { Store } from './store.js';
import type { Summaries } from './summaries.js';

/** Appends and publishes; owns the queue order, which only a commit changes. */
export class ConversationLog {
  private queueOrder: QueueOrder;
  private openChats: OpenChats;
  private resyncQueued = false;

  constructor(
    private readonly store: Store,
    private readonly bus: Bus,
    private readonly cache: ConversationCache,
    private readonly summaries: Summaries,
    private readonly now: () => number,
  ) {
    this.queueOrder = QueueOrder.load(store);
    this.openChats = OpenChats.load(store);
  }

  /** Open chats per address (read again from the store after a failed commit). */
  get open(): OpenChats {
    return this.openChats;
  }

  /** The queued conversations in order (read again from the store after a failed commit). */
  get queue(): QueueOrder {
    return this.queueOrder;
  }

  /** Every "tell someone" goes through here: published only after the commit of what it reports. */
  publish(message: BusMessage): void {
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
        this.queueOrder = QueueOrder.load(this.store);
        this.openChats = OpenChats.load(this.store);
      } catch {
        // The store is gone (the relay is closing): there is nobody left to tell.
        return;
      }
      // Visitors are told only positions that differ from what they last heard.
      for (const id of this.queue.queued()) this.publish({ kind: 'queue', conversationId: id, position: this.queue.position(id)! });
    });
  };

  /** Now, as stored in events. */
  at(): string {
    return new Date(this.now()).toISOString();
  }

  /**
   * Appends events (committed before anything is published), then publishes them. A
   * log that cannot take them within its limits ends instead (`log_full`).
   */
  commit(id: string, bodies: EventBody[]): Outcome<LogEvent[]> {
    const e = this.cache.entry(id);
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
      this.cache.forget(id);
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
    if (listChanged) this.summaries.publishSummary(id);
    else this.summaries.summaryLater(id);
    if (before.status !== next.status) {
      if (next.status === 'queued') this.tellQueue(this.queue.enter(id));
      else if (next.status === 'ended') {
        this.tellQueue(this.queue.forget(id));
        this.openChats.ended(e.record.ip);
      }
      else if (before.status === 'queued') this.tellQueue(this.queue.leave(id));
    }
    return done(events);
  }

  /** A new conversation (from `ip`) joins the queue; each visitor whose position moved is told. */
  queueNew(id: string, ip: string): void {
    this.openChats.opened(ip);
    this.queue.created(id);
    this.tellQueue(this.queue.enter(id));
  }

  /** Tells each queued visitor whose position moved. */
  private tellQueue(moved: readonly Moved[]): void {
    for (const [conversationId, position] of moved) this.publish({ kind: 'queue', conversationId, position });
  }
}
