/**
 * The transcript endpoints, for agents only (docs/protocol.md, "Transcripts"):
 * - `GET /v1/transcripts?q=&email=&since=&until=&cursor=&limit=`: `{ items, next }`, the
 *   records of ended conversations, newest end first, without their `events`; `next` is
 *   an opaque cursor for the following page, or null. `q` searches (transcript-pages.ts).
 * - `GET /v1/transcripts/{conversationId}`: one record with its `events` (404 while the
 *   conversation is open, or when there is none).
 * - `GET /v1/transcripts.csv?q=&email=&since=&until=`: every matching record as CSV,
 *   streamed page by page.
 * Each needs an agent's token in `Authorization: Bearer …`; a visitor's token, or none,
 * gets 401 with `WWW-Authenticate: Bearer`. Records are made by `transcriptOf`. These are
 * not for customers' pages: the answers carry no CORS headers, and a preflight gets 405,
 * so only the relay's own origin (the console) and non-browser clients read them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isOpaqueId, type TranscriptPage, type TranscriptSummary } from '../protocol/index.js';
import type { RelayContext } from './context.js';
import { bearer, sendError, sendJson } from './http-util.js';
import type { Store } from './store.js';
import type { TranscriptRecord } from './transcript.js';
import { BadParam, cursorAfter, filtersOf, page, recordOf, type Filters } from './transcript-pages.js';
import { CSV_HEADER, csvRow } from './transcript-csv.js';

/** Records in a page of `GET /v1/transcripts` unless `limit` says otherwise. */
export const TRANSCRIPT_PAGE = 50;
/** The largest `limit`; also the CSV's page size. */
export const MAX_TRANSCRIPT_PAGE = 200;

export type { TranscriptPage, TranscriptSummary } from '../protocol/index.js';

function limitOf(url: URL): number {
  const v = url.searchParams.get('limit');
  if (v === null) return TRANSCRIPT_PAGE;
  const n = /^\d{1,3}$/.test(v) ? Number(v) : NaN;
  if (!(n >= 1 && n <= MAX_TRANSCRIPT_PAGE)) throw new BadParam(`limit must be an integer from 1 to ${MAX_TRANSCRIPT_PAGE}`);
  return n;
}

function summary(r: TranscriptRecord): TranscriptSummary {
  const { events: _events, ...rest } = r;
  return rest;
}

/** Resolves once a response's buffer has drained or the response has closed. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Streams every matching record as CSV, a page at a time, waiting for a slow reader. */
async function sendCsv(res: ServerResponse, store: Store, filters: Filters): Promise<void> {
  res.writeHead(200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': 'attachment; filename="transcripts.csv"',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  let gone = false;
  res.once('close', () => (gone = true));
  let more = res.write(CSV_HEADER);
  let after = filters.after;
  for (;;) {
    if (!more && !gone) await drained(res);
    if (gone) return;
    const p = await page(store, { ...filters, ...(after ? { after } : {}) }, MAX_TRANSCRIPT_PAGE);
    more = res.write(p.records.map(csvRow).join(''));
    if (!p.next) break;
    after = p.next;
  }
  res.end();
}

const UNAUTHORIZED = { 'WWW-Authenticate': 'Bearer' };

async function answer(req: IncomingMessage, res: ServerResponse, path: string, url: URL, ctx: RelayContext): Promise<void> {
  if (req.method !== 'GET') return sendError(res, 405, 'invalid', 'use GET', { Allow: 'GET' });
  const token = bearer(req);
  // Signed in the way the agent socket signs in (agent-roster.ts).
  const agent = token ? await ctx.conversations.agents.forToken(token) : null;
  if (!agent) return sendError(res, 401, 'unauthorized', 'an agent token is required', UNAUTHORIZED);
  try {
    if (path === '/v1/transcripts') {
      const p = await page(ctx.store, filtersOf(url.searchParams), limitOf(url));
      const body: TranscriptPage = { items: p.records.map(summary), next: p.next ? cursorAfter(p.next) : null };
      return sendJson(res, 200, body);
    }
    if (path === '/v1/transcripts.csv') return await sendCsv(res, ctx.store, filtersOf(url.searchParams));
  } catch (err) {
    if (err instanceof BadParam) return sendError(res, 400, 'invalid', err.message);
    throw err;
  }
  const id = path.slice('/v1/transcripts/'.length);
  const c = isOpaqueId(id) ? await ctx.store.getConversation(id) : null;
  const record = await recordOf(ctx.store, c);
  if (!record) return sendError(res, 404, 'not_found', 'no ended conversation with this id');
  sendJson(res, 200, record);
}

/** Answers a request for `/v1/transcripts…` and returns true; false for any other path. Never throws. */
export function handleTranscripts(req: IncomingMessage, res: ServerResponse, url: URL, ctx: RelayContext): boolean {
  const path = url.pathname;
  if (!/^\/v1\/transcripts(\.csv|\/[^/]+)?$/.test(path)) return false;
  answer(req, res, path, url, ctx).catch((err: unknown) => {
    ctx.log(`a transcript request failed: ${String(err)}`);
    if (!res.headersSent) sendError(res, 500, 'internal', 'could not read the transcripts');
    else res.destroy();
  });
  return true;
}
