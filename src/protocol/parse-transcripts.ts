/**
 * Reads the relay's answers to `GET /v1/transcripts` and `GET /v1/transcripts/{id}` for
 * the console, once, where they arrive. Like `parse-relay.ts` for frames, it checks what
 * the console relies on (the fields it shows, and each event's `type`, `seq` and `at`,
 * as the agent socket's events are checked) and nothing more.
 */
import type { TranscriptPage, TranscriptRecord, TranscriptSummary } from './transcripts.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const strOrNull = (v: unknown): boolean => v === null || isStr(v);
const numOrNull = (v: unknown): boolean => v === null || isNum(v);
const isAgent = (v: unknown): boolean => isObj(v) && isStr(v['id']) && isStr(v['name']);
const isFile = (v: unknown): boolean => isObj(v) && isStr(v['id']) && isStr(v['name']) && isNum(v['bytes']);
const STATUSES = ['completed', 'missed', 'abandoned', 'blocked'];

function isSummary(v: unknown): v is TranscriptSummary {
  if (!isObj(v) || !isObj(v['visitor'])) return false;
  const visitor = v['visitor'];
  return (
    isStr(v['conversationId']) &&
    isStr(visitor['email']) &&
    strOrNull(visitor['name']) &&
    isStr(v['requestedAt']) &&
    strOrNull(v['acceptedAt']) &&
    isStr(v['endedAt']) &&
    numOrNull(v['waitSeconds']) &&
    numOrNull(v['durationSeconds']) &&
    STATUSES.includes(v['status'] as string) &&
    Array.isArray(v['agents']) &&
    v['agents'].every(isAgent) &&
    Array.isArray(v['files']) &&
    v['files'].every(isFile) &&
    (v['page'] === null || (isObj(v['page']) && isStr(v['page']['url']) && isStr(v['page']['title'])))
  );
}

function isEntry(v: unknown): boolean {
  if (!isObj(v) || !isStr(v['at'])) return false;
  if (v['type'] === 'note') return v['internal'] === true && isStr(v['id']) && isAgent(v['agent']) && isStr(v['text']) && isNum(v['afterSeq']);
  return v['internal'] === false && isStr(v['type']) && isNum(v['seq']) && v['seq'] >= 1;
}

/** A page of records, or null when `v` (parsed JSON) is not one. */
export function parseTranscriptPage(v: unknown): TranscriptPage | null {
  if (!isObj(v) || !Array.isArray(v['items']) || !strOrNull(v['next'])) return null;
  return v['items'].every(isSummary) ? { items: v['items'], next: v['next'] as string | null } : null;
}

/** One record with its events, or null when `v` (parsed JSON) is not one. */
export function parseTranscriptRecord(v: unknown): TranscriptRecord | null {
  if (!isSummary(v)) return null;
  const events = (v as Obj)['events'];
  return Array.isArray(events) && events.every(isEntry) ? (v as TranscriptRecord) : null;
}
