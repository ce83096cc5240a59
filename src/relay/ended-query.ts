/**
 * The one SELECT behind `Store.listEnded`, for both SQL stores: they differ only in how
 * a parameter is written (`?` in SQLite, `$n` in PostgreSQL) and how a field of a JSON
 * text column is read (`json_extract` in SQLite, `#>>` in PostgreSQL). Kept apart so the
 * two stores cannot drift in filter or order, and so `store-sqlite.ts` stays within its
 * size. The order (`ended_at DESC, id DESC`) is served by the `conversations_ended` indexes.
 *
 * `search` is a substring match, ignoring case, on the email, the visitor's name (in the
 * `requested` event, seq 1), the text of every message (visitor's and agents') and of
 * every agent's note: what an agent reads in the record. No index serves it: it reads
 * the ended conversations newest first until a page is full. Case is folded by the
 * database's `lower()`: A to Z only in SQLite, every letter in PostgreSQL.
 */
import type { EndedQuery } from './store.js';

/** How one SQL database writes what differs. */
interface Dialect {
  /** The n-th (1-based) parameter. */
  param(n: number): string;
  /** The text at `path` (keys from the code, never from a user) in a JSON text column. */
  json(column: string, path: readonly string[]): string;
}

const DIALECTS: Record<'sqlite' | 'postgres', Dialect> = {
  sqlite: { param: () => '?', json: (c, path) => `json_extract(${c}, '$.${path.join('.')}')` },
  postgres: { param: (n) => `$${n}`, json: (c, path) => `(${c}::json #>> '{${path.join(',')}}')` },
};

/** `term` as a LIKE pattern that finds it anywhere, its own `%`, `_` and `\` taken literally. */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The statement's text and values for the store of `kind`. */
export function endedQuery(q: EndedQuery, kind: 'sqlite' | 'postgres'): { text: string; values: (string | number)[] } {
  const d = DIALECTS[kind];
  const values: (string | number)[] = [];
  const p = (v: string | number): string => {
    values.push(v);
    return d.param(values.length);
  };
  const where = ['ended_at IS NOT NULL'];
  if (q.email !== undefined) where.push(`lower(email) = lower(${p(q.email)})`);
  if (q.search !== undefined) {
    const pattern = containsPattern(q.search);
    const like = (expr: string): string => `lower(${expr}) LIKE lower(${p(pattern)}) ESCAPE '\\'`;
    where.push(`(${like('email')}
      OR EXISTS (SELECT 1 FROM events e WHERE e.conversation_id = conversations.id AND (
        (e.seq = 1 AND ${like(d.json('e.body', ['visitor', 'name']))})
        OR (${d.json('e.body', ['type'])} = 'message' AND ${like(d.json('e.body', ['text']))})))
      OR EXISTS (SELECT 1 FROM notes n WHERE n.conversation_id = conversations.id AND ${like(d.json('n.body', ['text']))}))`);
  }
  if (q.since !== undefined) where.push(`ended_at >= ${p(q.since)}`);
  if (q.until !== undefined) where.push(`ended_at < ${p(q.until)}`);
  if (q.after) where.push(`(ended_at < ${p(q.after.endedAt)} OR (ended_at = ${p(q.after.endedAt)} AND id < ${p(q.after.id)}))`);
  const text = `SELECT * FROM conversations WHERE ${where.join(' AND ')} ORDER BY ended_at DESC, id DESC LIMIT ${p(q.limit)}`;
  return { text, values };
}
