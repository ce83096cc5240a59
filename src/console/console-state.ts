/**
 * The shapes of the console's snapshot (`ConsoleState`, one `ChatView` per chat) and
 * their empty values. Apart from the store so that selectors, reducers and components
 * can share the types without depending on the class that holds the connection.
 */
import type { AgentConversationState, AgentPresence, AgentRef, AgentStatus, AgentNote, ConversationSummary, LogEvent } from '../protocol/index.js';
import { EMPTY_AGENT_STATE } from '../protocol/index.js';
import type { ConnectionState, ConsoleError, OutboxItem } from './connection.js';

/** One file download's progress. */
export interface DownloadState {
  status: 'loading' | 'ready' | 'failed';
  /** The blob URL once ready. */
  url?: string;
  error?: ConsoleError;
}

/** A refusal of an action on one chat, with the action (`claim`, `transfer`, `accept`…) so it can be worded for it. */
export type ChatError = ConsoleError & { action?: string };

/** Everything the console knows about one conversation. */
export interface ChatView {
  id: string;
  /** The relay's last summary, if one arrived. */
  summary: ConversationSummary | null;
  /** The log, merged by seq. */
  log: readonly LogEvent[];
  /** `foldAgentLog(log)`: status, owner, open upload request, guests, the open offer or request. */
  state: AgentConversationState;
  /** True once the log has been fetched. */
  loaded: boolean;
  /** Internal notes heard on this connection, oldest first. */
  notes: readonly AgentNote[];
  /** Replies not yet acknowledged. */
  outbox: readonly OutboxItem[];
  visitorTyping: boolean;
  /** The highest seq the customer has read. */
  visitorReadUpTo: number;
  /** The highest seq this agent has seen. */
  readUpTo: number;
  /** An action in flight (`claim`, `transfer`…), to disable its button. */
  busy: string | null;
  /** The last failed action here. */
  error: ChatError | null;
  /** A claim here lost the race. */
  claimLost: boolean;
  /** An ended chat the agent closed. */
  dismissed: boolean;
  /**
   * The customer's first message in a chat they left while nobody could answer,
   * remembered once its log was read (a queued chat's log is let go when it closes):
   * the Messages list shows its first line. Null until read.
   */
  leftText: string | null;
  downloads: Readonly<Record<string, DownloadState>>;
}

/** The console's one snapshot; a new object on every change. */
export interface ConsoleState {
  connection: ConnectionState;
  /** A token is held (the console shows chats, not the sign-in form). */
  signedIn: boolean;
  agent: AgentRef | null;
  /** How many chats this agent may own at once (the welcome's `agent.capacity`); null before it. */
  capacity: number | null;
  status: AgentStatus;
  /** Every agent and their status, for transfers. */
  agents: readonly AgentPresence[];
  chats: Readonly<Record<string, ChatView>>;
  selectedId: string | null;
  hidden: boolean;
  /** A failure that belongs to no chat (a refused token, a bad frame). */
  error: ConsoleError | null;
}

/** A tile in the chat list, or an entry of the Messages list. */
export interface Tile {
  chat: ChatView;
  /**
   * `own`: this agent owns it; `guest`: they are in it beside its owner (a conference);
   * `message`: a message the customer left while nobody could answer, waiting outside
   * the live queue (listed in Messages, never among the tiles).
   */
  kind: 'unassigned' | 'message' | 'own' | 'guest' | 'ended';
  unread: number;
}

/** A chat the console has just heard of: nothing loaded, nothing read. */
export function newChat(id: string, summary: ConversationSummary | null): ChatView {
  return {
    id,
    summary,
    log: [],
    state: EMPTY_AGENT_STATE,
    loaded: false,
    notes: [],
    outbox: [],
    visitorTyping: false,
    visitorReadUpTo: 0,
    readUpTo: 0,
    busy: null,
    error: null,
    claimLost: false,
    dismissed: false,
    leftText: null,
    downloads: {},
  };
}

/** The snapshot before sign-in. */
export function initialState(connection: ConnectionState): ConsoleState {
  return {
    connection,
    signedIn: false,
    agent: null,
    capacity: null,
    status: 'online',
    agents: [],
    chats: {},
    selectedId: null,
    hidden: false,
    error: null,
  };
}
