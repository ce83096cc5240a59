/**
 * The conversation service's cache of states. A conversation's state is the protocol's
 * fold of its stored log: folded once on first use, then kept in step by the service
 * as it appends, so a frame does not re-read a log. What may be wrong is dropped and
 * read again from the store when next needed: everything after a failed commit, one
 * conversation after a conflicting append, ended ones nobody is connected to at a sweep.
 */
import { applyEvent, EMPTY_STATE, foldLog, type AgentRef, type ConversationState, type LogEvent } from '../protocol/index.js';
import { done, fail, type Outcome } from './errors.js';
import { logBytes } from './log-budget.js';
import type { ConversationRecord, Store } from './store.js';

/** One conversation as the service knows it. */
export interface Entry {
  state: ConversationState;
  record: ConversationRecord;
  /** Bytes of the stored log (for `MAX_LOG_BYTES`). */
  bytes: number;
}

/** The cached entries, read from the store on a miss. */
export class ConversationCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly store: Store) {}

  /** The entry of a conversation, or null when there is none. */
  entry(id: string): Entry | null {
    const hit = this.entries.get(id);
    if (hit) return hit;
    const record = this.store.getConversation(id);
    if (!record) return null;
    const events = this.store.readEvents(id, 0);
    const e = { record, state: foldLog(events), bytes: logBytes(events) };
    this.entries.set(id, e);
    return e;
  }

  /** The entry of a conversation that has not ended. */
  live(id: string): Outcome<Entry> {
    const e = this.entry(id);
    if (!e) return fail('not_found', 'no such conversation');
    if (e.state.status === 'ended') return fail('ended', 'this conversation has ended');
    return done(e);
  }

  /** The entry of a conversation that `agent` owns and that has not ended. */
  owned(agent: AgentRef, id: string): Outcome<Entry> {
    const e = this.entry(id);
    if (!e) return fail('not_found', 'no such conversation');
    if (e.state.owner?.id !== agent.id) {
      return fail('forbidden', 'only the agent who owns this conversation may do this');
    }
    if (e.state.status === 'ended') return fail('ended', 'this conversation has ended');
    return done(e);
  }

  /** Caches a conversation just stored with its first event (nothing to read back). */
  created(record: ConversationRecord, first: LogEvent): void {
    this.entries.set(record.id, { record, state: applyEvent(EMPTY_STATE, first), bytes: logBytes([first]) });
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

  /** Drops everything. */
  clear(): void {
    this.entries.clear();
  }
}
