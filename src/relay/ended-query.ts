/**
 * The one SELECT behind `Store.listEnded`, for both SQL stores: they differ only in how
 * a parameter is written (`?` in SQLite, `$n` in PostgreSQL). Kept apart so the two
 * stores cannot drift in filter or order, and so `store-sqlite.ts` stays within its size.
 * The order (`ended_at DESC, id DESC`) is served by the `conversations_ended` indexes.
 */
import type { EndedQuery } from './store.js';

/** The statement's text and values; `param(n)` writes the n-th (1-based) parameter. */
export function endedQuery(q: EndedQuery, param: (n: number) => string): { text: string; values: (string | number)[] } {
  const values: (string | number)[] = [];
  const p = (v: string | number): string => {
    values.push(v);
    return param(values.length);
  };
  const where = ['ended_at IS NOT NULL'];
  if (q.email !== undefined) where.push(`lower(email) = lower(${p(q.email)})`);
  if (q.since !== undefined) where.push(`ended_at >= ${p(q.since)}`);
  if (q.until !== undefined) where.push(`ended_at < ${p(q.until)}`);
  if (q.after) where.push(`(ended_at < ${p(q.after.endedAt)} OR (ended_at = ${p(q.after.endedAt)} AND id < ${p(q.after.id)}))`);
  const text = `SELECT * FROM conversations WHERE ${where.join(' AND ')} ORDER BY ended_at DESC, id DESC LIMIT ${p(q.limit)}`;
  return { text, values };
}
