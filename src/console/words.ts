/**
 * Everything the console says to the agent about events, errors and time, in one
 * place. Pure functions returning plain strings, or sentences in pieces that mark what
 * a person typed: the components render them as text, the typed pieces bidi-isolated.
 */
import { formatBytes, MAX_FILE_SIZE_TEXT, withoutInvisibles, type AgentStatus, type DeclineReason, type EndReason, type UploadFailure, type LogEvent, type TranscriptSummary } from '../protocol/index.js';
import type { ConsoleError, ConnectionState } from './connection.js';
import type { News } from './alert-news.js';
import type { FileSend } from './chat-files.js';
import type { ChatError } from './console-state.js';

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
  unavailable: 'You are not online: set your status to Online to take chats.',
  at_capacity: 'You already have as many chats as you can take: end or transfer one first.',
};

const gone = 'This is no longer waiting for you: it was withdrawn, ran out or went to someone else.';
const busyElsewhere = 'A transfer request or invitation for this chat is already waiting for an answer, or that agent is in it already.';

/** Refusals that mean something else for one action (the other agent is away, not you). */
const actionErrorWords: Record<string, Partial<Record<ConsoleError['code'], string>>> = {
  transfer: {
    unavailable: 'That agent is not online (away or signed out) and cannot take chats now.',
    at_capacity: 'That agent already has as many chats as they can take.',
    conflict: busyElsewhere,
  },
  invite: {
    unavailable: 'That agent is not online (away or signed out) and cannot join chats now.',
    conflict: busyElsewhere,
  },
  accept: { not_found: gone, timeout: 'This ran out before you accepted it.' },
  decline: { not_found: gone },
  withdraw: { not_found: 'There is nothing to withdraw: it was answered or ran out.' },
  leave: { conflict: 'Nobody else is in this chat: end it or transfer it instead.' },
};

/** An error in words for the agent; a chat's refusal is worded for the action it refused. */
export function errorText(e: ConsoleError | ChatError): string {
  if (e.code === 'invalid') return e.message;
  const action = 'action' in e && e.action ? actionErrorWords[e.action]?.[e.code] : undefined;
  return action ?? errorWords[e.code] ?? e.message;
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
      return [{ typed: e.visitor.name || e.visitor.email }, e.offline ? ' left a message while nobody was online' : ' asked for a chat'];
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
    case 'file': {
      const size = ` (${formatBytes(e.size)})`;
      if (e.from !== 'agent') return [{ typed: e.name }, size];
      return [e.agent ? who(e.agent) : 'An agent', ' sent ', { typed: e.name }, size];
    }
    case 'offered':
      return ['The chat was offered to ', who(e.agent)];
    case 'offer_declined':
      return [who(e.agent), e.reason === 'timeout' ? ' did not answer the offer in time' : ' declined the offer'];
    case 'transfer_requested':
      return [who(e.from), ' asked ', who(e.to), ' to take the chat over', ...note(e.note)];
    case 'transfer_declined':
      return declinedPieces(e, 'transfer', who);
    case 'invited':
      return [who(e.from), ' invited ', who(e.to), ' into the chat'];
    case 'invite_declined':
      return declinedPieces(e, 'invitation', who);
    case 'joined':
      return [who(e.agent), ' joined the chat'];
    case 'left':
      return [who(e.agent), ' left the chat'];
    case 'upload_failed':
      return [`The customer's file did not arrive: ${uploadFailures[e.reason]}; the request stays open`];
    case 'rated':
      return [`The customer rated the chat ${e.value === 'up' ? 'good (thumbs up)' : 'poor (thumbs down)'}`, ...note(e.comment)];
    case 'internal':
      return ['(for agents only)'];
  }
}

const uploadFailures: Record<UploadFailure, string> = {
  too_large: 'it is larger than 5 MB',
  timeout: 'the upload stalled',
  interrupted: 'the upload was cut off',
};

/**
 * The open file request, in a sentence: waiting for the file, or, once the customer's
 * last try failed at the relay, that it failed and why, and that they may try again.
 */
export function pendingUploadPieces(note: string | undefined, failed: UploadFailure | null): Piece[] {
  if (!failed) return ['Waiting for a file from the customer', ...(note ? [': ', { typed: note }] : [])];
  return [`The customer's last try failed (${uploadFailures[failed]}); they may try again`, ...(note ? ['. Asked for: ', { typed: note }] : [])];
}

/** Why the relay refused a file this agent sent, by code. */
const sendRefusals: Partial<Record<ConsoleError['code'], string>> = {
  too_large: `it is too large for the relay (the limit is ${MAX_FILE_SIZE_TEXT})`,
  forbidden: 'only the agent who owns this chat or a guest in it can send files',
  conflict: 'the chat has ended',
  ended: 'the chat has ended',
  not_found: 'this chat no longer exists',
  unauthorized: 'your agent token was not accepted; sign in again',
  timeout: 'the upload stalled; try again',
  network: 'the relay could not be reached; try again',
  rate_limited: 'too many requests; wait a moment and try again',
  invalid: 'the relay refused it (an empty file or a name it cannot use)',
  internal: 'the relay could not store it; try again',
};

/**
 * A file this agent sends the customer, in a sentence: "Sending label.pdf…", or why it
 * did not go: "label.pdf is 6.2 MB; the limit is 5 MB" (refused before sending), or the
 * relay's refusal in words.
 */
export function sendFilePieces(send: FileSend): Piece[] {
  const name = { typed: send.name };
  if (send.status === 'sending') return ['Sending ', name, '…'];
  const e = send.error;
  if (e.code === 'file_too_large') return [name, ` is ${formatBytes(send.size)}; the limit is ${MAX_FILE_SIZE_TEXT}`];
  if (e.code === 'invalid' && e.field === 'file') return [name, ' is empty: there is nothing to send'];
  return [name, ` was not sent: ${sendRefusals[e.code] ?? e.message}`];
}

/** A transfer request or invitation that ended unaccepted: withdrawn, declined or unanswered. */
function declinedPieces(
  e: { from: { id: string; name: string }; to: { id: string; name: string }; reason: DeclineReason },
  what: string,
  who: (a: { id: string; name: string }) => Piece,
): Piece[] {
  if (e.reason === 'canceled') return [who(e.from), ` withdrew the ${what} to `, who(e.to)];
  return [who(e.to), e.reason === 'timeout' ? ` did not answer the ${what} in time` : ` declined the ${what}`];
}

/** The notice for a log event as plain text: `noticePieces` joined. */
export function noticeText(e: LogEvent, me?: string): string {
  return noticePieces(e, me)
    .map((p) => (typeof p === 'string' ? p : p.typed))
    .join('');
}

/** "2 of 3": the chats an agent owns of their capacity. */
export function capacityText(active: number, capacity: number): string {
  return `${active} of ${capacity}`;
}

/** "0:27 left" until a request runs out; never negative. */
export function timeLeftText(ms: number): string {
  return `${durationText(ms)} left`;
}

/** The routing controls' own words. */
export const routingWords = {
  incoming: 'Waiting for your answer',
  accept: 'Accept',
  decline: 'Decline',
  withdraw: 'Withdraw',
  invite: 'Invite',
  leave: 'Leave chat',
  noOnline: 'No other agent is online.',
} as const;

/** What waits for this agent's answer, in a sentence: "Jane Doe asks you to take over the chat with Ann Lee". */
export function askedPieces(kind: 'offer' | 'transfer' | 'invite', from: { name: string } | null, customer: string): Piece[] {
  if (kind === 'offer') return ['New chat for you with ', { typed: customer }];
  const who: Piece = from ? { typed: from.name } : 'An agent';
  return kind === 'transfer'
    ? [who, ' asks you to take over the chat with ', { typed: customer }]
    : [who, ' invites you into the chat with ', { typed: customer }];
}

/** What this agent asked and waits for: "Waiting for Bob Stone to accept". */
export function outgoingPieces(kind: 'transfer' | 'invite', to: { name: string }): Piece[] {
  return ['Waiting for ', { typed: to.name }, kind === 'transfer' ? ' to accept' : ' to join'];
}

/** A desktop notification's words for one piece of news. */
export function newsNotice(n: News): { title: string; body: string } {
  const customer = withoutInvisibles(n.customer);
  const from = n.kind !== 'waiting' && n.kind !== 'message' && n.from ? withoutInvisibles(n.from) : 'An agent';
  switch (n.kind) {
    case 'waiting':
      return { title: 'A new chat is waiting', body: customer };
    case 'offer':
      return { title: 'A chat is offered to you', body: customer };
    case 'transfer':
      return { title: `${from} asks you to take over a chat`, body: customer };
    case 'invite':
      return { title: `${from} invites you into a chat`, body: customer };
    case 'message': {
      const text = n.text ? withoutInvisibles(n.text) : n.count === 1 ? 'A new message' : `${n.count} new messages`;
      return { title: `${customer} wrote`, body: text.length > 140 ? `${Array.from(text).slice(0, 139).join('')}…` : text };
    }
  }
}

/** The page title with the count of what wants the agent: "(3) Parley console". */
export function titleText(base: string, count: number): string {
  return count > 0 ? `(${count}) ${base}` : base;
}

/** "31 Jan 2026, 14:05" in the agent's locale and time zone, or '' for a bad date. */
export function dateTimeText(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

/** A number of seconds as `durationText` does, or "–" when there is none (nobody answered). */
export function secondsText(seconds: number | null): string {
  return seconds === null ? '–' : durationText(seconds * 1000);
}

/** How an ended chat went (a record's `status`), in the agent's words. */
export const outcomeLabels: Record<TranscriptSummary['status'], string> = {
  completed: 'Completed',
  missed: 'Missed',
  abandoned: 'Abandoned',
  blocked: 'Blocked',
};

/** Who or what ended a past chat: "Ended by the customer". */
export function endedByText(r: Pick<TranscriptSummary, 'endedBy' | 'endReason'>): string {
  if (r.endReason === 'blocked') return 'Ended by an agent, who blocked the customer';
  if (r.endedBy === 'visitor') return 'Ended by the customer';
  if (r.endedBy === 'agent') return 'Ended by an agent';
  return `Ended by the relay: ${r.endReason ? endReasons[r.endReason] : 'closed'}`;
}

/** The History view's and the earlier chats' own words. */
export const historyWords = {
  view: 'History',
  searchLabel: 'Search ended chats',
  search: 'Email, name or words',
  dates: 'Ended',
  from: 'From',
  to: 'To',
  submit: 'Search',
  results: 'Ended chats',
  loading: 'Loading…',
  none: 'No ended chats match.',
  more: 'More',
  back: 'Back to results',
  earlier: 'Earlier chats',
  earlierNone: 'No earlier chats with this email.',
  earlierFailed: 'Earlier chats could not be loaded.',
  earlierMore: 'All chats with this email',
  retry: 'Try again',
  readOnly: 'This chat has ended. It is shown as it was kept; nothing here can be changed.',
  daysReversed: 'The last day is before the first day',
  signedOut: 'Sign in to read past chats',
} as const;

/** "25 chats" after a search; "25 chats so far" while more can be read. */
export function resultCountText(count: number, more: boolean): string {
  return `${count} ${count === 1 ? 'chat' : 'chats'}${more ? ' so far' : ''}`;
}

/** The Messages list's and a left message's own words. */
export const leftMessageWords = {
  list: 'Messages',
  none: 'No messages waiting.',
  /** Over a left message when it is opened. */
  marker: 'Left a message while you were away',
  answer: 'Answer',
  waiting: 'Waiting for an agent to answer',
  left: 'Left',
} as const;

/** "2 messages waiting", for the Messages count read aloud. */
export function leftCountText(count: number): string {
  return `${count} ${count === 1 ? 'message' : 'messages'} waiting`;
}

/** A rating's thumb and the words a screen reader says for it. */
export const ratingWords = {
  label: 'Rating',
  rated: 'Rated',
  up: { glyph: '👍', name: 'thumbs up' },
  down: { glyph: '👎', name: 'thumbs down' },
} as const;
