/**
 * Transcript records: one pure function turns a finished
 * conversation (its stored row, its log, and its agents' notes) into the record a
 * business keeps of the chat. This record is for the business, not the customer, so it
 * keeps everything agents saw. No clocks, no I/O: the caller reads the store.
 *
 * Rules (end reasons as in `EndReason`, src/protocol/events.ts):
 * - status: `blocked` when `ended.reason` is `blocked` (the owner blocked the visitor,
 *   or the system ended this chat because the same person was blocked in another one),
 *   claimed or not. Otherwise `completed` when any agent ever claimed it, whatever ended
 *   it afterwards (either side, `idle`, `log_full`, or the abandon sweep after a
 *   transfer back to the queue). Otherwise, never accepted: `abandoned` when the relay's
 *   sweep ended it (`abandoned`: queued with the visitor gone; `idle` needs an active
 *   chat, so it cannot occur unclaimed, but would count here too), and `missed` for
 *   the rest: the visitor ended it while waiting, or `log_full` ended it in the queue.
 *   (An agent can end or block only a chat they own, so `by: "agent"` implies a claim.)
 * - endedBy, endReason: the `ended` event's `by` and `reason` (null for a plain end).
 * - waitSeconds: `requested` → first `claimed`; durationSeconds: first `claimed` →
 *   `ended`. Both null, like acceptedAt, when nobody claimed the chat.
 * - firstResponseSeconds: the visitor's first message → the first agent message after
 *   it. A greeting sent before the visitor wrote answers nothing and does not count.
 *   Null when the visitor never wrote or no agent wrote after them.
 * - transfers: every `transferred` event, to an agent or back to the queue. agents:
 *   each agent who claimed or was transferred to, once, in order of first appearance.
 * - events: the log as given, each marked `internal: false`, with the agents' notes
 *   (not part of the log: `Store.listNotes`) placed by time after the log event they
 *   followed, as `type: "note"`, `internal: true`, `afterSeq`. A transfer's `note`
 *   (agents' words, hidden from visitors by `visitorView`) stays in its event.
 * - visitor.verified: true when the site vouched for the email (identity.ts); a typed
 *   email proves nothing. No source yet: `userAgent` is always null (the relay does not
 *   store it).
 * - rating: the `rated` event's value and comment (null without one), and when.
 */
import { foldLog } from '../protocol/index.js';
import type { AgentNote, AgentRef, EndReason, LogEvent, TranscriptEvent, TranscriptFile, TranscriptRecord, TranscriptStatus } from '../protocol/index.js';
import type { ConversationRecord } from './store.js';

// The record's shapes are part of the protocol (the console reads them too).
export type { TranscriptEvent, TranscriptFile, TranscriptNote, TranscriptRecord, TranscriptStatus } from '../protocol/index.js';

const seconds = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / 1000;

/** Each agent who claimed or was transferred to, once, in order of first appearance. */
function agentsOf(events: readonly LogEvent[]): AgentRef[] {
  const seen = new Map<string, AgentRef>();
  for (const e of events) {
    const agent = e.type === 'claimed' ? e.agent : e.type === 'transferred' && 'agent' in e.to ? e.to.agent : null;
    if (agent && !seen.has(agent.id)) seen.set(agent.id, { id: agent.id, name: agent.name });
  }
  return [...seen.values()];
}

/** Seconds from the visitor's first message to the first agent message after it. */
function firstResponseOf(events: readonly LogEvent[]): number | null {
  const asked = events.find((e) => e.type === 'message' && e.from === 'visitor');
  if (!asked) return null;
  const answered = events.find((e) => e.type === 'message' && e.from === 'agent' && e.seq > asked.seq);
  return answered ? seconds(asked.at, answered.at) : null;
}

function statusOf(reason: EndReason | undefined, accepted: boolean): TranscriptStatus {
  if (reason === 'blocked') return 'blocked';
  if (accepted) return 'completed';
  return reason === 'abandoned' || reason === 'idle' ? 'abandoned' : 'missed';
}

function filesOf(events: readonly LogEvent[]): TranscriptFile[] {
  return events.flatMap((e) => (e.type === 'file' ? [{ id: e.fileId, name: e.name, bytes: e.size }] : []));
}

/** The log, marked public, with the notes placed by time after the event they followed. */
function withNotes(events: readonly LogEvent[], notes: readonly AgentNote[]): TranscriptEvent[] {
  const pending = [...notes].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const out: TranscriptEvent[] = [];
  let afterSeq = 0;
  const flush = (before: number): void => {
    while (pending.length && Date.parse(pending[0]!.at) < before) {
      const n = pending.shift()!;
      out.push({ type: 'note', internal: true, id: n.id, agent: n.agent, text: n.text, at: n.at, afterSeq });
    }
  };
  for (const e of events) {
    flush(Date.parse(e.at));
    out.push({ ...e, internal: false });
    afterSeq = e.seq;
  }
  flush(Infinity);
  return out;
}

/** The customer's rating: the `rated` event (there is at most one), or null. */
function ratingOf(events: readonly LogEvent[]): TranscriptRecord['rating'] {
  const r = events.find((e): e is Extract<LogEvent, { type: 'rated' }> => e.type === 'rated');
  return r ? { value: r.value, comment: r.comment ?? null, at: r.at } : null;
}

/**
 * The transcript record of a conversation: its stored row, its log in seq order (as
 * `Store.readEvents` returns it) and its notes (`Store.listNotes`). Null while the
 * conversation has not ended: a record is made of a finished chat.
 */
export function transcriptOf(
  conversation: ConversationRecord,
  events: readonly LogEvent[],
  notes: readonly AgentNote[] = [],
): TranscriptRecord | null {
  const state = foldLog(events);
  const ended = state.ended;
  if (!ended) return null;
  const requestedAt = state.requestedAt ?? conversation.createdAt;
  const acceptedAt = events.find((e) => e.type === 'claimed')?.at ?? null;
  return {
    conversationId: conversation.id,
    visitor: {
      email: state.visitor?.email ?? conversation.email,
      name: state.visitor?.name ?? null,
      verified: state.visitor?.verified === true,
    },
    page: state.page,
    ip: conversation.ip,
    userAgent: null,
    requestedAt,
    acceptedAt,
    endedAt: ended.at,
    waitSeconds: acceptedAt === null ? null : seconds(requestedAt, acceptedAt),
    durationSeconds: acceptedAt === null ? null : seconds(acceptedAt, ended.at),
    endedBy: ended.by,
    endReason: ended.reason ?? null,
    status: statusOf(ended.reason, acceptedAt !== null),
    agents: agentsOf(events),
    transfers: events.filter((e) => e.type === 'transferred').length,
    visitorMessages: state.visitorMessageSeqs.length,
    agentMessages: state.agentMessageSeqs.length,
    firstResponseSeconds: firstResponseOf(events),
    files: filesOf(events),
    rating: ratingOf(events),
    events: withNotes(events, notes),
  };
}
