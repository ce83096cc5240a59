/**
 * Transcript records as CSV (`GET /v1/transcripts.csv`): one header row and one flat row
 * per record, RFC 4180 (fields quoted when they hold a comma, a quote or a line break,
 * quotes doubled, CRLF between rows). Text that a spreadsheet would take for a formula
 * (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is prefixed with `'`:
 * a visitor's name or page title must not run in the business's spreadsheet. Pure: the
 * route streams what these functions return.
 */
import type { TranscriptRecord } from './transcript.js';

type Cell = string | number | boolean | null;

/** The columns, in order, and how each is read from a record. */
const COLUMNS: readonly [string, (r: TranscriptRecord) => Cell][] = [
  ['conversationId', (r) => r.conversationId],
  ['email', (r) => r.visitor.email],
  ['name', (r) => r.visitor.name],
  ['verified', (r) => r.visitor.verified],
  ['pageUrl', (r) => r.page?.url ?? null],
  ['pageTitle', (r) => r.page?.title ?? null],
  ['ip', (r) => r.ip],
  ['userAgent', (r) => r.userAgent],
  ['requestedAt', (r) => r.requestedAt],
  ['acceptedAt', (r) => r.acceptedAt],
  ['endedAt', (r) => r.endedAt],
  ['waitSeconds', (r) => r.waitSeconds],
  ['durationSeconds', (r) => r.durationSeconds],
  ['endedBy', (r) => r.endedBy],
  ['endReason', (r) => r.endReason],
  ['status', (r) => r.status],
  ['agents', (r) => r.agents.map((a) => a.name).join('; ')],
  ['agentIds', (r) => r.agents.map((a) => a.id).join('; ')],
  ['transfers', (r) => r.transfers],
  ['visitorMessages', (r) => r.visitorMessages],
  ['agentMessages', (r) => r.agentMessages],
  ['firstResponseSeconds', (r) => r.firstResponseSeconds],
  ['files', (r) => r.files.map((f) => f.name).join('; ')],
  ['rating', (r) => r.rating?.value ?? null],
  ['ratingComment', (r) => r.rating?.comment ?? null],
];

/** One cell: empty for null, numbers and booleans as written, text defused and quoted as needed. */
export function csvCell(value: Cell): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const row = (cells: readonly Cell[]): string => `${cells.map(csvCell).join(',')}\r\n`;

/** The header row, CRLF-terminated. */
export const CSV_HEADER = row(COLUMNS.map(([name]) => name));

/** A record's row, CRLF-terminated. */
export function csvRow(r: TranscriptRecord): string {
  return row(COLUMNS.map(([, read]) => read(r)));
}
