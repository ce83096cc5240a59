/**
 * `QueueOrder`: the queued conversations in queue order (oldest request first), kept
 * in memory and changed one conversation at a time, so a `hello` costs O(log n) and
 * not a re-read of the queue. Built from the store at start-up; it reports exactly
 * the positions that moved, which the relay tells those visitors.
 */
import type { Store } from './store.js';

/** A conversation whose queue position is now `position` (1 = next). */
export type Moved = readonly [id: string, position: number];

/** The queue's order and every queued conversation's position. */
export class QueueOrder {
  /** Creation rank of every conversation that is or may again be queued (not ended). */
  private readonly rank = new Map<string, number>();
  private nextRank = 0;
  /** Queued ids, ascending by rank. */
  private readonly ids: string[] = [];
  private readonly positions = new Map<string, number>();

  /** The queue as the store has it: queued conversations, and active ones that may come back. */
  static load(store: Store): QueueOrder {
    const q = new QueueOrder();
    for (const c of store.listConversations(['queued', 'active'])) {
      q.created(c.id);
      if (c.status === 'queued') q.enter(c.id);
    }
    return q;
  }

  /** Records a new conversation (after every older one); it is not queued until `enter`. */
  created(id: string): void {
    if (!this.rank.has(id)) this.rank.set(id, this.nextRank++);
  }

  /** 1 = next; undefined when not queued. */
  position(id: string): number | undefined {
    return this.positions.get(id);
  }

  /** Queued ids, first in line first. */
  queued(): readonly string[] {
    return this.ids;
  }

  /** The rank of a conversation that may be queued (its place by age), if known. */
  rankOf(id: string): number | undefined {
    return this.rank.get(id);
  }

  /** Queued ids whose rank is above `r`, first in line first (a page cursor). */
  queuedAfterRank(r: number): readonly string[] {
    return this.ids.slice(this.indexFor(r + 1));
  }

  /** Puts a conversation in the queue at its place by age; returns the positions that moved. */
  enter(id: string): Moved[] {
    if (this.positions.has(id)) return [];
    this.created(id);
    const i = this.indexFor(this.rank.get(id)!);
    this.ids.splice(i, 0, id);
    return this.renumberFrom(i);
  }

  /** Takes a conversation out of the queue; returns the positions that moved. */
  leave(id: string): Moved[] {
    const p = this.positions.get(id);
    if (p === undefined) return [];
    this.positions.delete(id);
    this.ids.splice(p - 1, 1);
    return this.renumberFrom(p - 1);
  }

  /** Forgets an ended conversation for good. */
  forget(id: string): Moved[] {
    const moved = this.leave(id);
    this.rank.delete(id);
    return moved;
  }

  /** First index whose rank is above `r` (binary search). */
  private indexFor(r: number): number {
    let lo = 0;
    let hi = this.ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.rank.get(this.ids[mid]!)! < r) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private renumberFrom(i: number): Moved[] {
    const moved: Moved[] = [];
    for (let k = i; k < this.ids.length; k++) {
      const id = this.ids[k]!;
      if (this.positions.get(id) !== k + 1) {
        this.positions.set(id, k + 1);
        moved.push([id, k + 1]);
      }
    }
    return moved;
  }
}
