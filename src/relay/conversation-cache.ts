/**
 * The conversation service's cache of states. A conversation's state is the protocol's
 * fold of its stored log: folded once on first use, then kept in step as events are
 * committed, by this relay or (heard on the bus) by another. What may be wrong is
 * dropped and read again from the store when next needed: one conversation after a
 * write found its log had moved on or after a gap in what the bus brought, ended ones
 * nobody here is connected to at a sweep.
 */
import { applyAgentEvent, foldAgentLog, type AgentConversationState, type AgentRef, type LogEvent } from '../protocol/index.js';
import { done, fail, type Outcome } from './errors.js';
import { logBytes } from './log-budget.js';
import type { ConversationRecord, Store } from './store.js';

/** One conversation as the service knows it. */
export interface Entry {
  state: AgentConversationState;
  record: ConversationRecord;
  /** Bytes of the stored log (for `MAX_LOG_BYTES`). */
  bytes: number;
  /** The seq of each message's `clientId` in the log, so that a resend is answered without reading the store. */
  clientSeqs: Map<string, number>;
  /** The customer's read mark as this relay last stored it (`SideChannels.visitorRead`). */
  visitorReadSeq?: number;
}

/** The `clientId`s of the messages among `events`, with their seqs, added to `into`. */
function noteClientIds(events: readonly LogEvent[], into: Map<string, number>): Map<string, number> {
  for (const e of events) if (e.type === 'message') into.set(e.clientId, e.seq);
  return into;
}

/** The cached entries, read from the store on a miss. */
export class ConversationCache {
  private readonly entries = new Map<string, Entry>();
  /** Reads in flight, so that concurrent misses of one conversation read it once. */
  private readonly loading = new Map<string, Promise<Entry | null>>();

  constructor(private readonly store: Store) {}

  /** The entry of a conversation, or null when there is none. */
  entry(id: string): Promise<Entry | null> {
    const hit = this.entries.get(id);
    if (hit) return Promise.resolve(hit);
    let pending = this.loading.get(id);
    if (!pending) {
      pending = this.load(id).finally(() => this.loading.delete(id));
      this.loading.set(id, pending);
    }
    return pending;
  }

  /** The entry when it is cached now, without reading the store. */
  cached(id: string): Entry | undefined {
    return this.entries.get(id);
  }

  private async load(id: string): Promise<Entry | null> {
    const record = await this.store.getConversation(id);
    if (!record) return null;
    const events = await this.store.readEvents(id, 0);
    const e: Entry = {
      record: { ...record, lastSeq: Math.max(record.lastSeq, events.length) },
      state: foldAgentLog(events),
      bytes: logBytes(events),
      clientSeqs: noteClientIds(events, new Map()),
    };
    // A commit heard while reading may have cached a newer entry: keep the newer one.
    const now = this.entries.get(id);
    if (now && now.state.lastSeq >= e.state.lastSeq) return now;
    this.entries.set(id, e);
    return e;
  }

  /** The entry of a conversation that has not ended. */
  async live(id: string): Promise<Outcome<Entry>> {
    const e = await this.entry(id);
    if (!e) return fail('not_found', 'no such conversation');
    if (e.state.status === 'ended') return fail('ended', 'this conversation has ended');
    return done(e);
  }

  /** The entry of a conversation that `agent` owns and that has not ended. */
  async owned(agent: AgentRef, id: string): Promise<Outcome<Entry>> {
    const e = await this.entry(id);
    if (!e) return fail('not_found', 'no such conversation');
    if (e.state.owner?.id !== agent.id) {
      return fail('forbidden', 'only the agent who owns this conversation may do this');
    }
    if (e.state.status === 'ended') return fail('ended', 'this conversation has ended');
    return done(e);
  }

  /** Caches a conversation just stored with its first events (nothing to read back). */
  created(record: ConversationRecord, events: readonly LogEvent[]): void {
    this.entries.set(record.id, { record, state: foldAgentLog(events), bytes: logBytes(events), clientSeqs: noteClientIds(events, new Map()) });
  }

  /**
   * Folds committed events into a cached entry. Returns the state before and after,
   * or null when the entry is not cached, or was dropped because the events do not
   * follow its last seq (a gap: it is read again when next needed).
   */
  committed(id: string, events: readonly LogEvent[]): { before: AgentConversationState; entry: Entry } | null {
    const e = this.entries.get(id);
    if (!e) return null;
    const fresh = events.filter((ev) => ev.seq > e.state.lastSeq);
    if (fresh.length === 0) return { before: e.state, entry: e };
    if (fresh[0]!.seq !== e.state.lastSeq + 1) {
      this.entries.delete(id);
      return null;
    }
    const before = e.state;
    let next = before;
    for (const ev of fresh) next = applyAgentEvent(next, ev);
    e.state = next;
    e.bytes += logBytes(fresh);
    noteClientIds(fresh, e.clientSeqs);
    e.record = { ...e.record, status: next.status, ownerId: next.owner?.id ?? null, lastSeq: next.lastSeq };
    return { before, entry: e };
  }

  /** Drops one conversation. */
  forget(id: string): void {
    this.entries.delete(id);
  }

  /**
   * Drops the ended conversations for which `connected` is false and returns their ids:
   * they are read from the store again if needed.
   */
  dropEnded(connected: (id: string) => boolean): string[] {
    const dropped: string[] = [];
    for (const [id, e] of this.entries) {
      if (e.state.status === 'ended' && !connected(id)) {
        this.entries.delete(id);
        dropped.push(id);
      }
    }
    return dropped;
  }

  /** The ids cached now. */
  ids(): IterableIterator<string> {
    return this.entries.keys();
  }

  /** Drops everything. */
  clear(): void {
    this.entries.clear();
  }
}
