/**
 * Cutting long answers into pages (`MAX_PAGE_BYTES`, `MAX_PAGE_ITEMS`): one rule for
 * every reply that carries a log or a list, so no single frame can grow with what a
 * customer wrote. A page always takes its first item, whatever its size.
 */
import { MAX_PAGE_BYTES, MAX_PAGE_ITEMS } from '../protocol/index.js';

/** The bytes `value` takes as JSON in a frame (UTF-8). */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value));
}

/** A page being filled: `add` takes an item while it fits. */
export class Page<T> {
  readonly items: T[] = [];
  private bytes = 0;

  /** Adds `item` and returns true, or returns false when the page is full (the item is left for the next one). */
  add(item: T): boolean {
    const size = jsonBytes(item) + 1;
    if (this.items.length > 0 && (this.bytes + size > MAX_PAGE_BYTES || this.items.length >= MAX_PAGE_ITEMS)) return false;
    this.items.push(item);
    this.bytes += size;
    return true;
  }
}

/** The longest prefix of `items` that fits one page, and whether more are left. */
export function takePage<T>(items: readonly T[]): { page: T[]; more: boolean } {
  const page = new Page<T>();
  let n = 0;
  while (n < items.length && page.add(items[n]!)) n++;
  return { page: page.items, more: n < items.length };
}
