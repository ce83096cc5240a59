/**
 * The public types of the headless client: its options, its one state snapshot, its
 * events and its errors. UIs (the `<parley-chat>` element, an app's own) code against
 * these; nothing here touches the DOM or the socket.
 */
import type {
  AgentRef,
  ConversationState,
  EventOf,
  LogEvent,
  OpenUploadRequest,
  UploadResult,
  Visitor,
  VisitorHello,
} from '../protocol/index.js';
import type { ParleyError } from '../protocol/errors.js';
import type { Timings } from '../transport/backoff.js';
import type { TransportOptions } from '../transport/reconnecting-socket.js';

/** Where the conversation stands, from the customer's side. */
export type Phase = 'idle' | 'connecting' | 'queued' | 'active' | 'ended' | 'blocked';
/** The socket, from the customer's side: `offline` only after the client gave up or was told to stop. */
export type Connection = 'online' | 'reconnecting' | 'offline';
/**
 * A message's delivery: `queued` while it waits its turn (offline, behind an earlier
 * message, or paused after `rate_limited`), `sending` while on the wire, `sent` on the
 * relay's `ack`, `failed` after a refusal or 30 s on the wire without an `ack`.
 */
export type Delivery = 'queued' | 'sending' | 'sent' | 'failed';

/** The storage the client keeps its session in (`localStorage` by default). */
export type ClientStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * Options of `new ChatClient(options)`; only `relay` is required. Besides those below,
 * the connection's timings (`minDelayMs`, `maxDelayMs`, `pingIntervalMs`,
 * `pongTimeoutMs`, `requestTimeoutMs`), its source of jitter (`random`) and where it
 * hears `online` and `visibilitychange` (`wakeOn`) may be given, as for any
 * `ReconnectingSocket` (src/transport); each has a default, and tests set them.
 */
export interface ChatClientOptions extends Partial<Timings>, Pick<TransportOptions, 'random' | 'wakeOn'> {
  /** The relay's base URL, such as `https://chat.example.com`; the socket URL is derived (`wss://…/v1/visitor`). */
  relay: string;
  /** Where the session and outbox are kept. Default: `localStorage`. */
  storage?: ClientStorage;
  /** The WebSocket constructor. Default: the global `WebSocket`. */
  WebSocket?: typeof WebSocket;
  /** The fetch function (file downloads). Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** The XMLHttpRequest constructor (uploads with progress). Default: the global one. */
  XMLHttpRequest?: typeof XMLHttpRequest;
  /** Storage key prefix, so two widgets on one page keep apart. Default: `parley`. */
  storageKey?: string;
}

/**
 * Why something failed, in a form a UI can put into words: a `ParleyError` with a stable
 * `code` (a protocol code, or `network`, `timeout`, `aborted`, `file_too_large`,
 * `no_upload_request`), and `field`, `size`/`limit` or `status` where they apply.
 */
export type ChatError = ParleyError;

/** A chat message as a view shows it: logged (`sent`) or still in the outbox. */
export interface ChatMessage {
  /** The client-made id; for messages from the log, the event's `clientId`. */
  clientId: string;
  /** The log seq once acknowledged. */
  seq?: number;
  from: 'visitor' | 'agent';
  agent?: AgentRef;
  text: string;
  /** ISO time: the relay's for logged messages, the client's while sending. */
  at: string;
  delivery: Delivery;
  error?: ChatError;
}

/** The log events a view shows as notices ("Jane Doe joined the chat"). */
export type NoticeEvent =
  | EventOf<'claimed'>
  | EventOf<'joined'>
  | EventOf<'left'>
  | EventOf<'transferred'>
  | EventOf<'ended'>
  | EventOf<'upload_requested'>
  | EventOf<'upload_canceled'>;

/** One row of what a chat view shows, in order: logged items by seq, then unsent messages. */
export type TimelineItem =
  | { kind: 'message'; key: string; message: ChatMessage }
  | { kind: 'notice'; key: string; event: NoticeEvent }
  | { kind: 'file'; key: string; event: EventOf<'file'> };

/** The upload in progress or last finished, for a progress bar or an error line. */
export interface UploadState {
  requestId: string;
  fileName: string;
  loaded: number;
  total: number;
  status: 'uploading' | 'failed' | 'done';
  error?: ChatError;
}

/** The client's one immutable snapshot; a new object on every change. */
export interface ChatState {
  phase: Phase;
  connection: Connection;
  conversationId: string | null;
  /** 1 = next in line; only while queued (never for a message left offline). */
  queuePosition: number | null;
  /** The usual wait in seconds while queued, from the relay's recent chats; `null` until it knows. */
  queueWait: number | null;
  /** The agent who owns the chat now. */
  agent: AgentRef | null;
  visitor: Visitor | null;
  /** The conversation's log as received, in seq order. */
  events: readonly LogEvent[];
  /** The fold of `events` by `src/protocol`. */
  conversation: ConversationState;
  timeline: readonly TimelineItem[];
  openUpload: OpenUploadRequest | null;
  upload: UploadState | null;
  /** Agent messages after the customer's last `markRead()`. */
  unread: number;
  agentTyping: boolean;
  /** The last error that a UI should show (a refused `start`, a lost connection). */
  error: ChatError | null;
}

/**
 * What `start()` sends in `hello`: the customer's email, optionally name, page, locale,
 * the site's identity `signature` and a `message` left for later (see `VisitorHello`).
 */
export type StartOptions = Omit<VisitorHello, 't' | 'id'>;

/** Options of `upload()`: a progress callback (bytes sent, total) and an `AbortSignal`. */
export interface UploadOptions {
  onProgress?: (loaded: number, total: number) => void;
  signal?: AbortSignal;
}

/** The events a `ChatClient` dispatches (as `CustomEvent`s with these details). */
export interface ChatClientEventMap {
  state: { oldState: ChatState; newState: ChatState };
  message: ChatMessage;
  claimed: EventOf<'claimed'>;
  transferred: EventOf<'transferred'>;
  ended: EventOf<'ended'>;
  'upload-requested': EventOf<'upload_requested'>;
  error: ChatError;
}

/** The relay's answer to a finished upload: `{fileId, name, size, mime}`. */
export type { UploadResult };
