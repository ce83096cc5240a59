/**
 * The one fold from a conversation's log to its state (docs/protocol.md, "The conversation log"). The
 * relay, the client, the widget and the console all call this; none of them keeps a
 * status of its own. Pure: no clocks, no I/O.
 */
import type { AgentRef, ConversationStatus, EndReason, EventOf, LogEvent, PageInfo, Visitor } from './events.js';

export interface OpenUploadRequest {
  requestId: string;
  agent: AgentRef;
  note?: string;
  maxBytes: number;
  seq: number;
}

export interface ConversationState {
  /** `queued` until claimed (and again after a transfer to the queue), `active`, then `ended` for good. */
  status: ConversationStatus;
  /** The highest seq folded in; 0 for an empty log. */
  lastSeq: number;
  visitor: Visitor | null;
  page: PageInfo | null;
  requestedAt: string | null;
  /** A message left while nobody could answer (`requested.offline`): outside the live queue. */
  offline: boolean;
  /** The agent who owns the conversation now, if any. */
  owner: AgentRef | null;
  /** The one open upload request, if any. */
  openUpload: OpenUploadRequest | null;
  ended: { by: 'visitor' | 'agent' | 'system'; agent?: AgentRef; reason?: EndReason; at: string } | null;
  /** When the last message (either side) was sent, or the conversation began. */
  lastActivityAt: string | null;
  /** seq of every visitor message, ascending (used for unread counts). */
  visitorMessageSeqs: number[];
  /** seq of every agent message, ascending. */
  agentMessageSeqs: number[];
}

export const EMPTY_STATE: ConversationState = Object.freeze({
  status: 'queued',
  lastSeq: 0,
  visitor: null,
  page: null,
  requestedAt: null,
  offline: false,
  owner: null,
  openUpload: null,
  ended: null,
  lastActivityAt: null,
  visitorMessageSeqs: [],
  agentMessageSeqs: [],
}) as ConversationState;

/** The state after one more event. Events at or below `lastSeq` are ignored. */
export function applyEvent(s: ConversationState, e: LogEvent): ConversationState {
  if (e.seq <= s.lastSeq) return s;
  const next: ConversationState = { ...s, lastSeq: e.seq };
  if (s.status === 'ended') return next;
  switch (e.type) {
    case 'requested':
      return { ...next, status: 'queued', visitor: e.visitor, page: e.page ?? null, requestedAt: e.at, offline: !!e.offline, lastActivityAt: e.at };
    case 'message': {
      const key = e.from === 'visitor' ? 'visitorMessageSeqs' : 'agentMessageSeqs';
      return { ...next, lastActivityAt: e.at, [key]: [...s[key], e.seq] };
    }
    case 'claimed':
      return { ...next, status: 'active', owner: e.agent, lastActivityAt: e.at };
    case 'transferred': {
      const to = (e as EventOf<'transferred'>).to;
      return 'agent' in to
        ? { ...next, owner: to.agent }
        : { ...next, owner: null, status: 'queued' };
    }
    case 'upload_requested':
      return {
        ...next,
        openUpload: { requestId: e.requestId, agent: e.agent, note: e.note, maxBytes: e.maxBytes, seq: e.seq },
      };
    case 'upload_canceled':
    case 'file':
      return s.openUpload?.requestId === e.requestId ? { ...next, openUpload: null } : next;
    case 'ended':
      return {
        ...next,
        status: 'ended',
        openUpload: null,
        ended: { by: e.by, agent: e.agent, reason: e.reason, at: e.at },
      };
    default:
      return next;
  }
}

/** The state of a whole log (events in seq order). */
export function foldLog(events: readonly LogEvent[], from: ConversationState = EMPTY_STATE): ConversationState {
  return events.reduce(applyEvent, from);
}

/**
 * Merges incoming events into a seq-ordered log: drops ones already held, appends the
 * contiguous run, and reports a gap when an event skips ahead (the caller resumes
 * from `log[log.length - 1].seq`). Events past a gap are not kept.
 */
export function mergeEvents(
  log: readonly LogEvent[],
  incoming: readonly LogEvent[],
): { log: LogEvent[]; added: LogEvent[]; gap: boolean } {
  let last = log.length ? log[log.length - 1]!.seq : 0;
  const added: LogEvent[] = [];
  let gap = false;
  for (const e of [...incoming].sort((a, b) => a.seq - b.seq)) {
    if (e.seq <= last) continue;
    if (e.seq !== last + 1) {
      gap = true;
      break;
    }
    added.push(e);
    last = e.seq;
  }
  return { log: added.length ? [...log, ...added] : (log as LogEvent[]), added, gap };
}
