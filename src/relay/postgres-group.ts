/**
 * `PostgresGroup`: the group commit of `PostgresStore`. Writes issued during one
 * event-loop turn are queued; at the end of the turn one pooled connection runs BEGIN,
 * each write in order inside its own savepoint (a failing write undoes and rejects
 * only itself), COMMIT, and only then does any write's promise settle. A few groups
 * may be in flight at once, each on its own connection (they lock the conversation
 * rows they write in one order, so they wait for each other but cannot deadlock); the
 * relay never has two writes of one conversation in flight. A deadlock or
 * serialization failure retries the whole group, since writes are re-runnable closures.
 */
import type { Pool, PoolClient } from 'pg';
import { closedError, endOfTurn, toError, type CommitScheduler } from './group-commit.js';

/** One write: statements on the group's connection, inside its transaction. */
export type GroupOp<T> = (client: PoolClient) => Promise<T>;

/** Locks, at the start of a group, the rows its writes will update (in a fixed order, so groups cannot deadlock on them). */
export type LockRows = (client: PoolClient, keys: readonly string[]) => Promise<void>;

interface Queued {
  op: GroupOp<unknown>;
  locks: readonly string[];
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: Error };

/** SQLSTATEs after which the whole group is run again: deadlock detected, serialization failure. */
const RETRYABLE = new Set(['40P01', '40001']);
/** Runs of one group before its writes are rejected. */
const MAX_ATTEMPTS = 5;
/** Groups committing at once: a group waits on the network and the disk, not the CPU. */
const MAX_IN_FLIGHT = 4;

const sqlState = (err: Error): string | undefined => {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
};
const isRetryable = (err: Error): boolean => RETRYABLE.has(sqlState(err) ?? '');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The queue of writes of one `PostgresStore` and the group in flight. */
export class PostgresGroup {
  private queue: Queued[] = [];
  private readonly running = new Set<Promise<void>>();
  private scheduled = false;
  private closed = false;
  private readonly schedule: CommitScheduler;

  constructor(
    private readonly pool: Pool,
    private readonly lockRows: LockRows,
    scheduleCommit: CommitScheduler = endOfTurn,
  ) {
    this.schedule = scheduleCommit;
  }

  /**
   * Queues `op` for the next group; resolves with its result once the group is
   * committed. `locks` are keys for `lockRows` (conversation ids the op will update).
   */
  submit<T>(op: GroupOp<T>, locks: readonly string[] = []): Promise<T> {
    if (this.closed) return Promise.reject(closedError());
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ op, locks, resolve: resolve as (value: unknown) => void, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      this.schedule(() => {
        this.scheduled = false;
        this.startNext();
      });
    });
  }

  /** Waits for the group in flight, then commits what is queued (without waiting for its schedule). */
  async close(): Promise<void> {
    this.closed = true;
    this.startNext();
    while (this.running.size > 0 || this.queue.length > 0) {
      await Promise.all(this.running);
      this.startNext();
    }
  }

  /** Starts a group with the queued writes, unless enough are in flight. */
  private startNext(): void {
    if (this.running.size >= MAX_IN_FLIGHT || this.queue.length === 0) return;
    const group = this.queue;
    this.queue = [];
    const run: Promise<void> = this.commit(group).finally(() => {
      this.running.delete(run);
      // Writes queued while the groups ran: go on at once if their turn has ended.
      if (!this.scheduled || this.closed) this.startNext();
    });
    this.running.add(run);
  }

  /** Runs the group (again on deadlock), then settles every write's promise. */
  private async commit(group: Queued[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      let outcomes: Outcome[];
      try {
        outcomes = await this.attempt(group);
      } catch (caught) {
        const err = toError(caught);
        if (isRetryable(err) && attempt < MAX_ATTEMPTS) {
          await sleep(attempt * (5 + Math.random() * 20));
          continue;
        }
        for (const q of group) q.reject(err);
        return;
      }
      group.forEach((q, i) => {
        const o = outcomes[i]!;
        if (o.ok) q.resolve(o.value);
        else q.reject(o.error);
      });
      return;
    }
  }

  /** One run of the group in one transaction; throws when the group as a whole failed. */
  private async attempt(group: Queued[]): Promise<Outcome[]> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const keys = [...new Set(group.flatMap((q) => q.locks))];
      if (keys.length > 0) await this.lockRows(client, keys);
      // A group of one needs no savepoint: its transaction is its undo.
      const alone = group.length === 1;
      const outcomes: Outcome[] = [];
      for (const [i, q] of group.entries()) {
        if (!alone) await client.query(i === 0 ? 'SAVEPOINT op' : 'RELEASE SAVEPOINT op; SAVEPOINT op');
        try {
          outcomes.push({ ok: true, value: await q.op(client) });
        } catch (caught) {
          const err = toError(caught);
          if (alone || isRetryable(err)) throw err;
          await client.query('ROLLBACK TO SAVEPOINT op');
          outcomes.push({ ok: false, error: err });
        }
      }
      await client.query('COMMIT');
      return outcomes;
    } catch (err) {
      // An error the server did not answer with (a timeout, a cut connection) leaves the
      // connection in doubt: it is dropped, and the server rolls back what it held.
      if (sqlState(toError(err)) === undefined) broken = true;
      else {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
      }
      throw err;
    } finally {
      // A connection in doubt, or that cannot even roll back, is dropped rather than reused.
      client.release(broken);
    }
  }
}
