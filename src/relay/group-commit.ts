/**
 * `GroupCommit`: the end-of-turn commit both stores share. Every write made during one
 * event-loop turn joins one group; the group is committed once (on `setImmediate` by
 * default) and only then are the callbacks waiting on it run, in the order they were
 * registered. When the commit fails, their `onFail` runs instead.
 */

/** A callback waiting for a commit, and what to do instead when the commit fails. */
interface Waiter {
  fn: () => void;
  onFail: ((err: Error) => void) | undefined;
}

/** How a store schedules the end of a group; the default is `setImmediate`. */
export type CommitScheduler = (run: () => void) => void;

/** Options of the stores' group commit. */
export interface GroupCommitOptions {
  /**
   * Schedules the commit of a group; called once per group with the function that
   * commits it. Default: `setImmediate`, so a group is one event-loop turn.
   */
  scheduleCommit?: CommitScheduler;
  /** Told about a callback that threw (the other callbacks still run). Default: ignored. */
  onCallbackError?: (err: unknown) => void;
}

const toError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

/** One store's open group of writes and the callbacks waiting for its commit. */
export class GroupCommit {
  private waiters: Waiter[] = [];
  private open = false;
  /** Bumped at each flush, so a stale scheduled run does nothing. */
  private generation = 0;
  private readonly schedule: CommitScheduler;
  private readonly onCallbackError: (err: unknown) => void;

  /** `commit` makes the group's writes durable, or throws (having undone them). */
  constructor(
    private readonly commit: () => void,
    options: GroupCommitOptions = {},
  ) {
    this.schedule = options.scheduleCommit ?? ((run) => void setImmediate(run));
    this.onCallbackError = options.onCallbackError ?? (() => {});
  }

  /** True while writes are waiting for their commit. */
  get pending(): boolean {
    return this.open;
  }

  /** A write is being made: opens the group (and schedules its commit) when none is open. */
  wrote(): void {
    if (this.open) return;
    this.open = true;
    const gen = this.generation;
    this.schedule(() => {
      if (gen === this.generation) this.flushQuietly();
    });
  }

  /** Runs `fn` once the open group is committed; at once when no write is pending. */
  after(fn: () => void, onFail?: (err: Error) => void): void {
    if (!this.open) {
      this.run(fn);
      return;
    }
    this.waiters.push({ fn, onFail });
  }

  /**
   * Commits the open group now and runs its callbacks.
   * @throws the commit's error, after every waiting `onFail` has run.
   */
  flush(): void {
    const err = this.flushQuietly();
    if (err) throw err;
  }

  /** Commits and runs the callbacks; returns the commit's error instead of throwing. */
  private flushQuietly(): Error | null {
    if (!this.open) return null;
    this.open = false;
    this.generation++;
    const waiters = this.waiters;
    this.waiters = [];
    let failure: Error | null = null;
    try {
      this.commit();
    } catch (err) {
      failure = toError(err);
    }
    for (const w of waiters) {
      if (failure === null) this.run(w.fn);
      else if (w.onFail) {
        const f = w.onFail;
        const e = failure;
        this.run(() => f(e));
      }
    }
    return failure;
  }

  private run(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.onCallbackError(err);
    }
  }
}
