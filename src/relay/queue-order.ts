/**
 * `QueueOrder`: the queued conversations in queue order (oldest request first, then by
 * id: the same order on every relay), kept in memory and changed one conversation at
 * a time, so a `hello` costs O(log n) and not a re-read of the queue. Built from the
 * store at start-up and kept in step with every commit, this relay's or another's; it
 * reports exactly the positions that moved, which the relay tells those visitors.
 *
 * A message left while nobody could answer (`requested.offline`) waits in a line of its
 * own (`messages`): it has no position customers are told, moves nobody's, is never
 * offered, and goes back to that line when it is transferred to the queue. Only the
 * live line (`queued`, `position`) is the queue anything counts.
 */
import { QueueLine, type Moved } from './queue-line.js';
import type { Store } from './store.js';

export type { Moved } from './queue-line.js';

/** The queue's order and every queued conversation's position. */
export class QueueOrder {
  /**
   * The place by age of every conversation that is or may again be queued (not ended):
   * its creation time (ISO, so text order is time order) and id.
   */
  private readonly rank = new Map<string, string>();
  /** The known conversations that are messages left (`requested.offline`). */
  private readonly offline = new Set<string>();
  private readonly live = new QueueLine((id) => this.rank.get(id));
  private readonly left = new QueueLine((id) => this.rank.get(id));

  /** The queue as the store has it: queued conversations, and active ones that may come back. */
  static async load(store: Store): Promise<QueueOrder> {
    const q = new QueueOrder();
    for (const c of await store.listConversations(['queued', 'active'])) {
      q.created(c.id, c.createdAt, c.offline === true);
      if (c.status === 'queued') q.enter(c.id);
    }
    return q;
  }

  /**
   * Records a conversation created at `createdAt` (ISO), a message left when `offline`;
   * it is not queued until `enter`.
   */
  created(id: string, createdAt: string, offline = false): void {
    if (this.rank.has(id)) return;
    this.rank.set(id, `${createdAt}.${id}`);
    if (offline) this.offline.add(id);
  }

  /** 1 = next in the live queue; undefined when not in it (a message left has none). */
  position(id: string): number | undefined {
    return this.live.position(id);
  }

  /** The live queue's ids, first in line first. */
  queued(): readonly string[] {
    return this.live.queued();
  }

  /** The queued messages left (`requested.offline`), oldest first. */
  messages(): readonly string[] {
    return this.left.queued();
  }

  /** The place by age of a conversation that may be queued, if known (it never changes). */
  rankOf(id: string): string | undefined {
    return this.rank.get(id);
  }

  /** Live queued ids placed after `r`, first in line first (a page cursor); all of them for ''. */
  queuedAfterRank(r: string): readonly string[] {
    return this.live.afterRank(r);
  }

  /** Queued messages left placed after `r`, oldest first (a page cursor); all of them for ''. */
  messagesAfterRank(r: string): readonly string[] {
    return this.left.afterRank(r);
  }

  /** The conversations known here (created and not ended), live or left as messages. */
  known(): IterableIterator<string> {
    return this.rank.keys();
  }

  /**
   * Puts a conversation (known by `created`) in its line at its place by age; returns
   * the live positions that moved (none for a message left).
   */
  enter(id: string): Moved[] {
    if (this.offline.has(id)) {
      this.left.enter(id);
      return [];
    }
    return this.live.enter(id);
  }

  /** Takes a conversation out of its line; returns the live positions that moved. */
  leave(id: string): Moved[] {
    if (this.offline.has(id)) {
      this.left.leave(id);
      return [];
    }
    return this.live.leave(id);
  }

  /** Forgets an ended conversation for good. */
  forget(id: string): Moved[] {
    const moved = this.leave(id);
    this.rank.delete(id);
    this.offline.delete(id);
    return moved;
  }
}
