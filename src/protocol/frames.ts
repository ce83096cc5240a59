/**
 * Every frame of the wire protocol (PROTOCOL.md sections 4 and 6), as types.
 * Frames from people's sockets are untrusted: parse them with `parse-visitor.ts` /
 * `parse-agent.ts`; frames from the relay with `parse-relay.ts`.
 */
import type { ErrorCode } from './codes.js';
import type {
  AgentNote,
  BlockInfo,
  AgentPresence,
  AgentRef,
  AgentStatus,
  ConversationStatus,
  ConversationSummary,
  LogEvent,
  PageInfo,
} from './events.js';

// ---- visitor → relay ----------------------------------------------------------

export interface VisitorHello {
  t: 'hello';
  id: string;
  email: string;
  name?: string;
  page?: PageInfo;
  locale?: string;
}
export interface VisitorResume {
  t: 'resume';
  id: string;
  token: string;
  conversationId: string;
  afterSeq: number;
}
export interface VisitorSend {
  t: 'send';
  id?: string;
  clientId: string;
  text: string;
}
export interface VisitorTyping {
  t: 'typing';
  on: boolean;
}
export interface VisitorRead {
  t: 'read';
  upToSeq: number;
}
export interface VisitorCancelUpload {
  t: 'cancel_upload';
  id?: string;
  requestId: string;
}
export interface VisitorEnd {
  t: 'end';
  id?: string;
}

export interface Ping {
  t: 'ping';
  id?: string;
}

export type VisitorFrame =
  | VisitorHello
  | VisitorResume
  | VisitorSend
  | VisitorTyping
  | VisitorRead
  | VisitorCancelUpload
  | VisitorEnd
  | Ping;

// ---- agent → relay ------------------------------------------------------------

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
  | Ping;

// ---- relay → anyone -----------------------------------------------------------

/** Success reply to a request that carried an `id`; extra fields depend on the request. */
export interface OkFrame {
  t: 'ok';
  id: string;
  /** `watch`: the events after `afterSeq` (one page). */
  events?: LogEvent[];
  /** `watch`: true when more events follow; `watch` again after the last seq given. `blocks`: older blocks exist. */
  more?: boolean;
  /** `list`: one page of summaries. */
  conversations?: ConversationSummary[];
  /** `list`: the cursor of the next page, when there is one. */
  next?: string;
  /** `block`: the new block's id. */
  blockId?: string;
  /** `blocks`: the blocks in force, newest first. */
  blocks?: BlockInfo[];
  /** `request_upload`: the new request's id. */
  requestId?: string;
}
export interface ErrorFrame {
  t: 'error';
  id?: string;
  code: ErrorCode;
  message: string;
  field?: string;
}
export interface PongFrame {
  t: 'pong';
  id?: string;
}

// ---- relay → visitor ----------------------------------------------------------

export interface VisitorWelcome {
  t: 'welcome';
  id: string;
  token: string;
  conversation: { id: string; status: ConversationStatus; queuePosition?: number };
  /**
   * The log after `afterSeq`, its first page (`MAX_PAGE_BYTES`); the rest follows as
   * `event` frames, before any live one.
   */
  events: LogEvent[];
}
export interface VisitorAck {
  t: 'ack';
  id?: string;
  clientId: string;
  seq: number;
}
export interface VisitorEventFrame {
  t: 'event';
  event: LogEvent;
}
export interface QueueFrame {
  t: 'queue';
  position: number;
}
export interface AgentTypingToVisitor {
  t: 'typing';
  from: 'agent';
  name: string;
  on: boolean;
}
export interface AgentReadToVisitor {
  t: 'read';
  by: 'agent';
  upToSeq: number;
}

export type RelayToVisitorFrame =
  | VisitorWelcome
  | VisitorAck
  | VisitorEventFrame
  | QueueFrame
  | AgentTypingToVisitor
  | AgentReadToVisitor
  | OkFrame
  | ErrorFrame
  | PongFrame;

// ---- relay → agent ------------------------------------------------------------

export interface AgentWelcome {
  t: 'welcome';
  id: string;
  agent: AgentRef;
  agents: AgentPresence[];
  /** The first page of the list: queued conversations oldest first, then the agent's own. */
  conversations: ConversationSummary[];
  /** The cursor of the next page (send `list`), when the list goes on. */
  next?: string;
}
export interface PresenceFrame {
  t: 'presence';
  agent: AgentPresence;
}
export interface ConversationFrame {
  t: 'conversation';
  summary: ConversationSummary;
}
/**
 * New messages in a conversation, as a tile needs them: sent instead of a whole
 * summary when only `lastSeq` and `unread` changed (gathered, at most about once a
 * second per conversation), so a busy queue costs agents a few bytes per chat.
 */
export interface ActivityFrame {
  t: 'activity';
  conversationId: string;
  lastSeq: number;
  unread: number;
}
export interface AgentEventFrame {
  t: 'event';
  conversationId: string;
  event: LogEvent;
}
export interface NoteFrame {
  t: 'note';
  conversationId: string;
  note: AgentNote;
}
export interface AgentAck {
  t: 'ack';
  id?: string;
  conversationId: string;
  clientId: string;
  seq: number;
}
export interface VisitorTypingToAgent {
  t: 'typing';
  conversationId: string;
  on: boolean;
}
export interface VisitorReadToAgent {
  t: 'read';
  conversationId: string;
  by: 'visitor';
  upToSeq: number;
}

export type RelayToAgentFrame =
  | AgentWelcome
  | PresenceFrame
  | ConversationFrame
  | ActivityFrame
  | AgentEventFrame
  | NoteFrame
  | AgentAck
  | VisitorTypingToAgent
  | VisitorReadToAgent
  | OkFrame
  | ErrorFrame
  | PongFrame;

/** HTTP answer of `POST /v1/uploads/{requestId}` (201). */
export interface UploadResult {
  fileId: string;
  name: string;
  size: number;
  mime: string;
}

/** HTTP error body of the upload and file endpoints. */
export interface HttpErrorBody {
  error: { code: ErrorCode; message: string };
}
