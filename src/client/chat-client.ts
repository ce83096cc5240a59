/**
 * `ChatClient`: the headless side of a visitor's chat. It owns the socket (hello/resume,
 * reconnect with backoff, heartbeat), the outbox keyed by `clientId`, the stored session,
 * uploads and downloads, and publishes one immutable `ChatState` folded from the log.
 * It never touches the DOM beyond feature-detected `online`/`visibilitychange` listeners.
 */
// Imported from the modules themselves, not the barrel, so that the bundle holds only these.
import { CloseCode } from '../protocol/codes.js';
import { EMPTY_STATE, foldLog, mergeEvents } from '../protocol/fold.js';
import type { ConversationState } from '../protocol/fold.js';
import { MAX_TEXT_LENGTH } from '../protocol/limits.js';
import { parseRelayToVisitor } from '../protocol/parse-relay.js';
import { newUuid } from '../protocol/values.js';
import type { LogEvent } from '../protocol/events.js';
import type { RelayToVisitorFrame, UploadResult, VisitorFrame } from '../protocol/frames.js';
import { chatError, devText } from './errors.js';
import { SessionStore, memoryStorage } from './session.js';
import type { OutboxEntry, StoredSession } from './session.js';
import { buildTimeline, loggedMessage, outboxMessage } from './timeline.js';
import { PING_INTERVAL_MS, PONG_TIMEOUT_MS, SEND_TIMEOUT_MS, backoffDelay } from './timing.js';
import type {
  ChatClientEventMap,
  ChatClientOptions,
  ChatError,
  ChatMessage,
  ChatState,
  ClientStorage,
  Connection,
  StartOptions,
  TimelineItem,
  UploadOptions,
  UploadState,
} from './types.js';
import type { UploadContext } from './transfers.js';

type Timer = ReturnType<typeof setTimeout>;
type Pending = { resolve: () => void; reject: (e: ChatError) => void };
type Hello = Pending & { frame: VisitorFrame };

const notConnected = () => chatError('network', devText('Not connected'));

/** Uploads and downloads: a module of their own, loaded on first use (see transfers.ts). */
const transfers = () => import('./transfers.js');

/** Checks the options; returns the relay's URL, parsed. */
function checkOptions(o: ChatClientOptions): URL {
  if (typeof o !== 'object' || o === null) throw new TypeError(devText('options must be an object'));
  if (typeof o.relay !== 'string') throw new TypeError(devText('options.relay must be a string'));
  let url: URL | undefined;
  try {
    url = new URL(o.relay);
  } catch {
    /* reported below */
  }
  if (!url || !/^https?:$/.test(url.protocol)) throw new RangeError(devText('options.relay must be an http: or https: URL'));
  const s = o.storage;
  if (s !== undefined && (typeof s !== 'object' || s === null || [s.getItem, s.setItem, s.removeItem].some((f) => typeof f !== 'function'))) {
    throw new TypeError(devText('options.storage must have getItem, setItem and removeItem'));
  }
  for (const k of ['WebSocket', 'fetch', 'XMLHttpRequest'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'function') throw new TypeError(devText(`options.${k} must be a function`));
  }
  if (o.storageKey !== undefined && (typeof o.storageKey !== 'string' || !o.storageKey)) {
    throw new TypeError(devText('options.storageKey must be a non-empty string'));
  }
  return url;
}

function defaultStorage(): ClientStorage {
  try {
    if (globalThis.localStorage) return globalThis.localStorage;
  } catch {
    /* denied (sandboxed frame, privacy mode) */
  }
  return memoryStorage();
}

/** Typed `addEventListener` for the events of `ChatClientEventMap`. */
export interface ChatClient {
  addEventListener<K extends keyof ChatClientEventMap>(
    type: K,
    listener: (e: CustomEvent<ChatClientEventMap[K]>) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof ChatClientEventMap>(
    type: K,
    listener: (e: CustomEvent<ChatClientEventMap[K]>) => void,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

/**
 * A visitor's connection to a Parley relay. Constructing one opens nothing and writes
 * nothing: call `resume()` when a UI is shown and `start()` when the customer asks for
 * a chat.
 *
 * @fires state - `{oldState, newState}` whenever `state` changes
 * @fires message - a message newly logged (either side)
 * @fires claimed / transferred / ended / upload-requested - the log events of those types
 * @fires error - a `ChatError` that no returned promise carries (a refused message, a lost session)
 */
export class ChatClient extends EventTarget {
  #o: ChatClientOptions;
  #store: SessionStore;
  #wsUrl: string;
  #base: string;
  /** This instance's id, so that two tabs sharing storage each send only their own messages. */
  #tab = newUuid();
  #s: ChatState;
  #ws: WebSocket | null = null;
  #welcomed = false;
  #destroyed = false;
  #blocked = false;
  #session: StoredSession | null = null;
  #hello: Hello | null = null;
  #log: LogEvent[] = [];
  #conv: ConversationState = EMPTY_STATE;
  #outbox: OutboxEntry[] = [];
  #queuePos: number | null = null;
  #conn: Connection = 'offline';
  #err: ChatError | null = null;
  #up: UploadState | null = null;
  #abortUpload: (() => void) | null = null;
  #agentTyping = false;
  #typingOn = false;
  #attempt = 0;
  #nextId = 0;
  #pending = new Map<string, Pending>();
  #sendTimers = new Map<string, Timer>();
  #retryTimer: Timer | undefined;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #pongTimer: Timer | undefined;
  #channel: BroadcastChannel | null = null;
  #listening = false;
  /** The timeline, rebuilt only when the log or the outbox is a new array. */
  #tlLog: LogEvent[] | null = null;
  #tlOutbox: OutboxEntry[] | null = null;
  #tlItems: TimelineItem[] = [];
  #listeners = new Set<(s: ChatState) => void>();
  #wake = () => {
    if (this.#retryTimer !== undefined && globalThis.document?.visibilityState !== 'hidden') this.#connect();
  };

  /**
   * @param options `relay` (required): the relay's base URL, `https://chat.example.com`;
   *   `storage` (default `localStorage`), `WebSocket`, `fetch`, `XMLHttpRequest` (default:
   *   the globals), `storageKey` (default `parley`).
   * @throws TypeError / RangeError with a message naming the bad option.
   */
  constructor(options: ChatClientOptions) {
    super();
    const u = checkOptions(options);
    this.#o = options;
    this.#store = new SessionStore(options.storage ?? defaultStorage(), options.storageKey ?? 'parley');
    u.search = u.hash = '';
    this.#base = u.href.replace(/\/+$/, '');
    // http: → ws:, https: → wss: (checkOptions allows only these two).
    this.#wsUrl = `${this.#base.replace(/^http/, 'ws')}/v1/visitor`;
    this.#s = this.#build();
  }

  /** The current snapshot; a new frozen object after every change. */
  get state(): ChatState {
    return this.#s;
  }

  /** Calls `fn` now with the current state and after every change; returns the unsubscribe function. */
  subscribe(fn: (s: ChatState) => void): () => void {
    this.#listeners.add(fn);
    fn(this.#s);
    return () => void this.#listeners.delete(fn);
  }

  /**
   * Resumes the session kept in storage, if there is one: connects, replays the log and
   * resends unacknowledged messages. Returns whether a session was found.
   */
  resume(): boolean {
    if (this.#destroyed || this.#blocked) return false;
    if (this.#session) return true;
    this.#listen(); // hears a chat that another tab starts
    const session = this.#store.session();
    if (!session) return false;
    this.#session = session;
    // A reload adopts the stored outbox: the tab that wrote it is gone (or, with two
    // tabs open, both may resend; the relay's idempotency on clientId keeps one copy).
    this.#outbox = this.#store.outbox().map((e) => ({ ...e, tab: this.#tab }));
    for (const e of this.#outbox) if (e.delivery === 'sending') this.#armSendTimer(e.clientId);
    this.#connect();
    this.#update();
    return true;
  }

  /**
   * Asks for a chat: validates the details, opens the socket and sends `hello`. Resolves
   * on the relay's `welcome`; rejects with a `ChatError` (`invalid` with `field`,
   * `blocked`, `rate_limited`, `network`, `conflict` when a chat is already open).
   */
  start(options: StartOptions): Promise<void> {
    return new Promise((resolve, reject) => {
      // The relay checks the details (`invalid` with `field`); the widget checks them
      // earlier with `normalizeEmail` from the protocol module, which this bundle leaves out.
      const refuse = this.#destroyed
        ? chatError('network', devText('Client destroyed'))
        : this.#blocked
          ? chatError('blocked', devText('Blocked'))
          : this.#session && this.#conv.status !== 'ended'
            ? chatError('conflict', devText('Chat already open'))
            : this.#hello
              ? chatError('conflict', devText('Chat already starting'))
              : !options?.email
                ? chatError('invalid', devText('Email required'), { field: 'email' })
                : null;
      if (refuse) return reject(refuse);
      if (this.#session) this.newChat();
      const { email, name, page, locale } = options;
      this.#hello = {
        frame: { t: 'hello', id: 'hello', email: email.trim(), name: name?.trim() || undefined, page, locale },
        resolve,
        reject,
      };
      this.#err = null;
      this.#listen();
      this.#connect();
      this.#update();
    });
  }

  /**
   * Sends a message. It is in the timeline at once as `sending`, becomes `sent` on the
   * relay's `ack`, and `failed` when refused or not acknowledged within 30 s (see
   * `retry`). Text that cannot be sent at all (empty, too long, no open chat) comes back
   * `failed` and is not queued.
   */
  send(text: string): ChatMessage {
    // Length only: the relay refuses the rest (control characters…) with `invalid`.
    const clean = String(text).trim();
    const entry: OutboxEntry = { clientId: newUuid(), text: clean, at: new Date().toISOString(), delivery: 'sending', tab: this.#tab };
    const refuse =
      !clean || [...clean].length > MAX_TEXT_LENGTH
        ? chatError('invalid', devText('Text must be 1 to 4000 characters'), { field: 'text' })
        : this.#blocked
          ? chatError('blocked', devText('Blocked'))
          : this.#conv.status === 'ended'
            ? chatError('ended', devText('Chat ended'))
            : !this.#session && !this.#hello
              ? chatError('not_found', devText('No chat open'))
              : null;
    if (refuse) {
      const failed = outboxMessage({ ...entry, delivery: 'failed', error: refuse });
      this.#emit('error', refuse);
      return failed;
    }
    this.#setOutbox([...this.#outbox, entry]);
    this.#armSendTimer(entry.clientId);
    this.#transmit(entry);
    this.#update();
    return outboxMessage(entry);
  }

  /**
   * Sends a `failed` message again (same `clientId`, so the relay never logs it twice).
   * A message another tab failed to send becomes this tab's to send.
   */
  retry(clientId: string): void {
    const e = this.#outbox.find((x) => x.clientId === clientId && x.delivery === 'failed');
    if (!e || this.#conv.status === 'ended') return;
    const again: OutboxEntry = { ...e, delivery: 'sending', error: undefined, tab: this.#tab };
    this.#setOutbox(this.#outbox.map((x) => (x.clientId === clientId ? again : x)));
    this.#armSendTimer(clientId);
    this.#transmit(again);
    this.#update();
  }

  /** Tells the agent whether the customer is typing (sent only when it changes). */
  typing(on: boolean): void {
    if (this.#welcomed && this.#typingOn !== on) {
      this.#typingOn = on;
      this.#sendFrame({ t: 'typing', on });
    }
  }

  /** Marks every logged agent message as read (`unread` becomes 0) and tells the relay. */
  markRead(): void {
    const upToSeq = this.#conv.lastSeq;
    if (!this.#session || this.#session.readSeq >= upToSeq) return;
    this.#saveSession({ ...this.#session, readSeq: upToSeq });
    if (this.#welcomed) this.#sendFrame({ t: 'read', upToSeq });
    this.#update();
  }

  /**
   * Uploads a file for the open upload request, with progress in `state.upload` and
   * `onProgress`. A file over the limit is refused before any byte is sent (`file_too_large`
   * with `size` and `limit`); relay refusals arrive as `ChatError` with the HTTP `status`.
   * The upload code is loaded on first use (an agent's request loads it ahead), so
   * `state.upload` changes once that code has run, after this call returns.
   */
  upload(file: Blob & { name?: string }, options: UploadOptions = {}): Promise<UploadResult> {
    const req = this.#conv.openUpload;
    const token = this.#session?.token;
    if (!req || !token) return Promise.reject(chatError('no_upload_request', devText('No upload requested')));
    if (this.#abortUpload) return Promise.reject(chatError('conflict', devText('Upload in progress')));
    const c: UploadContext = {
      req,
      token,
      base: this.#base,
      options: this.#o,
      canceled: false,
      report: (up) => {
        this.#up = up;
        this.#update();
      },
      hold: (abort) => void (this.#abortUpload = abort),
    };
    // While the upload code loads, this upload is the one in progress: a cancel (or the
    // signal) settles it at once, even if the code never arrives.
    const stopped = new Promise<never>((_, reject) => {
      const cancel = () => {
        c.canceled = true; // seen by the upload code too, should it win the race
        reject(chatError('aborted', devText('Upload canceled')));
      };
      c.hold(cancel);
      options.signal?.addEventListener('abort', cancel);
    });
    return Promise.race([transfers(), stopped]).then(
      (m) => m.upload(c, file, options),
      (e: Partial<ChatError>) => {
        c.hold(null);
        const error = e.code ? (e as ChatError) : chatError('network', devText('Upload failed'));
        c.report({ requestId: req.requestId, fileName: file.name || 'file', loaded: 0, total: file.size, status: 'failed', error });
        throw error;
      },
    );
  }

  /** Stops an upload in progress and withdraws the open upload request (`cancel_upload`). */
  cancelUpload(): void {
    this.#abortUpload?.();
    const req = this.#conv.openUpload;
    if (req) this.#request({ t: 'cancel_upload', id: '', requestId: req.requestId }).catch((e: ChatError) => this.#fail(e));
  }

  /** Fetches a file of this conversation with the token in a header (never in the URL). */
  async download(fileId: string): Promise<Blob> {
    const token = this.#session?.token;
    if (!token) throw chatError('unauthorized', devText('No chat open'));
    const m = await transfers().catch(() => {
      throw chatError('network', devText('Download failed'));
    });
    return m.download(this.#o, `${this.#base}/v1/files/${encodeURIComponent(fileId)}`, token);
  }

  /** Ends the chat; resolves on the relay's `ok` (the `ended` event follows). */
  end(): Promise<void> {
    return this.#request({ t: 'end', id: '' });
  }

  /** Forgets the conversation (after `ended` or `blocked`): clears storage, phase `idle`. */
  newChat(): void {
    this.#cancelHello();
    this.#hangUp();
    this.#store.write('session', null);
    this.#store.write('outbox', null);
    this.#broadcast();
    this.#reset();
  }

  /** Closes the socket and stops every timer and listener. Storage is kept. Idempotent. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#cancelHello();
    this.#hangUp();
    this.#destroyed = true;
    this.#abortUpload?.();
    for (const t of this.#sendTimers.values()) clearTimeout(t);
    globalThis.removeEventListener?.('online', this.#wake);
    globalThis.removeEventListener?.('storage', this.#onStorage);
    globalThis.document?.removeEventListener('visibilitychange', this.#wake);
    this.#channel?.close();
    this.#channel = null;
    this.#listeners.clear();
    this.#update();
  }

  // ---- connection ---------------------------------------------------------------

  /** A `start()` still waiting for `welcome` rejects when the client is reset or destroyed. */
  #cancelHello(): void {
    this.#hello?.reject(chatError('network', devText('Chat not started')));
    this.#hello = null;
  }

  /** Tabs keep in step through a BroadcastChannel, or where there is none, `storage` events. */
  #onStorage = (e: StorageEvent) => {
    if (e.key?.startsWith(`${this.#o.storageKey ?? 'parley'}:`)) this.#syncFromStorage();
  };

  #listen(): void {
    if (this.#listening || this.#destroyed) return;
    this.#listening = true;
    globalThis.addEventListener?.('online', this.#wake);
    globalThis.document?.addEventListener('visibilitychange', this.#wake);
    if (typeof BroadcastChannel === 'function') {
      this.#channel = new BroadcastChannel(this.#o.storageKey ?? 'parley');
      this.#channel.onmessage = () => this.#syncFromStorage();
    } else globalThis.addEventListener?.('storage', this.#onStorage);
  }

  #connect(): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    if (this.#ws || this.#destroyed) return;
    const WS = this.#o.WebSocket ?? globalThis.WebSocket;
    let ws: WebSocket;
    try {
      ws = new WS(this.#wsUrl);
    } catch {
      return this.#lost(0);
    }
    this.#ws = ws;
    this.#conn = this.#session && this.#log.length ? 'reconnecting' : this.#conn;
    ws.onopen = () => {
      // A relay that accepts the socket but never answers counts as lost, like a missing pong.
      this.#pongTimer = setTimeout(() => this.#lost(0), PONG_TIMEOUT_MS);
      const s = this.#session;
      this.#sendFrame(s ? { t: 'resume', id: 'resume', token: s.token, conversationId: s.conversationId, afterSeq: this.#conv.lastSeq } : this.#hello!.frame);
    };
    ws.onmessage = (e: MessageEvent) => this.#onFrame(e.data);
    ws.onclose = (e: CloseEvent) => this.#lost(e.code);
    ws.onerror = () => {};
  }

  /** Closes the socket without reacting to its close event. */
  #hangUp(): void {
    const ws = this.#ws;
    this.#ws = null;
    this.#welcomed = false;
    this.#typingOn = this.#agentTyping = false;
    clearInterval(this.#pingTimer);
    clearTimeout(this.#pongTimer);
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    for (const p of this.#pending.values()) p.reject(notConnected());
    this.#pending.clear();
    if (ws) {
      ws.onclose = ws.onmessage = ws.onopen = null;
      try {
        ws.close(1000);
      } catch {
        /* already closing */
      }
    }
  }

  /** The socket is gone (closed with `code`, or dead): decide between reconnecting and stopping. */
  #lost(code: number): void {
    this.#hangUp();
    if (this.#destroyed) return;
    const hello = this.#hello;
    this.#hello = null;
    this.#conn = 'offline';
    if (code === CloseCode.UNAUTHORIZED) {
      this.newChat();
      this.#fail(chatError('unauthorized', devText('Session no longer valid')), hello);
    } else if (code === CloseCode.BLOCKED) {
      this.#blocked = true;
      this.#fail(chatError('blocked', devText('Blocked')), hello);
    } else if (hello) {
      this.#fail(chatError(code === CloseCode.RATE_LIMITED ? 'rate_limited' : 'network', devText('Relay unreachable')), hello);
    } else if (this.#session && this.#conv.status !== 'ended') {
      this.#conn = 'reconnecting';
      this.#retryTimer = setTimeout(() => this.#connect(), backoffDelay(this.#attempt++));
    }
    this.#update();
  }

  #startHeartbeat(): void {
    clearTimeout(this.#pongTimer);
    clearInterval(this.#pingTimer);
    this.#pingTimer = setInterval(() => {
      this.#sendFrame({ t: 'ping' });
      clearTimeout(this.#pongTimer);
      this.#pongTimer = setTimeout(() => this.#lost(0), PONG_TIMEOUT_MS);
    }, PING_INTERVAL_MS);
  }

  #sendFrame(f: VisitorFrame): boolean {
    try {
      this.#ws?.send(JSON.stringify(f));
      return !!this.#ws;
    } catch {
      return false;
    }
  }

  /** Sends a request with an `id`; resolves on `ok`, rejects on `error` or a lost socket. */
  #request(f: VisitorFrame & { id: string }): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.#welcomed) return reject(notConnected());
      f.id = `q${++this.#nextId}`;
      this.#pending.set(f.id, { resolve, reject });
      this.#sendFrame(f);
    });
  }

  // ---- frames -------------------------------------------------------------------

  #onFrame(raw: unknown): void {
    const f = parseRelayToVisitor(raw);
    if (f) this.#handle(f);
    this.#update();
  }

  #handle(f: RelayToVisitorFrame): void {
    switch (f.t) {
      case 'welcome': {
        const hello = this.#hello;
        this.#hello = null;
        if (hello) {
          this.#log = [];
          this.#conv = EMPTY_STATE;
          this.#saveSession({ token: f.token, conversationId: f.conversation.id, lastSeq: 0, readSeq: 0 });
          this.#broadcast();
          this.#persistOutbox();
        }
        this.#welcomed = true;
        this.#attempt = 0;
        this.#conn = 'online';
        this.#queuePos = f.conversation.queuePosition ?? null;
        this.#startHeartbeat();
        this.#merge(f.events, !hello && this.#log.length > 0);
        // Resend, in order, what the relay has not acknowledged; `clientId` makes it safe.
        if (this.#ws) for (const e of this.#outbox) if (e.tab === this.#tab && e.delivery === 'sending' && e.seq === undefined) this.#transmit(e);
        hello?.resolve();
        return;
      }
      case 'event':
        return this.#merge([f.event], true);
      case 'ack': {
        this.#clearSendTimer(f.clientId);
        this.#setOutbox(this.#outbox.map((e) => (e.clientId === f.clientId ? { ...e, delivery: 'sent', seq: f.seq, error: undefined } : e)));
        return;
      }
      case 'queue':
        this.#queuePos = f.position;
        return;
      case 'typing':
        this.#agentTyping = f.on;
        return;
      case 'pong':
        clearTimeout(this.#pongTimer);
        return;
      case 'ok':
        this.#pending.get(f.id)?.resolve();
        this.#pending.delete(f.id);
        return;
      case 'error': {
        const e = chatError(f.code, f.message, f.field ? { field: f.field } : undefined);
        const p = f.id ? this.#pending.get(f.id) : undefined;
        if (p) {
          this.#pending.delete(f.id!);
          return p.reject(e);
        }
        // A refused resume means the stored session is no good, whatever the close code says.
        if (f.id === 'resume') return this.#lost(CloseCode.UNAUTHORIZED);
        if (f.id === 'hello' && this.#hello) {
          const hello = this.#hello;
          this.#blocked = f.code === 'blocked';
          this.#hello = null;
          this.#hangUp();
          return this.#fail(e, hello);
        }
        const entry = this.#outbox.find((x) => x.clientId === f.id);
        if (entry) {
          this.#clearSendTimer(entry.clientId);
          this.#setOutbox(this.#outbox.map((x) => (x === entry ? { ...x, delivery: 'failed', error: e } : x)));
        }
        return this.#fail(e);
      }
    }
  }

  /** Merges events by seq; a gap drops the socket and resumes at once from the last contiguous seq. */
  #merge(events: readonly LogEvent[], live: boolean): void {
    const { log, added, gap } = mergeEvents(this.#log, events);
    this.#log = log;
    this.#conv = foldLog(added, this.#conv);
    if (this.#session && added.length) this.#saveSession({ ...this.#session, lastSeq: this.#conv.lastSeq });
    const logged = new Set(added.flatMap((e) => (e.type === 'message' ? [e.clientId] : [])));
    if (logged.size) {
      for (const id of logged) this.#clearSendTimer(id);
      this.#setOutbox(this.#outbox.filter((e) => !logged.has(e.clientId)));
    }
    for (const e of added) {
      if (e.type === 'message' && e.from === 'agent') this.#agentTyping = false;
      if (!live) continue;
      if (e.type === 'message') this.#emit('message', loggedMessage(e));
      else if (e.type === 'upload_requested') this.#emit('upload-requested', e);
      else if (e.type === 'claimed' || e.type === 'transferred' || e.type === 'ended') this.#emit(e.type, e as never);
    }
    // An agent asks for a file: the upload code loads now, before the customer picks one.
    if (this.#conv.openUpload) transfers().catch(() => undefined);
    if (this.#conv.status === 'ended') {
      // Nothing more can be logged: unsent messages fail, the socket is no longer needed.
      this.#setOutbox(
        this.#outbox.map((e) => (e.delivery === 'sending' ? { ...e, delivery: 'failed', error: chatError('ended', devText('Chat ended')) } : e)),
      );
      for (const t of this.#sendTimers.values()) clearTimeout(t);
      for (const p of this.#pending.values()) p.resolve();
      this.#pending.clear();
      this.#hangUp();
      this.#conn = 'offline';
    } else if (gap) {
      this.#hangUp();
      this.#connect();
    }
  }

  // ---- outbox -------------------------------------------------------------------

  #transmit(e: OutboxEntry): void {
    if (this.#welcomed) this.#sendFrame({ t: 'send', id: e.clientId, clientId: e.clientId, text: e.text });
  }

  #armSendTimer(clientId: string): void {
    this.#clearSendTimer(clientId);
    this.#sendTimers.set(
      clientId,
      setTimeout(() => {
        this.#sendTimers.delete(clientId);
        this.#setOutbox(
          this.#outbox.map((e) =>
            e.clientId === clientId && e.delivery === 'sending' ? { ...e, delivery: 'failed', error: chatError('timeout', devText('Message not sent in time')) } : e,
          ),
        );
        this.#update();
      }, SEND_TIMEOUT_MS),
    );
  }

  #clearSendTimer(clientId: string): void {
    clearTimeout(this.#sendTimers.get(clientId));
    this.#sendTimers.delete(clientId);
  }

  /** Replaces the outbox (a new array, so the timeline is rebuilt) and stores what is unacknowledged. */
  #setOutbox(next: OutboxEntry[]): void {
    this.#outbox = next;
    this.#persistOutbox();
  }

  #persistOutbox(): void {
    if (!this.#session) return;
    const unacked = this.#outbox.filter((e) => e.seq === undefined);
    this.#store.write('outbox', unacked.length ? unacked : null);
    this.#broadcast();
  }

  // ---- tabs ---------------------------------------------------------------------

  #broadcast(): void {
    try {
      this.#channel?.postMessage(1);
    } catch {
      /* closed */
    }
  }

  /** Another tab changed the session or the outbox: follow it. */
  #syncFromStorage(): void {
    const stored = this.#store.session();
    if (stored?.conversationId !== this.#session?.conversationId && !this.#hello) {
      this.#hangUp();
      this.#reset();
      if (stored) this.resume();
      return;
    }
    const own = this.#outbox.filter((e) => e.tab === this.#tab);
    const skip = new Set([...own.map((e) => e.clientId), ...this.#log.map((l) => (l.type === 'message' ? l.clientId : ''))]);
    const foreign = this.#store.outbox().filter((e) => e.tab !== this.#tab && !skip.has(e.clientId));
    this.#outbox = [...foreign, ...own].sort((a, b) => a.at.localeCompare(b.at));
    this.#update();
  }

  // ---- state --------------------------------------------------------------------

  #reset(): void {
    for (const t of this.#sendTimers.values()) clearTimeout(t);
    this.#sendTimers.clear();
    this.#session = null;
    this.#log = [];
    this.#conv = EMPTY_STATE;
    this.#outbox = [];
    this.#blocked = false;
    this.#err = null;
    this.#up = null;
    this.#queuePos = null;
    this.#conn = 'offline';
    this.#update();
  }

  #saveSession(s: StoredSession): void {
    this.#session = s;
    this.#store.write('session', s);
  }

  /** Records an error for the UI: rejects `hello`'s promise if given, else fires `error`. */
  #fail(e: ChatError, hello?: Pending | null): void {
    this.#err = e;
    if (hello) hello.reject(e);
    else this.#emit('error', e);
    this.#update();
  }

  #emit<K extends keyof ChatClientEventMap>(type: K, detail: ChatClientEventMap[K]): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  #build(): ChatState {
    const c = this.#conv;
    const hasLog = this.#log.length > 0;
    if (this.#tlLog !== this.#log || this.#tlOutbox !== this.#outbox) {
      this.#tlItems = buildTimeline((this.#tlLog = this.#log), (this.#tlOutbox = this.#outbox));
    }
    const readSeq = this.#session?.readSeq ?? 0;
    return Object.freeze({
      phase: this.#blocked ? 'blocked' : hasLog ? c.status : this.#hello || (this.#session && !this.#destroyed) ? 'connecting' : 'idle',
      connection: this.#conn,
      conversationId: this.#session?.conversationId ?? null,
      queuePosition: hasLog && c.status === 'queued' ? this.#queuePos : null,
      agent: c.owner,
      visitor: c.visitor,
      events: this.#log,
      conversation: c,
      timeline: this.#tlItems,
      openUpload: c.openUpload,
      upload: this.#up,
      unread: c.agentMessageSeqs.filter((s) => s > readSeq).length,
      agentTyping: this.#agentTyping,
      error: this.#err,
    });
  }

  /** Publishes a new snapshot when anything in it changed. */
  #update(): void {
    const oldState = this.#s;
    const newState = this.#build();
    if ((Object.keys(newState) as (keyof ChatState)[]).every((k) => newState[k] === oldState[k])) return;
    this.#s = newState;
    this.#emit('state', { oldState, newState });
    for (const fn of [...this.#listeners]) fn(newState);
  }
}
