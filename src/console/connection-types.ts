/**
 * The types of the console's `AgentConnection` (connection.ts): its states, options,
 * events and its outbox's items, apart from the class so that views and reducers can
 * import them without it. The socket's own types are the transport's.
 */
import type { AgentWelcome, ConversationSummary, LogEvent, ParleyErrorCode, RelayToAgentFrame } from '../protocol/index.js';
import type { SocketConstructor, SocketLike, TransportOptions, WakeTarget } from '../transport/index.js';

export type { SocketConstructor, SocketLike };

/**
 * The socket from the console's side: the transport's states, with `reconnecting` for
 * its backoff and for every connecting after a drop. `open` means welcomed by the relay.
 */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/**
 * Why something failed, as state holds it: a protocol code or a console-side one. Every
 * error the console throws, rejects with or emits is a `ParleyError`, which fits this.
 */
export interface ConsoleError {
  code: ParleyErrorCode;
  message: string;
  field?: string;
}

/** A reply not yet acknowledged by the relay; kept until its `ack` or its log event. */
export interface OutboxItem {
  clientId: string;
  conversationId: string;
  text: string;
  /** The console's clock when the agent pressed Enter. */
  at: string;
  status: 'sending' | 'failed';
  error?: ConsoleError;
}

/** Events a connection emits, with their payloads (as `CustomEvent` details). */
export interface ConnectionEventMap {
  state: { oldState: ConnectionState; newState: ConnectionState };
  welcome: AgentWelcome;
  /** A later page of the welcome's list (the relay pages long lists). */
  list: { conversations: ConversationSummary[] };
  /** Every other relay frame: `presence`, `conversation`, `note`, `typing`, `read`. */
  frame: Exclude<RelayToAgentFrame, { t: 'welcome' | 'event' | 'ok' | 'ack' | 'pong' | 'error' }>;
  /** New log events of a watched conversation, merged by seq: `added` are new, `log` is all of it. */
  events: { conversationId: string; added: LogEvent[]; log: readonly LogEvent[]; source: 'watch' | 'live' };
  outbox: { conversationId: string };
  /** A failure that belongs to no request: refused credentials, a failed watch. */
  error: ConsoleError & { conversationId?: string };
}

/**
 * Options of `AgentConnection`: the transport's timings and randomness (defaults in
 * src/transport/backoff.ts: 0.5 s to 30 s backoff, ping every 25 s, 10 s to answer,
 * requests 15 s), the socket constructor, and where to hear wake-up events.
 */
export interface AgentConnectionOptions extends Omit<TransportOptions, 'wakeOn'> {
  /** The agent endpoint, such as `wss://chat.example.com/v1/agent`. */
  url: string;
  /** Where to hear `online`, `offline` and `visibilitychange`. Default: the window and its document; `null`: nowhere. */
  events?: WakeTarget | null;
}
