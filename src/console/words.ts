/**
 * Everything the console says to the agent about events, errors and time, in one
 * place. Pure functions returning plain strings, or sentences in pieces that mark what
 * a person typed: the components render them as text, the typed pieces bidi-isolated.
 */
import { formatBytes, type AgentStatus, type EndReason, type LogEvent } from '../protocol/index.js';
import type { ConsoleError, ConnectionState } from './connection.js';

/** "2:05" for 125 s, "1:02:05" past an hour; never negative. */
export function durationText(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** "14:05" in the agent's locale, or '' for a bad date. */
export function timeText(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** The status menu's words. */
export const statusLabels: Record<AgentStatus, string> = {
  online: 'Online',
  away: 'Away',
  offline: 'Offline',
};

/** The connection badge's words. */
export const connectionLabels: Record<ConnectionState, string> = {
  idle: 'Not connected',
  connecting: 'Connecting…',
  open: 'Connected',
  reconnecting: 'Reconnecting…',
  closed: 'Disconnected',
};

const errorWords: Partial<Record<ConsoleError['code'], string>> = {
  unauthorized: 'That agent token was not accepted. Check it and sign in again.',
  blocked: 'This agent cannot sign in.',
  forbidden: 'Only the agent who owns this chat can do that.',
  not_found: 'That no longer exists.',
  conflict: 'Someone else got there first.',
  ended: 'This chat has ended.',
  rate_limited: 'Too many requests; wait a moment and try again.',
  network: 'Not connected to the relay. Trying again…',
  timeout: 'The relay did not answer in time.',
};

/** An error in words for the agent. */
export function errorText(e: ConsoleError): string {
  if (e.code === 'invalid') return e.message;
  return errorWords[e.code] ?? e.message;
}

const endReasons: Record<EndReason, string> = {
  blocked: 'the customer was blocked',
  idle: 'no one wrote for a long time',
  abandoned: 'the customer left before anyone answered',
  log_full: 'it reached its length limit',
};

/**
 * A piece of a sentence: the console's own words, or `{ typed }`, something a person
 * typed (a name, a note, a file name), which the components show bidi-isolated so a
 * right-to-left override in it cannot reorder the words around it.
 */
export type Piece = string | { typed: string };

/**
 * The notice for a log event that is not a message or a file, as the agent reads it,
 * in pieces. `me` is this agent's id, so their own actions read "You …".
 */
export function noticePieces(e: LogEvent, me?: string): Piece[] {
  const who = (a: { id: string; name: string }): Piece => (a.id === me ? 'You' : { typed: a.name });
  const note = (n: string | undefined): Piece[] => (n ? [': ', { typed: n }] : []);
  switch (e.type) {
    case 'requested':
      return [{ typed: e.visitor.name || e.visitor.email }, ' asked for a chat'];
    case 'claimed':
      return [who(e.agent), ' joined the chat'];
    case 'transferred':
      return [who(e.from), ' transferred the chat to ', 'agent' in e.to ? who(e.to.agent) : 'the queue', ...note(e.note)];
    case 'upload_requested':
      return [who(e.agent), ' asked for a file', ...note(e.note)];
    case 'upload_canceled':
      return [e.by === 'visitor' ? 'The customer declined the file request' : 'The file request was canceled'];
    case 'ended': {
      if (e.reason === 'blocked') return [e.agent ? who(e.agent) : 'An agent', ' ended the chat and blocked the customer'];
      if (e.by === 'visitor') return ['The customer ended the chat'];
      if (e.by === 'agent') return [e.agent ? who(e.agent) : 'An agent', ' ended the chat'];
      return [`The chat ended: ${e.reason ? endReasons[e.reason] : 'closed by the relay'}`];
    }
    case 'message':
      return [{ typed: e.text }];
    case 'file':
      return [{ typed: e.name }, ` (${formatBytes(e.size)})`];
  }
}

/** The notice for a log event as plain text: `noticePieces` joined. */
export function noticeText(e: LogEvent, me?: string): string {
  return noticePieces(e, me)
    .map((p) => (typeof p === 'string' ? p : p.typed))
    .join('');
}

/** The page title with the background count: "(3) Parley console". */
export function titleText(base: string, count: number): string {
  return count > 0 ? `(${count}) ${base}` : base;
}
