/**
 * The `Store` interface: everything the relay keeps across restarts (conversations
 * and their logs, agents, blocks, notes, upload requests, file metadata). The relay's
 * logic is written against this interface only. Calls are synchronous and each
 * mutating call is atomic when it returns; the writes of one event-loop turn are
 * committed together at its end (group commit), and the relay tells nobody about a
 * write before that commit: everything it sends waits in `afterCommit`.
 */
import type {
  AgentNote,
  BlockInfo,
  ConversationStatus,
  EventBody,
  LogEvent,
} from '../protocol/index.js';

/** A conversation's row: identity, secrets (hashed) and the columns the relay lists by. */
export interface ConversationRecord {
  id: string;
  /** SHA-256 of the visitor token (hex). */
  tokenHash: string;
  email: string;
  /** The address the conversation was started from (for blocks). */
  ip: string;
  /** ISO time of creation (the `requested` event's `at`). */
  createdAt: string;
  status: ConversationStatus;
  ownerId: string | null;
  lastSeq: number;
  /** Highest seq an agent has marked read (for unread counts). */
  agentReadSeq: number;
}

/** What `createConversation` needs; status `queued`, seq 1 `requested` come with it. */
export interface NewConversation {
  id: string;
  tokenHash: string;
  email: string;
  ip: string;
}

/** The conversation columns that change with each append (derived by the caller from the fold). */
export interface ConversationChange {
  status: ConversationStatus;
  ownerId: string | null;
}

/** An agent account. Only the token's hash is kept. */
export interface AgentRecord {
  id: string;
  name: string;
  tokenHash: string;
  createdAt: string;
}

/**
 * A block, until `expiresAt`: later chats from `email` at `address` are refused, and
 * with `byAddress` every chat from `address`. A typed email alone never blocks anyone:
 * whoever types it elsewhere is someone else as far as the relay can tell. Stored as
 * agents see it (`BlockInfo`): the email lower-cased, the address as its key (an IPv4
 * address or an IPv6 /64).
 */
export type BlockRecord = BlockInfo;

/** An upload request: which conversation a `requestId` belongs to. Open or not is the log's business. */
export interface UploadRequestRecord {
  requestId: string;
  conversationId: string;
  agentId: string;
  at: string;
}

/** An uploaded file's metadata; the bytes live at `path` under the data folder. */
export interface FileRecord {
  fileId: string;
  conversationId: string;
  requestId: string;
  name: string;
  size: number;
  mime: string;
  /** File name inside the relay's files folder. */
  path: string;
  at: string;
}

/**
 * Persistence for the relay. Implementations: `MemoryStore` (tests), `SqliteStore` (default).
 * Reads see every earlier write, committed or not (one connection); writes become
 * durable at the group's commit, after which the `afterCommit` callbacks run.
 */
export interface Store {
  /**
   * Runs `fn` once every write made before this call is committed: at once when none
   * is pending, else right after the group's commit (callbacks run in the order they
   * were registered). When that commit fails, `fn` never runs and `onFail` runs instead.
   */
  afterCommit(fn: () => void, onFail?: (err: Error) => void): void;
  /**
   * Commits the pending writes now (instead of at the end of the turn) and runs their
   * callbacks.
   * @throws the commit's error, after the waiting `onFail` callbacks have run.
   */
  flush(): void;
  /** Creates a conversation with `requested` as seq 1, atomically. Returns that event. */
  createConversation(rec: NewConversation, first: Extract<EventBody, { type: 'requested' }>, at: string): LogEvent;
  getConversation(id: string): ConversationRecord | null;
  /** The conversation whose visitor token hashes to `tokenHash`, if any. */
  findConversationByTokenHash(tokenHash: string): ConversationRecord | null;
  /** Conversations in the given statuses, oldest first. */
  listConversations(statuses: readonly ConversationStatus[]): ConversationRecord[];
  /**
   * Appends events after `expectedLastSeq`, atomically, with the conversation's new
   * status and owner. Returns the stored events, or `null` when the log has moved on
   * (another writer appended first) and nothing was written.
   */
  append(
    id: string,
    expectedLastSeq: number,
    bodies: readonly EventBody[],
    at: string,
    change: ConversationChange,
  ): LogEvent[] | null;
  /** Events with `seq > afterSeq`, in order; at most `limit` of them when given. */
  readEvents(id: string, afterSeq: number, limit?: number): LogEvent[];
  /** Queued and active conversations whose email equals `email`, ignoring case. */
  listOpenByEmail(email: string): ConversationRecord[];
  /** Active conversations owned by an agent, oldest first. */
  listActiveOwnedBy(agentId: string): ConversationRecord[];
  /** The seq of the message with this `clientId` in this conversation, if any. */
  findClientSeq(id: string, clientId: string): number | null;
  setAgentReadSeq(id: string, seq: number): void;

  addAgent(rec: AgentRecord): void;
  getAgent(id: string): AgentRecord | null;
  getAgentByTokenHash(tokenHash: string): AgentRecord | null;
  listAgents(): AgentRecord[];
  /** Returns false when there was no such agent. */
  removeAgent(id: string): boolean;
  setAgentTokenHash(id: string, tokenHash: string): void;

  addBlock(rec: BlockRecord): void;
  /**
   * A block in force at `now` (ISO) for a chat from `email` (lower-cased) at `address`:
   * one of that email at that address, or one of that whole address.
   */
  findBlock(email: string, address: string, now: string): BlockRecord | null;
  /** Blocks in force at `now`, newest first. */
  listBlocks(now: string): BlockRecord[];
  /** Lifts a block; false when there was none with that id. */
  removeBlock(id: string): boolean;

  addNote(note: AgentNote): void;
  listNotes(conversationId: string): AgentNote[];

  addUploadRequest(rec: UploadRequestRecord): void;
  getUploadRequest(requestId: string): UploadRequestRecord | null;

  addFile(rec: FileRecord): void;
  getFile(fileId: string): FileRecord | null;

  /** Commits what is pending (as `flush`) and releases the store; idempotent. */
  close(): void;
}
