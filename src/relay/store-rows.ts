/**
 * The rows both SQL stores read (SQLite and PostgreSQL name their columns alike) and
 * how each becomes the record the relay works with, in one place.
 */
import type { ConversationStatus } from '../protocol/index.js';
import type { AgentRecord, BlockRecord, ConversationRecord, DeliveryRecord, EndedConversationRecord, FileRecord, WebhookEventType } from './store.js';

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
}
export const toBlock = (r: BlockRow): BlockRecord => ({
  id: r.id,
  email: r.email,
  address: r.ip,
  byAddress: r.by_address === 1,
  conversationId: r.conversation_id,
  agentId: r.agent_id,
  ...(r.comment !== null ? { comment: r.comment } : {}),
  at: r.at,
  expiresAt: r.expires_at,
});

/** A webhook delivery as a claim returns it. */
export interface DeliveryRow {
  id: string;
  type: string;
  conversation_id: string;
  created_at: string;
  attempts: number;
}

/** Claimed deliveries as records, oldest event first (the order they are sent in). */
export const toDeliveries = (rows: readonly DeliveryRow[]): DeliveryRecord[] =>
  rows
    .map((r) => ({ id: r.id, type: r.type as WebhookEventType, conversationId: r.conversation_id, createdAt: r.created_at, attempts: r.attempts }))
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
