/**
 * How the snapshot changes: pure functions `(state, input) => newState` that fold what
 * the connection hears (the welcome, summaries, log events, notes, typing, read marks,
 * outbox changes, errors) and a few of the agent's own steps into `ConsoleState`. No
 * I/O, no timers, no connection: the store runs these and does the effects. Each one
 * returns the same object when nothing changed.
 */
import { EMPTY_AGENT_STATE, foldAgentLog, type ConversationSummary } from '../protocol/index.js';
import type { ConnectionEventMap, ConsoleError, OutboxItem } from './connection.js';
import { newChat, type ChatView, type ConsoleState, type DownloadState } from './console-state.js';
import { leftTextOf } from './left-messages.js';
import { askedOf } from './routing-selectors.js';
import { tileKind } from './selectors.js';

/** One chat changed by `fn`; nothing when the chat is unknown. */
export function withChat(s: ConsoleState, id: string, fn: (c: ChatView) => Partial<ChatView>): ConsoleState {
  const chat = s.chats[id];
  if (!chat) return s;
  return { ...s, chats: { ...s.chats, [id]: { ...chat, ...fn(chat) } } };
}

/** Whether a summary names a chat this agent's list holds: queued, theirs, one they are a guest in, or one they are asked to take or join. */
function wanted(summary: ConversationSummary, me: string | undefined): boolean {
  if (summary.status === 'queued') return true;
  if (summary.status !== 'active' || !me) return false;
  if (summary.ownerId === me || (summary.guests ?? []).some((g) => g.id === me)) return true;
  return summary.transferRequest?.to.id === me || summary.invite?.to.id === me;
}

/** A relay summary: a new chat when this agent's list holds it, else fresher counts on a known one. */
export function summaryHeard(s: ConsoleState, summary: ConversationSummary): ConsoleState {
  if (s.chats[summary.id]) return withChat(s, summary.id, () => ({ summary }));
  if (!wanted(summary, s.agent?.id)) return s;
  return { ...s, chats: { ...s.chats, [summary.id]: newChat(summary.id, summary) } };
}

/** The relay's welcome: who this agent is, every agent, and the first page of chats. */
export function welcomed(s: ConsoleState, w: ConnectionEventMap['welcome']): ConsoleState {
  const mine = w.agents.find((a) => a.id === w.agent.id);
  const agent = { id: w.agent.id, name: w.agent.name };
  let next: ConsoleState = { ...s, agent, capacity: w.agent.capacity ?? null, agents: w.agents, status: mine?.status ?? s.status, error: null };
  for (const summary of w.conversations) next = summaryHeard(next, summary);
  return next;
}

/** A later page of the list. */
export function listHeard(s: ConsoleState, conversations: readonly ConversationSummary[]): ConsoleState {
  return conversations.reduce(summaryHeard, s);
}

/** A relay frame that is not a log event: presence, a summary, activity counts, a note, typing, a read mark. */
export function frameHeard(s: ConsoleState, f: ConnectionEventMap['frame']): ConsoleState {
  switch (f.t) {
    case 'presence': {
      const others = s.agents.filter((a) => a.id !== f.agent.id);
      const mine = f.agent.id === s.agent?.id;
      return { ...s, agents: [...others, f.agent], ...(mine ? { status: f.agent.status } : {}) };
    }
    case 'conversation':
      return summaryHeard(s, f.summary);
    case 'activity':
      // New messages in a chat: its tile's counts (an opened chat counts from its log).
      return withChat(s, f.conversationId, (c) => (c.summary ? { summary: { ...c.summary, lastSeq: f.lastSeq, unread: f.unread } } : {}));
    case 'note':
      return withChat(s, f.conversationId, (c) =>
        c.notes.some((n) => n.id === f.note.id) ? {} : { notes: [...c.notes, f.note].sort((a, b) => a.at.localeCompare(b.at)) },
      );
    case 'typing':
      return withChat(s, f.conversationId, () => ({ visitorTyping: f.on }));
    case 'read':
      return withChat(s, f.conversationId, (c) => ({ visitorReadUpTo: Math.max(c.visitorReadUpTo, f.upToSeq) }));
    default:
      return s;
  }
}

/** The customer's typing went quiet (no typing frame for a while). */
export function visitorStoppedTyping(s: ConsoleState, id: string): ConsoleState {
  return withChat(s, id, () => ({ visitorTyping: false }));
}

/**
 * New log events of a watched chat, folded with the agents' fold (guests, offers,
 * requests). The first load starts the read mark from the summary's unread count. A
 * message the customer left while nobody could answer is remembered for the Messages list.
 */
export function eventsHeard(s: ConsoleState, e: Pick<ConnectionEventMap['events'], 'conversationId' | 'added' | 'log'>): ConsoleState {
  const chat = s.chats[e.conversationId];
  if (!chat) return s;
  const state = chat.loaded ? foldAgentLog(e.added, chat.state) : foldAgentLog(e.log);
  let readUpTo = chat.readUpTo;
  if (!chat.loaded && chat.summary) {
    const seqs = state.visitorMessageSeqs;
    const unread = Math.min(chat.summary.unread, seqs.length);
    readUpTo = unread === 0 ? state.lastSeq : unread === seqs.length ? 0 : seqs[seqs.length - unread - 1]!;
  }
  const fromVisitor = chat.loaded ? e.added.filter((x) => x.type === 'message' && x.from === 'visitor').length : 0;
  return withChat(s, e.conversationId, () => ({
    log: e.log,
    state,
    loaded: true,
    readUpTo,
    visitorTyping: fromVisitor > 0 ? false : chat.visitorTyping,
    leftText: chat.leftText ?? (state.offline ? leftTextOf(e.log) : null),
  }));
}

/** The connection's unsent replies for a chat changed (sent, acknowledged, failed, dropped). */
export function outboxChanged(s: ConsoleState, id: string, outbox: readonly OutboxItem[]): ConsoleState {
  return withChat(s, id, () => ({ outbox }));
}

/** What an error the connection reports means for the console. */
export type ErrorOutcome =
  /** The chat is gone or no longer this agent's to see: forget it. */
  | 'forget-chat'
  /** A failure in one chat: show it there. */
  | 'chat'
  /** A refused fire-and-forget frame; the chat itself shows what happened. */
  | 'ignore'
  /** The token is refused: back to the sign-in form. */
  | 'signed-out'
  /** Anything else: the console's own error line. */
  | 'console';

export function errorOutcome(e: ConsoleError & { conversationId?: string }): ErrorOutcome {
  if (e.conversationId) return e.code === 'not_found' || e.code === 'forbidden' ? 'forget-chat' : 'chat';
  // Refusals without a request id answer fire-and-forget frames (typing, read) that
  // raced a transfer or an end.
  if (e.code === 'forbidden' || e.code === 'ended' || e.code === 'not_found') return 'ignore';
  if (e.code === 'unauthorized' || e.code === 'blocked') return 'signed-out';
  return 'console';
}

/** An error the connection reported (see `errorOutcome`). */
export function errorHeard(s: ConsoleState, e: ConsoleError & { conversationId?: string }): ConsoleState {
  const outcome = errorOutcome(e);
  const id = e.conversationId;
  if (outcome === 'forget-chat' && id) {
    const { [id]: _, ...rest } = s.chats;
    return { ...s, chats: rest, selectedId: s.selectedId === id ? null : s.selectedId };
  }
  if (outcome === 'chat' && id) return withChat(s, id, () => ({ error: e }));
  if (outcome === 'signed-out') return { ...s, signedIn: false, error: e };
  if (outcome === 'console') return { ...s, error: e };
  return s;
}

/** The agent has seen the chat up to its last event (when the tab is visible). */
export function readToEnd(s: ConsoleState, id: string): ConsoleState {
  const chat = s.chats[id];
  if (!chat || s.hidden || chat.readUpTo >= chat.state.lastSeq) return s;
  return withChat(s, id, () => ({ readUpTo: chat.state.lastSeq }));
}

/**
 * Forgets chats that are neither on the list nor open nor waiting for this agent's
 * answer; an opened queued chat (live or a left message), or one this agent is asked
 * about, that was left goes back to living on summaries.
 */
export function pruned(s: ConsoleState): ConsoleState {
  const me = s.agent?.id;
  const keep: Record<string, ChatView> = {};
  let changed = false;
  for (const [id, chat] of Object.entries(s.chats)) {
    const kind = tileKind(chat, me);
    const asked = askedOf(chat, me) !== null;
    if (id !== s.selectedId && !kind && !asked) {
      changed = true;
      continue;
    }
    keep[id] = chat;
    if ((kind === 'unassigned' || kind === 'message' || (!kind && asked)) && id !== s.selectedId && chat.loaded) {
      keep[id] = { ...chat, loaded: false, log: [], state: EMPTY_AGENT_STATE };
      changed = true;
    }
  }
  return changed ? { ...s, chats: keep } : s;
}

/** An ended chat's tile closed by the agent (and no longer open). */
export function dismissed(s: ConsoleState, id: string): ConsoleState {
  const next = withChat(s, id, () => ({ dismissed: true }));
  return next.selectedId === id ? { ...next, selectedId: null } : next;
}

/** One file download's progress in a chat. */
export function downloadChanged(s: ConsoleState, id: string, fileId: string, d: DownloadState): ConsoleState {
  return withChat(s, id, (c) => ({ downloads: { ...c.downloads, [fileId]: d } }));
}

/** Signed out: no agent, no chats. */
export function signedOut(s: ConsoleState): ConsoleState {
  return { ...s, signedIn: false, agent: null, capacity: null, agents: [], chats: {}, selectedId: null };
}
