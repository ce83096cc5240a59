/**
 * The fake relay's transcript and file endpoints for the agent console (as
 * visitor-http.ts is for customers), kept apart from the socket so that each file has
 * one job: a `fetch` that answers `GET /v1/transcripts` (q, email, since, until, cursor,
 * limit, as docs/protocol.md says), `GET /v1/transcripts/{id}` and `GET /v1/files/{id}`
 * from records made by the relay's own `transcriptOf`, for Jane's token only. Tests can
 * hold answers back, make the relay fail, and read which URLs were asked for.
 */
import type { AgentNote, EventBody, LogEvent, RatingValue, TranscriptRecord } from '../../src/protocol/index.js';
import { transcriptOf } from '../../src/relay/transcript.js';
import { JANE_TOKEN } from './agent-endpoint.js';
import { JANE } from './model.js';

/** What a past chat is made of; everything but the email has a default. */
export interface PastChatSpec {
  id: string;
  email: string;
  name?: string;
  /** When it ended (ISO); it was asked for ten minutes before. */
  endedAt: string;
  /** Claimed by Jane (the default) or never answered. */
  answered?: boolean;
  /** Messages, in order: `['visitor', 'Hi']`. */
  messages?: ['visitor' | 'agent', string][];
  notes?: string[];
  files?: { id: string; name: string; bytes: Uint8Array }[];
  /** The customer left it as a message while nobody was online (`requested.offline`). */
  offline?: boolean;
  /** The customer's rating, after the end (`rated`). */
  rating?: { value: RatingValue; comment?: string };
}

const minus = (iso: string, minutes: number): string => new Date(Date.parse(iso) - minutes * 60_000).toISOString();

/** The record the relay would keep of `spec`. */
export function pastChat(spec: PastChatSpec): TranscriptRecord {
  const bodies: EventBody[] = [{ type: 'requested', visitor: { email: spec.email, ...(spec.name ? { name: spec.name } : {}) }, ...(spec.offline ? { offline: true as const } : {}) }];
  if (spec.answered !== false) bodies.push({ type: 'claimed', agent: JANE });
  for (const [from, text] of spec.messages ?? []) {
    bodies.push(from === 'agent' ? { type: 'message', from, agent: JANE, text, clientId: crypto.randomUUID() } : { type: 'message', from, text, clientId: crypto.randomUUID() });
  }
  for (const [i, f] of (spec.files ?? []).entries()) {
    bodies.push({ type: 'upload_requested', requestId: `r${i}`, agent: JANE, maxBytes: 5242880 });
    bodies.push({ type: 'file', requestId: `r${i}`, fileId: f.id, name: f.name, size: f.bytes.length, mime: 'application/octet-stream' });
  }
  bodies.push({ type: 'ended', by: 'agent', agent: JANE });
  if (spec.rating) bodies.push({ type: 'rated', ...spec.rating });
  const events = bodies.map((b, i) => ({ ...b, seq: i + 1, at: minus(spec.endedAt, bodies.length - 1 - i) }) as LogEvent);
  const notes: AgentNote[] = (spec.notes ?? []).map((text, i) => ({ id: `${spec.id}-n${i}`, conversationId: spec.id, agent: JANE, text, at: events[1]!.at }));
  const conversation = { id: spec.id, tokenHash: 'h', email: spec.email, ip: '203.0.113.9', createdAt: events[0]!.at, status: 'ended' as const, ownerId: null, lastSeq: events.length, agentReadSeq: 0 };
  return transcriptOf(conversation, events, notes)!;
}

const json = (status: number, body: unknown): Response => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** The fake endpoints. Pass `transcripts.fetch` to the console store. */
export class FakeTranscripts {
  /** Every record, in no particular order (answers are newest end first). */
  readonly records: TranscriptRecord[] = [];
  readonly files = new Map<string, Uint8Array>();
  /** Every URL asked for, in order. */
  readonly asked: URL[] = [];
  /** When set, every answer is this status with an `internal` error. */
  failWith: number | null = null;
  private held: (() => void)[] | null = null;

  /** Adds a past chat (and its files); returns its record. */
  add(spec: PastChatSpec): TranscriptRecord {
    const r = pastChat(spec);
    this.records.push(r);
    for (const f of spec.files ?? []) this.files.set(f.id, f.bytes);
    return r;
  }

  /** Holds every answer until `release()`. */
  hold(): void {
    this.held ??= [];
  }

  /** Lets held answers go, in order. */
  release(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const go of held) go();
  }

  /** The URLs asked for under `/v1/transcripts`, as path and query. */
  get transcriptRequests(): string[] {
    return this.asked.filter((u) => u.pathname.startsWith('/v1/transcripts')).map((u) => u.pathname + u.search);
  }

  readonly fetch = (async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    this.asked.push(url);
    if (this.held) await new Promise<void>((r) => this.held!.push(r));
    const auth = new Headers(init?.headers).get('Authorization');
    if (auth !== `Bearer ${JANE_TOKEN}`) return json(401, { error: { code: 'unauthorized', message: 'an agent token is required' } });
    if (this.failWith) return json(this.failWith, { error: { code: 'internal', message: 'could not read the transcripts' } });
    const file = /^\/v1\/files\/([^/]+)$/.exec(url.pathname);
    if (file) {
      const bytes = this.files.get(decodeURIComponent(file[1]!));
      return bytes ? new Response(new Blob([new Uint8Array(bytes)])) : json(404, { error: { code: 'not_found', message: 'no such file' } });
    }
    if (url.pathname === '/v1/transcripts') return json(200, this.list(url.searchParams));
    const one = /^\/v1\/transcripts\/([^/]+)$/.exec(url.pathname);
    const record = one && this.records.find((r) => r.conversationId === decodeURIComponent(one[1]!));
    return record ? json(200, record) : json(404, { error: { code: 'not_found', message: 'no ended conversation with this id' } });
  }) as typeof fetch;

  private list(p: URLSearchParams): { items: Omit<TranscriptRecord, 'events'>[]; next: string | null } {
    const q = p.get('q')?.trim().toLowerCase();
    const email = p.get('email')?.toLowerCase();
    const since = p.get('since');
    const until = p.get('until');
    const found = this.records
      .filter((r) => !email || r.visitor.email.toLowerCase() === email)
      .filter((r) => (!since || r.endedAt >= since) && (!until || r.endedAt < until))
      .filter((r) => !q || [r.visitor.email, r.visitor.name ?? '', ...r.events.map((e) => ('text' in e ? e.text : ''))].some((t) => t.toLowerCase().includes(q)))
      .sort((a, b) => b.endedAt.localeCompare(a.endedAt) || b.conversationId.localeCompare(a.conversationId));
    const from = Number(p.get('cursor') ?? 0);
    const limit = Number(p.get('limit') ?? 50);
    const page = found.slice(from, from + limit).map(({ events: _events, ...rest }) => rest);
    return { items: page, next: from + limit < found.length ? String(from + limit) : null };
  }
}
