/**
 * Cutting long answers into pages (`MAX_PAGE_BYTES`, `MAX_PAGE_ITEMS`): one rule for
 * every reply that carries a log or a list, so no single frame can grow with what a
 * customer wrote. The relay pages; clients ask for more until `more` is false.
 */
import { MAX_PAGE_BYTES, MAX_PAGE_ITEMS } from './limits.js';

/** The bytes `value` takes in a JSON frame (UTF-8). */
export function jsonBytes(value: unknown): number {
  const text = JSON.stringify(value);
  let bytes = text.length;
  // UTF-8: U+0080-U+07FF take 2 bytes, the rest of the BMP 3, and a surrogate pair
  // (two UTF-16 units) 4, so each half counts 2.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x7f) continue;
    bytes += c <= 0x7ff || (c >= 0xd800 && c <= 0xdfff) ? 1 : 2;
  }
  return bytes;
}

/**
 * The longest prefix of `items` within `maxBytes` of JSON and `maxItems` items (at
 * least one item when there is any), and whether more are left.
 */
export function takePage<T>(items: readonly T[], maxBytes = MAX_PAGE_BYTES, maxItems = MAX_PAGE_ITEMS): { page: T[]; more: boolean } {
  let bytes = 0;
  let n = 0;
  while (n < items.length && n < maxItems) {
    const size = jsonBytes(items[n]) + 1;
    if (n > 0 && bytes + size > maxBytes) break;
    bytes += size;
    n++;
  }
  return { page: items.slice(0, n), more: n < items.length };
}
