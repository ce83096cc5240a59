/**
 * `GroupCommit`: the end-of-turn commit of `SqliteStore`. Every write made during one
 * event-loop turn joins one group; the group is committed once (on `setImmediate` by
 * default) and only then are the callbacks waiting on it run, in the order they were
 * registered. When the commit fails, their `onFail` runs instead. Under load (the group
 * before had `BUSY_GROUP_WRITES` writes or more) a group gathers for `GATHER_MS` before
 * its commit: one fsync then covers more writes, which is most of a saturated relay's
 * time, while a quiet relay still commits at the end of the turn. `CommitScheduler`
 * and the small helpers below are shared with `PostgresStore`, whose groups run on a
 * pooled connection (`postgres-group.ts`).
 */

/** A callback waiting for a commit, and what to do instead when the commit fails. */
interface Waiter {
  fn: () => void;
  onFail: (err: Error) => void;
}

/**
 * How a store schedules the end of a group; the default is `setImmediate`. Tests may
 * keep `run` and call it later to hold a commit.
 */
export type CommitScheduler = (run: () => void) => void;

/** Options of the stores' group commit. */
export interface GroupCommitOptions {
  /**
   * Schedules the commit of a group; called once per group with the function that
   * commits it. Default: `setImmediate`, so a group is one event-loop turn.
   */
  scheduleCommit?: CommitScheduler;
}

/** The default scheduler: the end of the current event-loop turn. */
export const endOfTurn: CommitScheduler = (run) => void setImmediate(run);

/** Writes in a group from which the next group gathers for `GATHER_MS` (the default scheduler only). */
export const BUSY_GROUP_WRITES = 64;
/** How long a group gathers writes under load before its commit. */
export const GATHER_MS = 5;

export const toError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

/** What both stores answer once closed. */
export const closedError = (): Error => Object.assign(new Error('the store is closed'), { code: 'store_closed' });

/** One store's open group of writes and the callbacks waiting for its commit. */
export class GroupCommit {
  private waiters: Waiter[] = [];
  private open = false;
  /** Bumped at each commit, so a stale scheduled run does nothing. */
  private generation = 0;
  private readonly schedule: CommitScheduler;
  /** Whether the default scheduler is in use (it may gather under load). */
  private readonly adaptive: boolean;
  /** Writes in the open group, and in the group committed before it. */
  private writes = 0;
  private lastWrites = 0;

  /** `commit` makes the group's writes durable, or throws (having undone them). */
  constructor(
    private readonly commit: () => void,
    options: GroupCommitOptions = {},
  ) {
    this.schedule = options.scheduleCommit ?? endOfTurn;
    this.adaptive = options.scheduleCommit === undefined;
  }

  /** True while writes are waiting for their commit. */
  get pending(): boolean {
    return this.open;
  }

  /** A write is being made: opens the group (and schedules its commit) when none is open. */
  wrote(): void {
    this.writes++;
    if (this.open) return;
    this.open = true;
    const gen = this.generation;
    const run = (): void => {
      if (gen === this.generation) this.commitNow();
    };
    if (this.adaptive && this.lastWrites >= BUSY_GROUP_WRITES) setTimeout(run, GATHER_MS);
    else this.schedule(run);
  }

  /** Runs `fn` once the open group is committed (at once when no write is pending), else `onFail`. */
  after(fn: () => void, onFail: (err: Error) => void): void {
    if (!this.open) fn();
    else this.waiters.push({ fn, onFail });
  }

  /**
   * Commits the open group now (if any) and runs its callbacks. Returns the commit's
   * error, after every waiting `onFail` has run, or null.
   */
  commitNow(): Error | null {
    if (!this.open) return null;
    this.open = false;
    this.generation++;
    this.lastWrites = this.writes;
    this.writes = 0;
    const waiters = this.waiters;
    this.waiters = [];
    let failure: Error | null = null;
    try {
      this.commit();
    } catch (err) {
      failure = toError(err);
    }
    for (const w of waiters) {
      if (failure === null) w.fn();
      else w.onFail(failure);
    }
    return failure;
  }
}
