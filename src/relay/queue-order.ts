/**
 * `QueueOrder`: the queued conversations in queue order (oldest request first, then by
 * id: the same order on every relay), kept in memory and changed one conversation at
 * a time, so a `hello` costs O(log n) and not a re-read of the queue. Built from the
 * store at start-up and kept in step with every commit, this relay's or another's; it
 * reports exactly the positions that moved, which the relay tells those visitors.
 */
import type { Store } from './store.js';

/** A conversation whose queue position is now `position` (1 = next). */
export type Moved = readonly [id: string, position: number];

/** The queue's order and every queued conversation's position. */
export class QueueOrder {
  /**
   * The place by age of every conversation that is or may again be queued (not ended):
   * its creation time (ISO, so text order is time order) and id.
   */
  private readonly rank = new Map<string, string>();
  /** Queued ids, ascending by rank. */
  private readonly ids: string[] = [];
  private readonly positions = new Map<string, number>();

  /** The queue as the store has it: queued conversations, and active ones that may come back. */
  static async load(store: Store): Promise<QueueOrder> {
    const q = new QueueOrder();
    for (const c of await store.listConversations(['queued', 'active'])) {
      q.created(c.id, c.createdAt);
      if (c.status === 'queued') q.enter(c.id);
    }
    return q;
  }

  /** Records a conversation created at `createdAt` (ISO); it is not queued until `enter`. */
  created(id: string, createdAt: string): void {
    if (!this.rank.has(id)) this.rank.set(id, `${createdAt}.${id}`);
  }

  /** 1 = next; undefined when not queued. */
  position(id: string): number | undefined {
    return this.positions.get(id);
  }

  /** Queued ids, first in line first. */
  queued(): readonly string[] {
    return this.ids;
  }

  /** The place by age of a conversation that may be queued, if known (it never changes). */
  rankOf(id: string): string | undefined {
    return this.rank.get(id);
  }

  /** Queued ids placed after `r`, first in line first (a page cursor); all of them for ''. */
  queuedAfterRank(r: string): readonly string[] {
    return this.ids.slice(this.indexAfter(r));
  }

  /** The conversations known here (created and not ended). */
  known(): IterableIterator<string> {
    return this.rank.keys();
  }

  /** Puts a conversation (known by `created`) in the queue at its place by age; returns the positions that moved. */
  enter(id: string): Moved[] {
    const r = this.rank.get(id);
    if (this.positions.has(id) || r === undefined) return [];
    const i = this.indexFor(r);
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

  /** First index whose rank is not below `r` (binary search). */
  private indexFor(r: string): number {
    let lo = 0;
    let hi = this.ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.rank.get(this.ids[mid]!)! < r) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First index whose rank is above `r`. */
  private indexAfter(r: string): number {
    const i = this.indexFor(r);
    return i < this.ids.length && this.rank.get(this.ids[i]!) === r ? i + 1 : i;
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
