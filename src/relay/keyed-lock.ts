/**
 * `KeyedLock`: runs async work one at a time per key (a conversation id), in the order
 * it was asked for. A verb reads a conversation's state, decides and writes; two verbs
 * on one conversation in this relay must not decide on the same state. (Writers on
 * other relays are ordered by the database's compare-and-set instead.)
 */

/** One promise chain per key, dropped when it runs dry. */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `fn` after every earlier `run` with the same key has settled. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    const result = before.then(fn);
    const tail = result.then(
      () => {},
      () => {},
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with work queued or running (for tests that nothing is kept). */
  get size(): number {
    return this.tails.size;
  }
}
