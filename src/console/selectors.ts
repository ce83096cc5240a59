/**
 * Questions asked of the console's snapshot: a chat's status, owner and guests, unread
 * count, which tiles show and which chats wait in Messages, who took a chat, how the open file request fares, and what the store must tell the relay after
 * a change (watch, unwatch, read). Pure: no I/O, no timers, no connection. Offers and
 * requests waiting for an answer are asked in `routing-selectors.ts`.
 */
import type { AgentRef, ConversationSummary, UploadFailure } from '../protocol/index.js';
import type { ChatView, ConsoleState, Tile } from './console-state.js';

/** The chat's status: from the fold once its log is loaded, from the summary before. */
export function statusOf(chat: ChatView): ConversationSummary['status'] {
  return chat.loaded ? chat.state.status : (chat.summary?.status ?? 'queued');
}

/**
 * Whether the customer left this chat as a message while nobody could answer
 * (`requested.offline`): the relay's summary says so for the chats on the list, the
 * fold for a past chat that has none.
 */
export function isLeftMessage(chat: ChatView): boolean {
  return chat.summary ? chat.summary.offline === true : chat.state.offline;
}

/** The chat's owner id: from the fold once loaded, from the summary before. */
export function ownerIdOf(chat: ChatView): string | undefined {
  return chat.loaded ? chat.state.owner?.id : chat.summary?.ownerId;
}

/** The agents in the chat beside its owner (a conference): from the fold once loaded, from the summary before. */
export function guestsOf(chat: ChatView): readonly AgentRef[] {
  return chat.loaded ? chat.state.guests : (chat.summary?.guests ?? []);
}

/**
 * Why the customer's last try at the open file request failed at the relay, or null
 * while nothing failed since it was asked for (the request stays open after a failure).
 */
export function failedUploadOf(chat: Pick<ChatView, 'log' | 'state'>): UploadFailure | null {
  const open = chat.state.openUpload;
  if (!open) return null;
  for (let i = chat.log.length - 1; i >= 0 && chat.log[i]!.seq > open.seq; i--) {
    const e = chat.log[i]!;
    if (e.type === 'upload_failed' && e.requestId === open.requestId) return e.reason;
  }
  return null;
}

/** Whether `me` is a guest in the chat while it is active. */
export function isGuest(chat: ChatView, me: string | undefined): boolean {
  return me !== undefined && statusOf(chat) === 'active' && guestsOf(chat).some((g) => g.id === me);
}

/** Customer messages after what this agent has seen. */
export function unreadOf(chat: ChatView): number {
  // A queued chat nobody opened is not watched: its tile counts from the relay's summary.
  if (!chat.loaded) return chat.summary?.unread ?? 0;
  return chat.state.visitorMessageSeqs.filter((s) => s > chat.readUpTo).length;
}

/** When the customer asked for the chat (ISO), for ordering and waiting time. */
export function requestedAtOf(chat: ChatView): string {
  return chat.state.requestedAt ?? chat.summary?.requestedAt ?? '';
}

/**
 * What kind of tile a chat gets for this agent, or `null` when it is not on their list.
 * A queued chat the customer left as a message is a `message`: listed in Messages,
 * outside the live queue.
 */
export function tileKind(chat: ChatView, me: string | undefined): Tile['kind'] | null {
  const status = statusOf(chat);
  if (status === 'queued') return isLeftMessage(chat) ? 'message' : 'unassigned';
  if (isGuest(chat, me)) return 'guest';
  if (!me || ownerIdOf(chat) !== me) return null;
  if (status === 'active') return 'own';
  return chat.dismissed ? null : 'ended';
}

/** The chats of the kinds `keep` lets through, oldest request first. */
function listed(s: ConsoleState, keep: (kind: Tile['kind']) => boolean): Tile[] {
  const me = s.agent?.id;
  const tiles: Tile[] = [];
  for (const chat of Object.values(s.chats)) {
    const kind = tileKind(chat, me);
    if (kind && keep(kind)) tiles.push({ chat, kind, unread: chat.id === s.selectedId && !s.hidden ? 0 : unreadOf(chat) });
  }
  return tiles.sort((a, b) => requestedAtOf(a.chat).localeCompare(requestedAtOf(b.chat)) || a.chat.id.localeCompare(b.chat.id));
}

/** The tiles (the live queue and this agent's chats), oldest request first; left messages are not among them. */
export function tilesOf(s: ConsoleState): Tile[] {
  return listed(s, (kind) => kind !== 'message');
}

/** The messages customers left while nobody could answer, still unanswered, oldest first (the Messages list). */
export function leftMessagesOf(s: ConsoleState): Tile[] {
  return listed(s, (kind) => kind === 'message');
}

/** The name of another agent who holds the chat now, if any ("Bob Stone took this chat"). */
export function takenBy(s: ConsoleState, chat: ChatView): string | null {
  const owner = ownerIdOf(chat);
  if (statusOf(chat) !== 'active' || !owner || owner === s.agent?.id) return null;
  if (chat.loaded && chat.state.owner) return chat.state.owner.name;
  return s.agents.find((a) => a.id === owner)?.name ?? 'Another agent';
}

/** Whether this agent owns the chat while it is active (only then do they type and send read marks). */
export function isMineAndActive(s: ConsoleState, chat: ChatView): boolean {
  return statusOf(chat) === 'active' && ownerIdOf(chat) === s.agent?.id;
}

/** Whether the chat a summary names should be followed (its log fetched and kept): an active chat this agent owns or is a guest in. */
export function followsSummary(s: ConsoleState, summary: ConversationSummary): boolean {
  const me = s.agent?.id;
  if (summary.status !== 'active' || !me || !(summary.id in s.chats)) return false;
  return summary.ownerId === me || (summary.guests ?? []).some((g) => g.id === me);
}

/**
 * The seq to tell the relay this agent has read up to when the chat is read to its
 * end now, or `null` when there is nothing to tell: nothing new, the tab hidden, no
 * unread customer message, or the chat not this agent's own.
 */
export function readReceiptOf(s: ConsoleState, id: string): number | null {
  const chat = s.chats[id];
  if (!chat || s.hidden || chat.readUpTo >= chat.state.lastSeq) return null;
  return unreadOf(chat) > 0 && isMineAndActive(s, chat) ? chat.state.lastSeq : null;
}

/** The chats whose logs `after` no longer holds (forgotten, or back to living on summaries): the connection stops watching them. */
export function unfollowedBetween(before: ConsoleState, after: ConsoleState): string[] {
  const ids: string[] = [];
  for (const [id, chat] of Object.entries(before.chats)) {
    const now = after.chats[id];
    if (!now || (chat.loaded && !now.loaded)) ids.push(id);
  }
  return ids;
}
