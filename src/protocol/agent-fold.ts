/**
 * The agents' fold: `applyEvent` (the state every view shares) plus what only agents
 * and the relay need: who else is in the chat (a conference's guests), the open offer,
 * transfer request or invitation, and who turned this chat down. Kept apart from
 * `fold.ts` so that the customer's bundle does not carry it. Pure: no clocks, no I/O;
 * whether a request's `until` has passed is for the caller to judge.
 */
import type { AgentRef, LogEvent, RatingValue } from './events.js';
import { applyEvent, EMPTY_STATE, type ConversationState } from './fold.js';

/** A request waiting for `to`'s answer until `until` (ISO). */
export interface OpenRequest {
  from: AgentRef;
  to: AgentRef;
  until: string;
  note?: string;
}

export interface AgentConversationState extends ConversationState {
  /** Agents in the chat beside its owner (a conference), in the order they joined. */
  guests: AgentRef[];
  /** The chat offered to one agent (`--routing auto`), while the offer stands. */
  offer: { agent: AgentRef; until: string } | null;
  /** The owner's request that `to` take the chat over, while it waits. */
  transferRequest: OpenRequest | null;
  /** The owner's invitation of `to` into the chat, while it waits. */
  invite: OpenRequest | null;
  /** Each agent who declined an offer of this chat or let one time out, with when. */
  declinedBy: { agentId: string; at: string }[];
  /** The customer's rating, given after the chat ended. */
  rating: { value: RatingValue; comment?: string; at: string } | null;
}

export const EMPTY_AGENT_STATE: AgentConversationState = Object.freeze({
  ...EMPTY_STATE,
  guests: [],
  offer: null,
  transferRequest: null,
  invite: null,
  declinedBy: [],
  rating: null,
}) as AgentConversationState;

const without = (list: readonly AgentRef[], id: string | undefined): AgentRef[] => list.filter((a) => a.id !== id);

/** True when the agent is a guest of the chat (a conference), beside its owner. */
export const isGuest = (s: AgentConversationState, agentId: string): boolean => s.guests.some((g) => g.id === agentId);

/** True when the agent is in the chat: its owner or a guest (who may write in it). */
export const isInChat = (s: AgentConversationState, agentId: string): boolean => s.owner?.id === agentId || isGuest(s, agentId);

/** The agents' state after one more event. Events at or below `lastSeq` are ignored. */
export function applyAgentEvent(s: AgentConversationState, e: LogEvent): AgentConversationState {
  if (e.seq <= s.lastSeq) return s;
  const next = applyEvent(s, e) as AgentConversationState;
  if (e.type === 'rated') return { ...next, rating: { value: e.value, at: e.at, ...(e.comment !== undefined ? { comment: e.comment } : {}) } };
  if (s.status === 'ended') return next;
  switch (e.type) {
    case 'offered':
      return { ...next, offer: { agent: e.agent, until: e.until } };
    case 'offer_declined':
      return { ...next, offer: null, declinedBy: [...s.declinedBy, { agentId: e.agent.id, at: e.at }] };
    case 'claimed':
      return { ...next, offer: null, guests: without(s.guests, e.agent.id) };
    case 'transfer_requested':
      return { ...next, transferRequest: { from: e.from, to: e.to, until: e.until, ...(e.note !== undefined ? { note: e.note } : {}) } };
    case 'transfer_declined':
      return { ...next, transferRequest: null };
    case 'transferred':
      // A transfer hands over the chat alone: open requests and guests go with the old owner's hand.
      return { ...next, transferRequest: null, invite: null, guests: 'agent' in e.to ? without(s.guests, e.to.agent.id) : [] };
    case 'invited':
      return { ...next, invite: { from: e.from, to: e.to, until: e.until } };
    case 'invite_declined':
      return { ...next, invite: null };
    case 'joined':
      return { ...next, invite: null, guests: [...without(s.guests, e.agent.id), e.agent] };
    case 'left':
      return { ...next, guests: without(s.guests, e.agent.id) };
    case 'ended':
      return { ...next, offer: null, transferRequest: null, invite: null, guests: [] };
    default:
      return next;
  }
}

/** The agents' state of a whole log (events in seq order). */
export function foldAgentLog(events: readonly LogEvent[], from: AgentConversationState = EMPTY_AGENT_STATE): AgentConversationState {
  return events.reduce(applyAgentEvent, from);
}
