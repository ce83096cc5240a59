/**
 * One timer per chat, restarted and cleared by chat id: the customer's typing goes
 * quiet, the agent's own typing goes off. Keeps the store free of timer bookkeeping.
 */
export class KeyedTimers {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  /** (Re)starts `key`'s timer; `fn` runs once after `ms` unless cleared first. */
  start(key: string, ms: number, fn: () => void): void {
    this.clear(key);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        fn();
      }, ms),
    );
  }

  /** Stops `key`'s timer; returns whether one was running. */
  clear(key: string): boolean {
    const t = this.timers.get(key);
    if (t === undefined) return false;
    clearTimeout(t);
    this.timers.delete(key);
    return true;
  }

  has(key: string): boolean {
    return this.timers.has(key);
  }

  /** Stops every timer. */
  clearAll(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
