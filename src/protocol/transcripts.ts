/**
 * The transcript records of ended chats as agents read them over HTTP (docs/protocol.md,
 * "Transcripts"): the shapes the relay writes (`src/relay/transcript.ts` makes them) and
 * the console reads, and the limits of their search. Types and constants only; the
 * console's reader of these answers is `parse-transcripts.ts`.
 */
import type { AgentRef, EndReason, LogEvent, PageInfo, RatingValue } from './events.js';

/** How an ended chat went (the rules are in `src/relay/transcript.ts`). */
export type TranscriptStatus = 'completed' | 'missed' | 'abandoned' | 'blocked';

/** A file the customer uploaded in the chat. */
export interface TranscriptFile {
  id: string;
  name: string;
  bytes: number;
}

/** An agent's note in the record: never shown to the visitor. */
export interface TranscriptNote {
  type: 'note';
  internal: true;
  id: string;
  agent: AgentRef;
  text: string;
  at: string;
  /** The seq of the log event the note followed (0 before the first). */
  afterSeq: number;
}

/** One entry of the record's events: a log event as given, or an agent's note. */
export type TranscriptEvent = (LogEvent & { internal: false }) | TranscriptNote;

/** The record a business keeps of one ended chat (`GET /v1/transcripts/{id}`). */
export interface TranscriptRecord {
  conversationId: string;
  visitor: { email: string; name: string | null; verified: boolean };
  page: PageInfo | null;
  ip: string;
  /** Not stored by the relay yet: always null. */
  userAgent: string | null;
  requestedAt: string;
  acceptedAt: string | null;
  endedAt: string;
  waitSeconds: number | null;
  durationSeconds: number | null;
  endedBy: 'visitor' | 'agent' | 'system';
  endReason: EndReason | null;
  status: TranscriptStatus;
  agents: AgentRef[];
  transfers: number;
  visitorMessages: number;
  agentMessages: number;
  firstResponseSeconds: number | null;
  files: TranscriptFile[];
  /** The customer's rating after the chat (`rated`), or null when they gave none. */
  rating: { value: RatingValue; comment: string | null; at: string } | null;
  events: TranscriptEvent[];
}

/** A record in a list: everything but its events. */
export type TranscriptSummary = Omit<TranscriptRecord, 'events'>;

/** The body of `GET /v1/transcripts`. */
export interface TranscriptPage {
  items: TranscriptSummary[];
  /** The `cursor` of the next page, or null after the last. */
  next: string | null;
}

/** The longest search term (`q`) the transcript lists take, in characters. */
export const MAX_SEARCH_LENGTH = 200;
