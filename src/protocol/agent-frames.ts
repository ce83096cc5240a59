/**
 * The frames an agent's socket sends (docs/protocol.md, "Agent frames"), as types:
 * untrusted until `parse-agent.ts` has read them. Re-exported by `frames.ts`.
 */
import type { AgentStatus } from './events.js';
import type { Ping } from './frames.js';

export interface AgentHello {
  t: 'hello';
  id: string;
  token: string;
}
export interface AgentSetStatus {
  t: 'status';
  id?: string;
  value: AgentStatus;
}
export interface AgentWatch {
  t: 'watch';
  id: string;
  conversationId: string;
  afterSeq: number;
}
/** The next page of `welcome`'s conversation list, from the cursor it gave as `next`. */
export interface AgentList {
  t: 'list';
  id: string;
  cursor: string;
}
export interface AgentClaim {
  t: 'claim';
  id: string;
  conversationId: string;
}
export interface AgentSend {
  t: 'send';
  id?: string;
  conversationId: string;
  clientId: string;
  text: string;
}
export interface AgentRequestUpload {
  t: 'request_upload';
  id: string;
  conversationId: string;
  note?: string;
}
export interface AgentCancelUpload {
  t: 'cancel_upload';
  id?: string;
  conversationId: string;
  requestId: string;
}
export interface AgentTransfer {
  t: 'transfer';
  id: string;
  conversationId: string;
  toAgentId?: string;
  note?: string;
}
export interface AgentEnd {
  t: 'end';
  id?: string;
  conversationId: string;
}
export interface AgentBlock {
  t: 'block';
  id?: string;
  conversationId: string;
  comment?: string;
  /** Also refuse everyone behind the chat's address (default: only this email there). */
  byAddress?: boolean;
}
/** Stops live events of a conversation this socket watched. */
export interface AgentUnwatch {
  t: 'unwatch';
  id?: string;
  conversationId: string;
}
/** The blocks in force. */
export interface AgentListBlocks {
  t: 'blocks';
  id: string;
}
/** Lifts a block before it expires. */
export interface AgentUnblock {
  t: 'unblock';
  id?: string;
  blockId: string;
}
export interface AgentAddNote {
  t: 'note';
  id?: string;
  conversationId: string;
  text: string;
}
export interface AgentTyping {
  t: 'typing';
  conversationId: string;
  on: boolean;
}
export interface AgentRead {
  t: 'read';
  conversationId: string;
  upToSeq: number;
}

/**
 * Answers what is waiting for this agent in a conversation: an offer (`--routing auto`),
 * a transfer request, or an invitation into a conference.
 */
export interface AgentAccept {
  t: 'accept';
  id: string;
  conversationId: string;
}
export interface AgentDecline {
  t: 'decline';
  id?: string;
  conversationId: string;
}
/** The owner takes back the transfer request or invitation they made. */
export interface AgentWithdraw {
  t: 'withdraw';
  id?: string;
  conversationId: string;
}
/** The owner asks another agent into the chat beside them (a conference). */
export interface AgentInvite {
  t: 'invite';
  id: string;
  conversationId: string;
  toAgentId: string;
}
/** Leaves a conference: a guest goes; an owner hands the chat to a guest first. */
export interface AgentLeave {
  t: 'leave';
  id?: string;
  conversationId: string;
}

export type AgentFrame =
  | AgentHello
  | AgentSetStatus
  | AgentWatch
  | AgentList
  | AgentClaim
  | AgentSend
  | AgentRequestUpload
  | AgentCancelUpload
  | AgentTransfer
  | AgentEnd
  | AgentBlock
  | AgentUnwatch
  | AgentListBlocks
  | AgentUnblock
  | AgentAddNote
  | AgentTyping
  | AgentRead
  | AgentAccept
  | AgentDecline
  | AgentWithdraw
  | AgentInvite
  | AgentLeave
  | Ping;

