/**
 * Questions about routing asked of the console's snapshot: what waits for this agent's
 * answer (an offer, a transfer request, an invitation), what this agent asked of
 * another and still waits for, their part in a chat (owner or guest), how many chats
 * they hold of their capacity, and how many things want them (the tab title's count).
 * Pure: each reads the fold once a chat's log is loaded, the relay's summary before.
 */
import type { AgentRef, OpenRequest } from '../protocol/index.js';
import type { ChatView, ConsoleState, Tile } from './console-state.js';
import { isGuest, ownerIdOf, statusOf, tilesOf } from './selectors.js';

/** The chat's waiting offer (`--routing auto`), if any. */
export function offerOf(chat: ChatView): { agentId: string; until: string } | null {
  if (!chat.loaded) return chat.summary?.offer ?? null;
  const o = chat.state.offer;
  return o ? { agentId: o.agent.id, until: o.until } : null;
}

/** The owner's waiting request that another agent take the chat over, if any. */
export function transferRequestOf(chat: ChatView): OpenRequest | null {
  return chat.loaded ? chat.state.transferRequest : (chat.summary?.transferRequest ?? null);
}

/** The owner's waiting invitation of another agent into the chat, if any. */
export function inviteOf(chat: ChatView): OpenRequest | null {
  return chat.loaded ? chat.state.invite : (chat.summary?.invite ?? null);
}

/** What waits for one agent's answer in a chat. */
export interface Asked {
  kind: 'offer' | 'transfer' | 'invite';
  /** Who asked (a transfer request or an invitation); the relay for an offer. */
  from: AgentRef | null;
  /** When it runs out (ISO, the relay's clock). */
  until: string;
  /** The transfer note, for agents only. */
  note?: string;
}

/** What waits for `me` to accept or decline in this chat, or null. */
export function askedOf(chat: ChatView, me: string | undefined): Asked | null {
  if (!me || statusOf(chat) === 'ended') return null;
  const offer = offerOf(chat);
  if (offer?.agentId === me && statusOf(chat) === 'queued') return { kind: 'offer', from: null, until: offer.until };
  const t = transferRequestOf(chat);
  if (t?.to.id === me) return { kind: 'transfer', from: t.from, until: t.until, ...(t.note ? { note: t.note } : {}) };
  const i = inviteOf(chat);
  if (i?.to.id === me) return { kind: 'invite', from: i.from, until: i.until };
  return null;
}

/** Everything waiting for this agent's answer, the soonest to run out first. */
export function incomingOf(s: ConsoleState): { chat: ChatView; asked: Asked }[] {
  const me = s.agent?.id;
  const out: { chat: ChatView; asked: Asked }[] = [];
  for (const chat of Object.values(s.chats)) {
    const asked = askedOf(chat, me);
    if (asked) out.push({ chat, asked });
  }
  return out.sort((a, b) => a.asked.until.localeCompare(b.asked.until) || a.chat.id.localeCompare(b.chat.id));
}

/** What this agent (the owner) asked of another agent in this chat and still waits for. */
export interface Outgoing {
  kind: 'transfer' | 'invite';
  to: AgentRef;
  until: string;
}

/** The owner's own waiting transfer request or invitation in this chat, or null. */
export function outgoingOf(chat: ChatView, me: string | undefined): Outgoing | null {
  if (!me || statusOf(chat) !== 'active' || ownerIdOf(chat) !== me) return null;
  const t = transferRequestOf(chat);
  if (t?.from.id === me) return { kind: 'transfer', to: t.to, until: t.until };
  const i = inviteOf(chat);
  if (i?.from.id === me) return { kind: 'invite', to: i.to, until: i.until };
  return null;
}

/** This agent's part in an active chat: its owner, a guest beside the owner, or none. */
export function roleOf(s: ConsoleState, chat: ChatView): 'owner' | 'guest' | null {
  const me = s.agent?.id;
  if (!me || statusOf(chat) !== 'active') return null;
  if (ownerIdOf(chat) === me) return 'owner';
  return isGuest(chat, me) ? 'guest' : null;
}

/** How many active chats this agent owns (what counts against their capacity). */
export function ownActiveCount(s: ConsoleState): number {
  const me = s.agent?.id;
  if (!me) return 0;
  return Object.values(s.chats).filter((c) => statusOf(c) === 'active' && ownerIdOf(c) === me).length;
}

/**
 * What wants this agent, for the tab title: chats waiting in the live queue (not the
 * messages customers left while nobody could answer: they wait in Messages), transfer
 * requests and invitations waiting for their answer, and unread customer messages in
 * the chats they are in (the open one counts none while the tab is in view). Pass the
 * snapshot's `tilesOf` when it is at hand.
 */
export function attentionCount(s: ConsoleState, tiles: readonly Tile[] = tilesOf(s)): number {
  let n = 0;
  for (const t of tiles) {
    if (t.kind === 'unassigned') n += 1;
    else if (t.kind === 'own' || t.kind === 'guest') n += t.unread;
  }
  return n + incomingOf(s).filter((i) => i.asked.kind !== 'offer').length;
}
