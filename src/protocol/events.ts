/**
 * The conversation log (PROTOCOL.md section 3): the event types every view folds.
 * Only the relay creates events; everyone else reads them.
 */

export interface AgentRef {
  id: string;
  name: string;
}

export interface Visitor {
  email: string;
  name?: string;
}

export interface PageInfo {
  url: string;
  title: string;
}

export type ConversationStatus = 'queued' | 'active' | 'ended';
export type EndReason = 'blocked' | 'idle' | 'abandoned' | 'log_full';

/** The event bodies, without the `seq` and `at` that the relay adds. */
export type EventBody =
  | { type: 'requested'; visitor: Visitor; page?: PageInfo }
  | {
      type: 'message';
      from: 'visitor' | 'agent';
      agent?: AgentRef;
      text: string;
      clientId: string;
    }
  | { type: 'claimed'; agent: AgentRef }
  | {
      type: 'transferred';
      from: AgentRef;
      to: { agent: AgentRef } | { queue: true };
      note?: string;
    }
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
      requestId: string;
      fileId: string;
      name: string;
      size: number;
      mime: string;
    }
  | {
      type: 'ended';
      by: 'visitor' | 'agent' | 'system';
      agent?: AgentRef;
      reason?: EndReason;
    };

export type EventType = EventBody['type'];

/** One event of a conversation's log: `seq` counts 1, 2, 3… with no gaps; `at` is ISO 8601 UTC. */
export type LogEvent = EventBody & { seq: number; at: string };

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

/** What agents see of a conversation in lists (PROTOCOL.md section 6). */
export interface ConversationSummary {
  id: string;
  status: ConversationStatus;
  visitor: Visitor;
  page?: PageInfo;
  visitorOnline: boolean;
  requestedAt: string;
  ownerId?: string;
  lastSeq: number;
  /** Visitor messages the owner (or, while queued, any agent) has not marked read. */
  unread: number;
}

/** A block as agents see it (the `blocks` reply): who is refused, until when, and why. */
export interface BlockInfo {
  id: string;
  /** The blocked chat's email, lower-cased; refused only from `address` (typed emails prove nothing). */
  email: string;
  /** An IPv4 address or an IPv6 /64 (`2001:db8:1:2::/64`). */
  address: string;
  /** True when everyone behind `address` is refused. */
  byAddress: boolean;
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
