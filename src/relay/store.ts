/**
 * The `Store` interface: everything the relay keeps across restarts (conversations
 * and their logs, agents, blocks, notes, upload requests, file metadata). The relay's
 * logic is written against this interface only. Each mutating call is atomic and its
 * promise resolves after the COMMIT that made it durable; the relay tells nobody about
 * a write before that.
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
  /** A message left while nobody could answer (`requested.offline`): kept out of the live queue. */
  offline?: true;
}

/** An ended conversation's row with the time it ended (its `ended` event's `at`). */
export type EndedConversationRecord = ConversationRecord & { endedAt: string };

/**
 * Which ended conversations `listEnded` gives. Times are ISO strings as the relay writes
 * them (`Date.prototype.toISOString`), compared as text.
 */
export interface EndedQuery {
  /** Only conversations started with this email, ignoring case. */
  email?: string;
  /**
   * Only those where this text occurs, ignoring case, in the email, the visitor's name,
   * a message (visitor's or agent's) or an agent's note (`ended-query.ts`).
   */
  search?: string;
  /** Only those that ended at or after this time. */
  since?: string;
  /** Only those that ended before this time. */
  until?: string;
  /** Keyset pagination: only those after this one in the order (older end, or same end and smaller id). */
  after?: { endedAt: string; id: string };
  /** At most this many. */
  limit: number;
}

/** What `createConversation` needs; status `queued`, seq 1 `requested` come with it. */
export interface NewConversation {
  id: string;
  tokenHash: string;
  email: string;
  ip: string;
}

/** What a conversation is created with beside its `requested` event, in the same commit. */
export interface CreatedWith {
  /** The events after `requested` (seq 2, 3, …, at the same time): a message left with the request. */
  then?: readonly EventBody[];
  /** Webhook deliveries those events cause (`conversation.offline_message`). */
  deliveries?: readonly NewDelivery[];
}

/** The conversation columns that change with each append (derived by the caller from the fold). */
export interface ConversationChange {
  status: ConversationStatus;
  ownerId: string | null;
  /** Webhook deliveries to store in the same commit as the events (the `ended` one's). */
  deliveries?: readonly NewDelivery[];
  /**
   * With an active status and an owner: the most active chats the owner may own, this
   * one included. More, and the append writes nothing and throws `CapacityReached`.
   */
  ownerCapacity?: number;
  /**
   * The append claims a live chat (not an offline one) out of the queue: its `at` is kept
   * as when the chat was first claimed, unless it was claimed before (`listRecentClaims`).
   */
  firstClaim?: true;
}

/** When a live chat was asked for and when an agent first claimed it (the queue's wait). */
export interface ClaimTimes {
  requestedAt: string;
  claimedAt: string;
}

/** What a deletion removed. */
export interface Erased {
  conversations: number;
  files: number;
  blocks: number;
}

/** The webhook events the relay sends (docs/webhooks.md). */
export type WebhookEventType = 'conversation.ended' | 'conversation.offline_message' | 'message.unseen';

/** A webhook delivery to make: stored with the events that caused it, sent later. */
export interface NewDelivery {
  /** The `Parley-Delivery` id, the same on every attempt. */
  id: string;
  type: WebhookEventType;
  conversationId: string;
  /** ISO time the event happened (the body's `createdAt`). */
  createdAt: string;
  /** The log's seqs the delivery tells of (`message.unseen`: the agent messages after `afterSeq`, up to `upToSeq`). */
  batch?: { afterSeq: number; upToSeq: number };
}

/**
 * A conversation with agent messages its customer has not read and no delivery has told
 * of (`message.unseen`), as `listUnseen` finds it.
 */
export interface UnseenRecord {
  id: string;
  /** Highest seq the customer marked read (`read`). */
  visitorReadSeq: number;
  /** Highest seq a `message.unseen` delivery covered. */
  notifiedSeq: number;
}

/** A delivery claimed for an attempt; `attempts` counts this one. */
export interface DeliveryRecord extends NewDelivery {
  attempts: number;
}

/**
 * How an attempt went: sent (a 2xx answer), or not, with when to try again (null: never,
 * the delivery is given up).
 */
export type DeliveryResult = { sent: true; at: string } | { sent: false; at: string; error: string; retryAt: string | null };

/** An agent account. Only the token's hash is kept. */
export interface AgentRecord {
  id: string;
  name: string;
  tokenHash: string;
  createdAt: string;
  /** How many chats the agent may own at once (`DEFAULT_CAPACITY` unless set). */
  capacity: number;
}

/** The chats an agent may own at once unless set otherwise (`agent add --capacity`). */
export const DEFAULT_CAPACITY = 3;

/** What `addAgent` needs: an account, with the default capacity unless given. */
export type NewAgent = Omit<AgentRecord, 'capacity'> & { capacity?: number };

/**
 * A block, until `expiresAt`: later chats from `email` at `address` are refused, and
 * with `byAddress` every chat from `address`. A typed email alone never blocks anyone:
 * whoever types it elsewhere is someone else as far as the relay can tell; but a block
 * of a `verified` chat (the site vouched for the email) refuses later verified chats
 * with that email from any address. Stored as
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

/** An uploaded file's metadata; the store keeps its bytes beside it (`addFile`, `readFile`). */
export interface FileRecord {
  fileId: string;
  conversationId: string;
  requestId: string;
  name: string;
  size: number;
  mime: string;
  at: string;
}

/**
 * Persistence for the relay. Implementations: `SqliteStore` (the embedded default, a
 * file or `:memory:`) and `PostgresStore` (several relays on one database). Every
 * call is asynchronous; a mutating call resolves once its write is committed (both
 * stores commit the writes of one event-loop turn together: group commit), so the
 * relay never tells anyone of a write that could still be lost. Reads see what is
 * committed (and, in SQLite, what this process wrote in the open group).
 */
export interface Store {
  /** Which database this is, for messages ("sqlite", "postgres"). */
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Creates a conversation with `requested` as seq 1, atomically, and in the same commit
   * `more.then` after it (seqs 2, 3, …, the same `at`) and `more.deliveries`. Returns the
   * `requested` event. The row is `offline` when `first.offline` is.
   */
  createConversation(rec: NewConversation, first: Extract<EventBody, { type: 'requested' }>, at: string, more?: CreatedWith): Promise<LogEvent>;
  getConversation(id: string): Promise<ConversationRecord | null>;
  /** The conversation whose visitor token hashes to `tokenHash`, if any. */
  findConversationByTokenHash(tokenHash: string): Promise<ConversationRecord | null>;
  /** Conversations in the given statuses, oldest first (`createdAt`, then `id`). */
  listConversations(statuses: readonly ConversationStatus[]): Promise<ConversationRecord[]>;
  /**
   * Appends events after `expectedLastSeq`, atomically, with the conversation's new
   * status and owner. Resolves to the stored events, or to `null` when nothing was
   * written because the log has moved on (another writer, perhaps on another relay,
   * appended first) or a message's `clientId` is already in the log: the caller reads
   * again and decides anew. Never leaves a gap in `seq`.
   * @throws CapacityReached (writing nothing) when `change.ownerCapacity` is exceeded.
   */
  append(
    id: string,
    expectedLastSeq: number,
    bodies: readonly EventBody[],
    at: string,
    change: ConversationChange,
  ): Promise<LogEvent[] | null>;
  /** Events with `seq > afterSeq`, in order; at most `limit` of them when given. */
  readEvents(id: string, afterSeq: number, limit?: number): Promise<LogEvent[]>;
  /** Queued and active conversations whose email equals `email`, ignoring case. */
  listOpenByEmail(email: string): Promise<ConversationRecord[]>;
  /**
   * Ended conversations matching `q`, newest end first: by end time, then id, both
   * descending (a stable order for `after`).
   */
  listEnded(q: EndedQuery): Promise<EndedConversationRecord[]>;
  /**
   * The live chats first claimed at or after `since` (ISO), newest claim first, at most
   * `limit`: what the queue's usual wait is worked out from (`queue-wait.ts`).
   */
  listRecentClaims(since: string, limit: number): Promise<ClaimTimes[]>;
  /** Active conversations owned by an agent, oldest first. */
  listActiveOwnedBy(agentId: string): Promise<ConversationRecord[]>;
  /** The seq of the message with this `clientId` in this conversation, if any. */
  findClientSeq(id: string, clientId: string): Promise<number | null>;
  setAgentReadSeq(id: string, seq: number): Promise<void>;
  /** Records that the customer read up to `seq` (never lowers it); agent messages they read are no longer unseen. */
  setVisitorReadSeq(id: string, seq: number): Promise<void>;
  /**
   * Conversations (open or ended) whose oldest agent message that the customer has not
   * read and no delivery has told of was logged between `since` and `until` (ISO, both
   * inclusive), oldest first, at most `limit`.
   */
  listUnseen(since: string, until: string, limit: number): Promise<UnseenRecord[]>;
  /**
   * Marks a conversation's agent messages up to `upToSeq` told of and stores `delivery`
   * (`message.unseen`; null: passed over, nothing to send), in one commit, if the
   * conversation is still as `seen` read it (the customer's read mark and the last seq
   * told of unchanged: no other relay recorded it first). False when nothing was written.
   */
  recordUnseen(seen: UnseenRecord, upToSeq: number, delivery: NewDelivery | null): Promise<boolean>;

  addAgent(rec: NewAgent): Promise<void>;
  getAgent(id: string): Promise<AgentRecord | null>;
  getAgentByTokenHash(tokenHash: string): Promise<AgentRecord | null>;
  listAgents(): Promise<AgentRecord[]>;
  /** Resolves to false when there was no such agent. */
  removeAgent(id: string): Promise<boolean>;
  setAgentTokenHash(id: string, tokenHash: string): Promise<void>;
  /** Sets how many chats an agent may own at once; false when there is no such agent. */
  setAgentCapacity(id: string, capacity: number): Promise<boolean>;

  addBlock(rec: BlockRecord): Promise<void>;
  /**
   * A block in force at `now` (ISO) for a chat from `email` (lower-cased) at `address`:
   * one of that email at that address, or one of that whole address; and, for a
   * `verified` chat, one of a verified chat with that email from any address.
   */
  findBlock(email: string, address: string, now: string, verified?: boolean): Promise<BlockRecord | null>;
  /** Blocks in force at `now`, newest first. */
  listBlocks(now: string): Promise<BlockRecord[]>;
  /** Lifts a block; false when there was none with that id. */
  removeBlock(id: string): Promise<boolean>;

  addNote(note: AgentNote): Promise<void>;
  listNotes(conversationId: string): Promise<AgentNote[]>;

  addUploadRequest(rec: UploadRequestRecord): Promise<void>;
  getUploadRequest(requestId: string): Promise<UploadRequestRecord | null>;

  /**
   * Stores a file's metadata and its bytes (at most `MAX_FILE_BYTES`) together.
   * Resolves to false, storing nothing, when the request already has its file.
   */
  addFile(rec: FileRecord, data: Buffer): Promise<boolean>;
  getFile(fileId: string): Promise<FileRecord | null>;
  /** A file's bytes, or null when the store has none for it. */
  readFile(fileId: string): Promise<Buffer | null>;

  /**
   * Leases up to `limit` deliveries due at `now` (not sent, not given up, not leased by
   * anyone until after `now`) to `owner` until `leaseUntil`, counting an attempt for each:
   * two relays never hold one delivery at once.
   */
  claimDeliveries(owner: string, now: string, leaseUntil: string, limit: number): Promise<DeliveryRecord[]>;
  /** Records an attempt's result, if `owner` still holds the delivery's lease. */
  settleDelivery(id: string, owner: string, result: DeliveryResult): Promise<void>;

  /**
   * Deletes up to `limit` conversations that ended before `before` (ISO), oldest end
   * first, with everything kept of them: log, notes, upload requests, files and their
   * bytes, webhook deliveries (`--retention-days`). Blocks stay until they expire.
   */
  deleteEndedBefore(before: string, limit: number): Promise<Erased>;
  /**
   * Deletes every conversation started with `email` (ignoring case), open or ended, with
   * everything kept of them, and every block of that email (`parley-relay erase`).
   */
  eraseEmail(email: string): Promise<Erased>;

  /** Resolves when the database answers (a health check); rejects when it does not. */
  ping(): Promise<void>;

  /** Commits what is pending and releases the store; idempotent. */
  close(): Promise<void>;
}
