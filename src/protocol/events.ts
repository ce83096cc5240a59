/**
 * The conversation log (docs/protocol.md, "The conversation log"): the event types every view folds.
 * Only the relay creates events; everyone else reads them.
 */

export interface AgentRef {
  id: string;
  name: string;
}

export interface Visitor {
  email: string;
  name?: string;
  /** True when the site vouched for this email with a valid identity signature. */
  verified?: boolean;
}

export interface PageInfo {
  url: string;
  title: string;
}

export type ConversationStatus = 'queued' | 'active' | 'ended';
export type EndReason = 'blocked' | 'idle' | 'abandoned' | 'log_full';

/** The event bodies, without the `seq` and `at` that the relay adds. */
export type EventBody =
  /**
   * The customer asked for a chat. `offline`: they left a message while nobody could
   * answer (`hello.message`); the chat waits outside the live queue for an agent to
   * answer it later, and is never ended as abandoned.
   */
  | { type: 'requested'; visitor: Visitor; page?: PageInfo; offline?: true }
  | {
      type: 'message';
      from: 'visitor' | 'agent';
      agent?: AgentRef;
      text: string;
      clientId: string;
    }
  | { type: 'claimed'; agent: AgentRef; via?: 'offer' }
  | {
      type: 'transferred';
      from: AgentRef;
      to: { agent: AgentRef } | { queue: true };
      note?: string;
      /** `offline`: the relay sent it back to the queue because its owner was gone too long. */
      reason?: 'offline';
    }
  | AgentOnlyBody
  /** A guest agent came into the chat (a conference): the customer sees who. */
  | { type: 'joined'; agent: AgentRef }
  /**
   * An agent left a conference. An owner who leaves hands the chat to a guest first
   * (`transferred` to that agent, then `left`).
   */
  | { type: 'left'; agent: AgentRef }
  /** The customer's rating, once, after the chat ended: the one event after `ended`. */
  | { type: 'rated'; value: RatingValue; comment?: string }
  | {
      type: 'upload_requested';
      requestId: string;
      agent: AgentRef;
      note?: string;
      maxBytes: number;
    }
  | { type: 'upload_canceled'; requestId: string; by: 'visitor' | 'agent' }
  | {
      type: 'file';
      /** The upload request it answers; for a file an agent sent, an id of its own. */
      requestId: string;
      fileId: string;
      name: string;
      size: number;
      mime: string;
      /** Set when an agent sent the file to the customer (no request: `POST /v1/agent-files`). */
      from?: 'agent';
      agent?: AgentRef;
    }
  | {
      type: 'ended';
      by: 'visitor' | 'agent' | 'system';
      agent?: AgentRef;
      reason?: EndReason;
    };

/** How the customer found the chat. */
export type RatingValue = 'up' | 'down';

/** Why an upload failed at the relay: over 5 MB, stalled, or cut off. */
export type UploadFailure = 'too_large' | 'timeout' | 'interrupted';

/** Why a request ended without being accepted. */
export type DeclineReason = 'declined' | 'timeout' | 'canceled';

/**
 * Routing events, in the log for agents and transcripts only: a visitor's socket gets
 * each as `{ "type": "internal" }` with its `seq` and `at` (`visitorView`).
 */
export type AgentOnlyBody =
  /** The chat is offered to one agent until `until` (`--routing auto`). */
  | { type: 'offered'; agent: AgentRef; until: string }
  | { type: 'offer_declined'; agent: AgentRef; reason: 'declined' | 'timeout' }
  /** The owner asks `to` to take the chat over; it stays the owner's until accepted. */
  | { type: 'transfer_requested'; from: AgentRef; to: AgentRef; note?: string; until: string }
  | { type: 'transfer_declined'; from: AgentRef; to: AgentRef; reason: DeclineReason }
  /** The owner asks `to` into the chat beside them (a conference). */
  | { type: 'invited'; from: AgentRef; to: AgentRef; until: string }
  | { type: 'invite_declined'; from: AgentRef; to: AgentRef; reason: DeclineReason }
  /** The customer's upload for an open request failed at the relay; the request stays open. */
  | { type: 'upload_failed'; requestId: string; reason: UploadFailure };

/** The types of `AgentOnlyBody`, for the views that hide them. */
export const AGENT_ONLY_TYPES: readonly AgentOnlyBody['type'][] = [
  'offered',
  'offer_declined',
  'transfer_requested',
  'transfer_declined',
  'invited',
  'invite_declined',
  'upload_failed',
];

export type EventType = EventBody['type'];

/** One event of a conversation's log: `seq` counts 1, 2, 3… with no gaps; `at` is ISO 8601 UTC. */
export type LogEvent = (EventBody | { type: 'internal' }) & { seq: number; at: string };

/** The event of one type, for narrowing: `EventOf<'message'>`. */
export type EventOf<T extends EventType> = Extract<LogEvent, { type: T }>;

/** An agent's internal note: stored by the relay, shown to agents, never part of the log. */
export interface AgentNote {
  id: string;
  conversationId: string;
  agent: AgentRef;
  text: string;
  at: string;
}

/** What agents see of a conversation in lists (docs/protocol.md, "Agent frames"). */
export interface ConversationSummary {
  id: string;
  status: ConversationStatus;
  visitor: Visitor;
  page?: PageInfo;
  visitorOnline: boolean;
  requestedAt: string;
  ownerId?: string;
  lastSeq: number;
  /** A message left while nobody could answer: listed apart from the live queue. */
  offline?: true;
  /** Visitor messages the owner (or, while queued, any agent) has not marked read. */
  unread: number;
  /** Agents in the chat beside the owner (a conference). */
  guests?: AgentRef[];
  /** The chat is offered to `agentId` until `until` (`--routing auto`). */
  offer?: { agentId: string; until: string };
  /** The owner asked `to` to take the chat over, until `until`. */
  transferRequest?: { from: AgentRef; to: AgentRef; until: string; note?: string };
  /** The owner invited `to` into the chat, until `until`. */
  invite?: { from: AgentRef; to: AgentRef; until: string };
}

/** A block as agents see it (the `blocks` reply): who is refused, until when, and why. */
export interface BlockInfo {
  id: string;
  /**
   * The blocked chat's email, lower-cased; refused only from `address` (typed emails
   * prove nothing), unless `verified`.
   */
  email: string;
  /** An IPv4 address or an IPv6 /64 (`2001:db8:1:2::/64`). */
  address: string;
  /** True when everyone behind `address` is refused. */
  byAddress: boolean;
  /**
   * The blocked chat's customer was verified (the site's identity signature): later
   * verified chats with `email` are refused from any address too.
   */
  verified?: true;
  conversationId: string;
  agentId: string;
  comment?: string;
  at: string;
  expiresAt: string;
}

export type AgentStatus = 'online' | 'away' | 'offline';

export interface AgentPresence extends AgentRef {
  status: AgentStatus;
}
