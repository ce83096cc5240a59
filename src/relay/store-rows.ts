/**
 * The rows both SQL stores read (SQLite and PostgreSQL name their columns alike) and
 * how each becomes the record the relay works with, in one place.
 */
import type { ConversationStatus, EventBody, LogEvent } from '../protocol/index.js';
import type { AgentRecord, BlockRecord, ClaimTimes, ConversationRecord, DeliveryRecord, EndedConversationRecord, FileRecord, WebhookEventType } from './store.js';

export interface ConvRow {
  id: string;
  token_hash: string;
  email: string;
  ip: string;
  created_at: string;
  status: ConversationStatus;
  owner_id: string | null;
  last_seq: number;
  agent_read_seq: number;
  /** 0/1 in SQLite, a boolean in PostgreSQL. */
  offline: number | boolean;
}
export interface AgentRow {
  id: string;
  name: string;
  token_hash: string;
  created_at: string;
  capacity: number;
}
export interface FileRow {
  id: string;
  conversation_id: string;
  request_id: string;
  name: string;
  size: number;
  mime: string;
  at: string;
}

export const toConv = (r: ConvRow): ConversationRecord => ({
  id: r.id,
  tokenHash: r.token_hash,
  email: r.email,
  ip: r.ip,
  createdAt: r.created_at,
  status: r.status,
  ownerId: r.owner_id,
  lastSeq: r.last_seq,
  agentReadSeq: r.agent_read_seq,
  ...(r.offline ? { offline: true as const } : {}),
});
/** A conversation row that has ended (`ended_at` set: see `listEnded`). */
export type EndedRow = ConvRow & { ended_at: string };
export const toEnded = (r: EndedRow): EndedConversationRecord => ({ ...toConv(r), endedAt: r.ended_at });
export const toAgent = (r: AgentRow): AgentRecord => ({ id: r.id, name: r.name, tokenHash: r.token_hash, createdAt: r.created_at, capacity: r.capacity });
export const toFile = (r: FileRow): FileRecord => ({
  fileId: r.id,
  conversationId: r.conversation_id,
  requestId: r.request_id,
  name: r.name,
  size: r.size,
  mime: r.mime,
  at: r.at,
});

export interface BlockRow {
  id: string;
  email: string;
  ip: string;
  by_address: number;
  conversation_id: string;
  agent_id: string;
  comment: string | null;
  at: string;
  expires_at: string;
  /** 1 when the blocked chat's customer was verified. */
  verified: number;
}
export const toBlock = (r: BlockRow): BlockRecord => ({
  id: r.id,
  email: r.email,
  address: r.ip,
  byAddress: r.by_address === 1,
  ...(r.verified === 1 ? { verified: true as const } : {}),
  conversationId: r.conversation_id,
  agentId: r.agent_id,
  ...(r.comment !== null ? { comment: r.comment } : {}),
  at: r.at,
  expiresAt: r.expires_at,
});

/** A live chat's request and first claim (`listRecentClaims`). */
export interface ClaimRow {
  created_at: string;
  claimed_at: string;
}
export const toClaim = (r: ClaimRow): ClaimTimes => ({ requestedAt: r.created_at, claimedAt: r.claimed_at });

/** A webhook delivery as a claim returns it. */
export interface DeliveryRow {
  id: string;
  type: string;
  conversation_id: string;
  created_at: string;
  attempts: number;
  after_seq: number | null;
  up_to_seq: number | null;
}

/** The columns a claim returns (`DeliveryRow`). */
export const DELIVERY_COLUMNS = 'id, type, conversation_id, created_at, attempts, after_seq, up_to_seq';

/** Claimed deliveries as records, oldest event first (the order they are sent in). */
export const toDeliveries = (rows: readonly DeliveryRow[]): DeliveryRecord[] =>
  rows
    .map((r) => ({
      id: r.id,
      type: r.type as WebhookEventType,
      conversationId: r.conversation_id,
      createdAt: r.created_at,
      attempts: r.attempts,
      ...(r.after_seq !== null && r.up_to_seq !== null ? { batch: { afterSeq: r.after_seq, upToSeq: r.up_to_seq } } : {}),
    }))
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));

/** The events of `bodies` as both stores write them after `afterSeq`, all at `at`. */
export const eventsAfter = (bodies: readonly EventBody[], afterSeq: number, at: string): LogEvent[] =>
  bodies.map((b, i) => ({ ...b, seq: afterSeq + 1 + i, at }) as LogEvent);
