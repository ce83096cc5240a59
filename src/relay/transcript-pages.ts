/**
 * Reading transcript records page by page, for the HTTP routes (transcript-routes.ts)
 * and the `parley-relay export` command: the filters (`q`, `email`, `since`, `until`,
 * `cursor`) checked once, at the edge, and each page of ended conversations turned into
 * records by `transcriptOf`.
 */
import { isOpaqueId, MAX_SEARCH_LENGTH, normalizeEmail } from '../protocol/index.js';
import type { ConversationRecord, EndedQuery, Store } from './store.js';
import { transcriptOf, type TranscriptRecord } from './transcript.js';

/** What selects ended conversations, without the page size. */
export type Filters = Omit<EndedQuery, 'limit'>;

/** A refusal of a query parameter: 400 `invalid`. */
export class BadParam extends Error {}

/** An ISO 8601 time (a date, or a date and time with a zone), as the relay writes times. */
function isoParam(value: string | null, name: string): string | undefined {
  if (value === null) return undefined;
  const shape = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
  const ms = shape.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw new BadParam(`${name} must be an ISO 8601 time, e.g. 2026-01-31T00:00:00Z`);
  return new Date(ms).toISOString();
}

/** The opaque cursor after a record: base64url of `[endedAt, id]`. */
export const cursorAfter = (c: { endedAt: string; id: string }): string => Buffer.from(JSON.stringify([c.endedAt, c.id])).toString('base64url');

function readCursor(value: string | null): Filters['after'] {
  if (value === null) return undefined;
  let parsed: unknown = null;
  try {
    parsed = /^[A-Za-z0-9_-]{1,400}$/.test(value) ? JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) : null;
  } catch {
    // Not JSON: refused below.
  }
  if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && isOpaqueId(parsed[1])) {
    const ms = Date.parse(parsed[0]);
    if (!Number.isNaN(ms) && new Date(ms).toISOString() === parsed[0]) return { endedAt: parsed[0], id: parsed[1] };
  }
  throw new BadParam('cursor is not one this relay gave');
}

/**
 * The search term `q`: trimmed; empty or absent searches nothing (an empty search box);
 * at most `MAX_SEARCH_LENGTH` characters.
 */
function searchParam(value: string | null): string | undefined {
  const term = value?.trim();
  if (!term) return undefined;
  if ([...term].length > MAX_SEARCH_LENGTH) throw new BadParam(`q must be at most ${MAX_SEARCH_LENGTH} characters`);
  return term;
}

/** The filters of a list, CSV or export request. @throws BadParam */
export function filtersOf(q: URLSearchParams): Filters {
  const f: Filters = {};
  const search = searchParam(q.get('q'));
  if (search !== undefined) f.search = search;
  const email = q.get('email');
  if (email !== null) {
    const normal = normalizeEmail(email);
    if (normal === null) throw new BadParam('email is not an email address');
    f.email = normal;
  }
  const since = isoParam(q.get('since'), 'since');
  const until = isoParam(q.get('until'), 'until');
  const after = readCursor(q.get('cursor'));
  return { ...f, ...(since ? { since } : {}), ...(until ? { until } : {}), ...(after ? { after } : {}) };
}

/** The record of one conversation, read from the store; null when it has not ended. */
export async function recordOf(store: Store, c: ConversationRecord | null): Promise<TranscriptRecord | null> {
  if (!c || c.status !== 'ended') return null;
  const [events, notes] = await Promise.all([store.readEvents(c.id, 0), store.listNotes(c.id)]);
  return transcriptOf(c, events, notes);
}

/** Up to `limit` records after `filters.after`, and the key of the last when more follow. */
export async function page(store: Store, filters: Filters, limit: number): Promise<{ records: TranscriptRecord[]; next: Filters['after'] }> {
  const rows = await store.listEnded({ ...filters, limit: limit + 1 });
  const shown = rows.slice(0, limit);
  const records = (await Promise.all(shown.map((c) => recordOf(store, c)))).filter((r): r is TranscriptRecord => r !== null);
  const last = shown[shown.length - 1];
  return { records, next: rows.length > limit && last ? { endedAt: last.endedAt, id: last.id } : undefined };
}
