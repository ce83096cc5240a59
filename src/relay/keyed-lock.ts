/**
 * `KeyedLock`: runs async work one at a time per key (a conversation id), in the order
 * it was asked for. A verb reads a conversation's state, decides and writes; two verbs
 * on one conversation in this relay must not decide on the same state. (Writers on
 * other relays are ordered by the database's compare-and-set instead.)
 */

/** One promise chain per key, dropped when it runs dry. */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `fn` after every earlier `run` with the same key has settled (at once when there is none). */
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key);
    const result = before ? before.then(fn) : fn();
    const settled = (): void => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
    const tail: Promise<void> = result.then(settled, settled);
    this.tails.set(key, tail);
    return result;
  }

  /** Keys with work queued or running (for tests that nothing is kept). */
  get size(): number {
    return this.tails.size;
  }
}
