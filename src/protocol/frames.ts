/**
 * Every frame of the wire protocol (docs/protocol.md, "Visitor frames" and "Agent frames"), as types; the
 * frames agents send are in `agent-frames.ts` (re-exported here).
 * Frames from people's sockets are untrusted: parse them with `parse-visitor.ts` /
 * `parse-agent.ts`; frames from the relay with `parse-relay.ts`.
 */
import type { ErrorCode } from './codes.js';
import type {
  AgentNote,
  BlockInfo,
  AgentPresence,
  AgentRef,
  ConversationStatus,
  ConversationSummary,
  LogEvent,
  PageInfo,
  RatingValue,
} from './events.js';

export type * from './agent-frames.js';

// ---- visitor → relay ----------------------------------------------------------

export interface VisitorHello {
  t: 'hello';
  id: string;
  email: string;
  name?: string;
  page?: PageInfo;
  locale?: string;
  /** The site's word for who this is: hex HMAC-SHA256 of the email (trimmed, lower-cased) with the relay's identity secret. */
  signature?: string;
  /**
   * Leaves a message instead of asking for a live chat (nobody can answer now): the
   * conversation starts `offline`, with this as its first message.
   */
  message?: string;
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
/** Rates the chat once it has ended: thumbs up or down, and a comment if the customer wants. */
export interface VisitorRate {
  t: 'rate';
  id?: string;
  value: RatingValue;
  comment?: string;
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
  | VisitorRate
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
  /**
   * `queuePosition` (1 is next) while queued in the live queue; `queueWait`: the usual
   * wait in seconds, from recent chats, once the relay has seen enough of them.
   */
  conversation: { id: string; status: ConversationStatus; queuePosition?: number; queueWait?: number };
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
  /** The usual wait in seconds, from recent chats; absent until the relay has seen enough. */
  wait?: number;
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
  /** The agent signed in, with how many chats they may own at once. */
  agent: AgentRef & { capacity: number };
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

/**
 * HTTP answer of `GET /v1/availability`: whether someone can answer a chat asked for
 * now, and whether the relay takes only customers the site vouched for.
 */
export interface AvailabilityAnswer {
  available: boolean;
  /** Why not: outside the opening hours, or nobody online with a free place. */
  reason?: 'closed' | 'busy';
  /** When closed: when the hours open next (ISO), or null when they never do. */
  opensAt?: string | null;
  /** The relay runs with `--require-identity`: a chat needs the site's signature. */
  identityRequired?: true;
}

/**
 * Body of `POST /v1/rating`: the customer's rating once the chat has ended, the same
 * fields as the `rate` frame (the client closes its socket at the end).
 */
export interface RatingRequest {
  value: RatingValue;
  comment?: string;
}

/**
 * Body of `POST /v1/read`: the `read` frame's mark, sent over HTTP while the visitor's
 * socket is closed (after the end, or while it reconnects).
 */
export interface ReadRequest {
  upToSeq: number;
}

/** HTTP error body of the upload and file endpoints. */
export interface HttpErrorBody {
  error: { code: ErrorCode; message: string };
}
