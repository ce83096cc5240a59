/**
 * An immutable value that changes by replacement and tells its subscribers, at most
 * once per batch (a page of 500 tiles renders once). The store's plumbing, apart so
 * the store reads as what it does.
 */
export class Snapshot<T> {
  private readonly listeners = new Set<(value: T) => void>();
  private batching = false;
  private changedInBatch = false;

  constructor(private current: T) {}

  get value(): T {
    return this.current;
  }

  /** Calls `fn` after every change; returns the function that unsubscribes. */
  subscribe(fn: (value: T) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Replaces the value and tells subscribers; returns false (telling no one) when `next` is the value already held. */
  replace(next: T): boolean {
    if (next === this.current) return false;
    this.current = next;
    if (this.batching) this.changedInBatch = true;
    else this.tell();
    return true;
  }

  /** Runs `fn` and tells subscribers once at the end, however many changes it made. */
  batch(fn: () => void): void {
    if (this.batching) return fn();
    this.batching = true;
    try {
      fn();
    } finally {
      this.batching = false;
      if (this.changedInBatch) {
        this.changedInBatch = false;
        this.tell();
      }
    }
  }

  /** Drops every subscriber. */
  clear(): void {
    this.listeners.clear();
  }

  private tell(): void {
    for (const fn of [...this.listeners]) fn(this.current);
  }
}
