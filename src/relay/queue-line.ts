/**
 * `QueueLine`: one line of queued conversations kept in order by a fixed rank (their
 * place by age), with each one's position (1 = next), changed one conversation at a
 * time in O(log n) to find the place. `QueueOrder` keeps two: the live queue, whose
 * positions customers are told, and the messages left while nobody could answer.
 */

/** A conversation whose queue position is now `position` (1 = next). */
export type Moved = readonly [id: string, position: number];

/** Queued ids in rank order and their positions. */
export class QueueLine {
  /** Queued ids, ascending by rank. */
  private readonly ids: string[] = [];
  private readonly positions = new Map<string, number>();

  /** `rankOf` gives each id's rank (text order is queue order); it never changes. */
  constructor(private readonly rankOf: (id: string) => string | undefined) {}

  /** 1 = next; undefined when not in this line. */
  position(id: string): number | undefined {
    return this.positions.get(id);
  }

  /** The ids in line, first first. */
  queued(): readonly string[] {
    return this.ids;
  }

  /** The ids placed after rank `r`, first first; all of them for ''. */
  afterRank(r: string): readonly string[] {
    const i = this.indexFor(r);
    return this.ids.slice(i < this.ids.length && this.rankOf(this.ids[i]!) === r ? i + 1 : i);
  }

  /** Puts `id` in line at its place by rank; returns the positions that moved. */
  enter(id: string): Moved[] {
    const r = this.rankOf(id);
    if (this.positions.has(id) || r === undefined) return [];
    const i = this.indexFor(r);
    this.ids.splice(i, 0, id);
    return this.renumberFrom(i);
  }

  /** Takes `id` out of line; returns the positions that moved. */
  leave(id: string): Moved[] {
    const p = this.positions.get(id);
    if (p === undefined) return [];
    this.positions.delete(id);
    this.ids.splice(p - 1, 1);
    return this.renumberFrom(p - 1);
  }

  /** First index whose rank is not below `r` (binary search). */
  private indexFor(r: string): number {
    let lo = 0;
    let hi = this.ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.rankOf(this.ids[mid]!)! < r) lo = mid + 1;
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
