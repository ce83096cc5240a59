/**
 * The console's side of the transcript endpoints (docs/protocol.md, "Transcripts"):
 * their URLs beside the console's page, the agent's days turned into `since`/`until`,
 * and one GET with the agent's token in a header (never in the URL) whose answer is
 * read once, here, by the protocol's parsers. No state, no DOM. Every failure rejects
 * with a `ParleyError`.
 */
import {
  ERROR_CODES, HTTP_ERROR_CODES, ParleyError, parseTranscriptPage, parseTranscriptRecord,
  type TranscriptPage, type TranscriptRecord,
} from '../protocol/index.js';

/** What a request needs from its surroundings; injectable for tests. */
export interface HistoryHttp {
  fetch: typeof fetch;
  /** The console page's URL; the endpoints are resolved against it (`../v1/transcripts`). */
  baseUrl: string;
}

/** The query of `GET /v1/transcripts`; empty fields are left out. */
export interface TranscriptParams {
  q?: string;
  email?: string;
  since?: string;
  until?: string;
  cursor?: string;
  limit?: number;
}

/** `GET /v1/transcripts?…` beside the console's page (`/console/` or `/console`). */
export function transcriptsUrl(baseUrl: string, params: TranscriptParams): string {
  const u = new URL('../v1/transcripts', baseUrl);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') u.searchParams.set(k, String(v));
  return u.href;
}

/** `GET /v1/transcripts/{id}` beside the console's page. */
export function transcriptUrl(baseUrl: string, id: string): string {
  return new URL(`../v1/transcripts/${encodeURIComponent(id)}`, baseUrl).href;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Midnight starting the day `YYYY-MM-DD` (plus `days`) in the agent's time zone, as ISO; undefined for anything else. */
function midnight(day: string, days = 0): string | undefined {
  const m = DAY.exec(day);
  if (!m) return undefined;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/**
 * The end-time bounds of the agent's days `from` to `to`, both included (as a date field
 * gives them, `YYYY-MM-DD`, or '' for no bound): `since` the midnight starting `from`,
 * `until` the midnight after `to`, both in the agent's time zone.
 */
export function dayBounds(from: string, to: string): { since?: string; until?: string } {
  const since = midnight(from);
  const until = midnight(to, 1);
  return { ...(since ? { since } : {}), ...(until ? { until } : {}) };
}

/** A refused GET: the relay's code when its `{error}` body names a known one, else the one its status stands for. */
function refusal(status: number, body: unknown): ParleyError {
  const e = typeof body === 'object' && body !== null ? (body as { error?: { code?: unknown; message?: unknown } }).error : undefined;
  const code = ERROR_CODES.find((c) => c === e?.code) ?? HTTP_ERROR_CODES[status] ?? 'network';
  return new ParleyError(code, typeof e?.message === 'string' ? e.message : `The relay answered ${status}`, { status });
}

/** One GET with the token; resolves with the parsed answer or rejects with a `ParleyError`. */
async function getJson<T>(http: HistoryHttp, token: string, url: string, parse: (v: unknown) => T | null): Promise<T> {
  let res: Response;
  try {
    res = await http.fetch(url, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });
  } catch {
    throw new ParleyError('network', 'The relay could not be reached');
  }
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON: refused below.
  }
  if (!res.ok) throw refusal(res.status, body);
  const parsed = parse(body);
  if (parsed === null) throw new ParleyError('bad_frame', 'The relay sent an answer the console cannot read');
  return parsed;
}

/** A page of ended chats. @throws ParleyError */
export function readTranscriptPage(http: HistoryHttp, token: string, params: TranscriptParams): Promise<TranscriptPage> {
  return getJson(http, token, transcriptsUrl(http.baseUrl, params), parseTranscriptPage);
}

/** One ended chat's record with its events. @throws ParleyError */
export function readTranscript(http: HistoryHttp, token: string, id: string): Promise<TranscriptRecord> {
  return getJson(http, token, transcriptUrl(http.baseUrl, id), parseTranscriptRecord);
}
