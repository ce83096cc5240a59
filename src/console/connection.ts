/**
 * The agent side of the wire protocol (PROTOCOL.md section 6) as one connection object:
 * `hello` with the agent token, requests matched to replies by `id`, reconnect with
 * jittered backoff, a ping/pong heartbeat, re-watching open chats from their last seq,
 * and an outbox of replies keyed by `clientId`. It knows nothing about the UI.
 */
import {
  CloseCode,
  mergeEvents,
  newUuid,
  parseRelayToAgent,
  type AgentFrame,
  type AgentWelcome,
  type ConversationSummary,
  type ErrorCode,
  type LogEvent,
  type OkFrame,
  type RelayToAgentFrame,
} from '../protocol/index.js';

/** The socket from the console's side. `open` means welcomed by the relay. */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Why something failed: a protocol code or a console-side one. */
export interface ConsoleError {
  code: ErrorCode | 'network' | 'timeout';
  message: string;
  field?: string;
}

/** The little of a WebSocket the connection uses; the browser's and `ws`'s both fit. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

/** A WebSocket constructor. */
export type SocketConstructor = new (url: string) => SocketLike;

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

/** Events a connection emits, with their payloads. */
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

/** Options of `AgentConnection`; every number has a default (see `defaults`). */
export interface AgentConnectionOptions {
  /** The agent endpoint, such as `wss://chat.example.com/v1/agent`. */
  url: string;
  /** The WebSocket constructor. Default: the global `WebSocket`. */
  WebSocket?: SocketConstructor;
  /** First reconnect delay ceiling in ms; doubles per attempt up to `maxDelayMs`. Default 500. */
  minDelayMs?: number;
  /** Largest reconnect delay ceiling in ms. Default 30,000. */
  maxDelayMs?: number;
  /** How often to ping the relay, in ms. Default 25,000. */
  pingIntervalMs?: number;
  /** How long to wait for any frame after a ping before dropping the socket. Default 10,000. */
  pongTimeoutMs?: number;
  /** How long a request waits for its reply. Default 15,000. */
  requestTimeoutMs?: number;
  /** Source of jitter in [0, 1). Default `Math.random`. */
  random?: () => number;
  /** Where to hear `online` (reconnect at once). Default the global `window` when there is one. */
  events?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> | null;
}

const defaults = {
  minDelayMs: 500,
  maxDelayMs: 30_000,
  pingIntervalMs: 25_000,
  pongTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
};

type Listener<K extends keyof ConnectionEventMap> = (detail: ConnectionEventMap[K]) => void;

interface Pending {
  resolve: (ok: OkFrame) => void;
  reject: (e: ConsoleError) => void;
  timer: ReturnType<typeof setTimeout>;
}

interface Watched {
  log: LogEvent[];
  inFlight: boolean;
  /** The highest seq heard past a gap, so the log is fetched again up to it. */
  heardUpTo: number;
}

/** Requests without their `id`, which the connection assigns. */
type Request = AgentFrame extends infer F ? (F extends { id?: string } ? Omit<F, 'id'> : never) : never;

const OPEN = 1;

/**
 * One agent's socket to the relay. Call `connect(token)`; listen with `on()`. Every
 * request returns a promise that settles with the relay's `ok` or rejects with a
 * `ConsoleError`; callers must handle both (nothing here rejects unobserved).
 */
export class AgentConnection {
  private readonly opts: Required<Omit<AgentConnectionOptions, 'events' | 'WebSocket'>> & {
    WebSocket: SocketConstructor | undefined;
    events: AgentConnectionOptions['events'];
  };
  private ws: SocketLike | null = null;
  private token: string | null = null;
  private _state: ConnectionState = 'idle';
  private attempt = 0;
  private nextId = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private pongTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly pending = new Map<string, Pending>();
  private readonly watched = new Map<string, Watched>();
  private readonly outboxItems = new Map<string, OutboxItem>();
  private readonly listeners = new Map<keyof ConnectionEventMap, Set<(detail: never) => void>>();
  private readonly onOnline = (): void => {
    if (this._state === 'reconnecting') {
      this.clearReconnect();
      this.open();
    }
  };

  /** @throws TypeError when `url` is missing or no WebSocket constructor is available. */
  constructor(options: AgentConnectionOptions) {
    if (!options || typeof options.url !== 'string' || options.url === '') throw new TypeError('AgentConnection: url is required');
    const WS = options.WebSocket ?? (globalThis as { WebSocket?: SocketConstructor }).WebSocket;
    if (typeof WS !== 'function') throw new TypeError('AgentConnection: no WebSocket constructor');
    const o = { ...defaults, random: Math.random, ...options };
    for (const k of ['minDelayMs', 'maxDelayMs', 'pingIntervalMs', 'pongTimeoutMs', 'requestTimeoutMs'] as const) {
      if (!(o[k] > 0)) throw new RangeError(`AgentConnection: ${k} must be a positive number`);
    }
    const events =
      options.events !== undefined ? options.events : typeof window !== 'undefined' ? window : null;
    this.opts = { ...o, WebSocket: WS, events };
  }

  /** The socket's state: `open` once the relay has welcomed this agent. */
  get state(): ConnectionState {
    return this._state;
  }

  /** Subscribes to an event; returns the function that unsubscribes. */
  on<K extends keyof ConnectionEventMap>(type: K, fn: Listener<K>): () => void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    const f = fn as (detail: never) => void;
    set.add(f);
    return () => void set.delete(f);
  }

  /** Signs in with an agent token and keeps the socket up until `close()` or a refusal (4401/4403). */
  connect(token: string): void {
    this.token = token;
    if (this._state === 'connecting' || this._state === 'open') return;
    this.clearReconnect();
    this.opts.events?.addEventListener('online', this.onOnline);
    this.attempt = 0;
    this.open();
  }

  /** Closes for good (until the next `connect`). Safe to call twice. */
  close(): void {
    if (this._state === 'closed' || this._state === 'idle') return;
    this.opts.events?.removeEventListener('online', this.onOnline);
    this.clearReconnect();
    this.teardown(CloseCode.NORMAL);
    this.setState('closed');
  }

  /** Sends a request and resolves with the relay's `ok`; rejects with the relay's `error`, `network` or `timeout`. */
  request(frame: Request): Promise<OkFrame> {
    return new Promise((resolve, reject) => this.call(frame, resolve, reject));
  }

  /**
   * `request` with callbacks that run as the reply is read, before any later frame:
   * a watch's events must be merged before the live events that follow them.
   */
  private call(frame: Request, resolve: (ok: OkFrame) => void, reject: (e: ConsoleError) => void): void {
    if (this._state !== 'open' || !this.ws) {
      reject({ code: 'network', message: 'Not connected to the relay' });
      return;
    }
    const id = `r${++this.nextId}`;
    const timer = setTimeout(() => {
      this.pending.delete(id);
      reject({ code: 'timeout', message: 'The relay did not answer in time' });
    }, this.opts.requestTimeoutMs);
    this.pending.set(id, { resolve, reject, timer });
    this.transmit({ ...frame, id } as AgentFrame);
  }

  /** Sends a frame that expects no reply (`typing`, `read`); dropped while disconnected. */
  notify(frame: Extract<AgentFrame, { t: 'typing' | 'read' }>): void {
    if (this._state === 'open') this.transmit(frame);
  }

  /**
   * Starts following a conversation: fetches its log after the last seq held and keeps
   * it merged; after a reconnect it is fetched again from there. Idempotent.
   */
  watch(conversationId: string): void {
    if (this.watched.has(conversationId)) return;
    this.watched.set(conversationId, { log: [], inFlight: false, heardUpTo: 0 });
    if (this._state === 'open') this.fetchWatch(conversationId);
  }

  /** Stops following a conversation, here and on the relay (later events are ignored). */
  unwatch(conversationId: string): void {
    if (!this.watched.delete(conversationId)) return;
    if (this._state === 'open') this.transmit({ t: 'unwatch', conversationId });
  }

  /** The merged log of a watched conversation (empty when not watched). */
  log(conversationId: string): readonly LogEvent[] {
    return this.watched.get(conversationId)?.log ?? [];
  }

  /** Queues a reply; it is sent now if connected and again after every reconnect until acknowledged. */
  send(conversationId: string, text: string): OutboxItem {
    const item: OutboxItem = { clientId: newUuid(), conversationId, text, at: new Date().toISOString(), status: 'sending' };
    this.outboxItems.set(item.clientId, item);
    this.sendItem(item);
    this.emit('outbox', { conversationId });
    return item;
  }

  /** Sends a failed reply again with the same `clientId`. */
  retry(clientId: string): void {
    const item = this.outboxItems.get(clientId);
    if (!item) return;
    const next: OutboxItem = { ...item, status: 'sending', error: undefined };
    this.outboxItems.set(clientId, next);
    this.sendItem(next);
    this.emit('outbox', { conversationId: item.conversationId });
  }

  /** Forgets a reply that will not be sent. */
  discard(clientId: string): void {
    const item = this.outboxItems.get(clientId);
    if (item && this.outboxItems.delete(clientId)) this.emit('outbox', { conversationId: item.conversationId });
  }

  /** Unacknowledged replies of one conversation, oldest first. */
  outbox(conversationId: string): OutboxItem[] {
    return [...this.outboxItems.values()].filter((i) => i.conversationId === conversationId);
  }

  // ---- socket lifecycle ---------------------------------------------------------

  private open(): void {
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    let ws: SocketLike;
    try {
      ws = new this.opts.WebSocket!(this.opts.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.transmit({ t: 'hello', id: 'hello', token: this.token ?? '' });
    };
    ws.onmessage = (ev) => {
      if (this.ws === ws) this.receive(ev.data);
    };
    ws.onerror = () => {
      /* a close follows; that is where reconnecting is decided */
    };
    ws.onclose = (ev) => {
      if (this.ws === ws) this.dropped(ev.code);
    };
  }

  /** The socket went away: decide between giving up and coming back. */
  private dropped(code: number): void {
    this.teardown();
    if (code === CloseCode.UNAUTHORIZED || code === CloseCode.BLOCKED) {
      this.opts.events?.removeEventListener('online', this.onOnline);
      const unauthorized = code === CloseCode.UNAUTHORIZED;
      this.emit('error', {
        code: unauthorized ? 'unauthorized' : 'blocked',
        message: unauthorized ? 'The relay did not accept this agent token' : 'This agent is blocked',
      });
      this.setState('closed');
      return;
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.ws = null;
    this.attempt++;
    this.setState('reconnecting');
    const ceiling = Math.min(this.opts.maxDelayMs, this.opts.minDelayMs * 2 ** Math.min(this.attempt - 1, 20));
    // Half fixed, half random: spreads a relay restart's reconnects without ever retrying at once.
    const delay = ceiling / 2 + (this.opts.random() * ceiling) / 2;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.open();
    }, delay);
  }

  private clearReconnect(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }

  /** Detaches and closes the socket, stops the heartbeat and fails requests in flight. */
  private teardown(code?: number): void {
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      try {
        if (ws.readyState <= OPEN) ws.close(code ?? CloseCode.NORMAL);
      } catch {
        /* already closing */
      }
    }
    this.stopHeartbeat();
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject({ code: 'network', message: 'The connection to the relay was lost' });
    }
    for (const w of this.watched.values()) w.inFlight = false;
  }

  private setState(next: ConnectionState): void {
    if (next === this._state) return;
    const oldState = this._state;
    this._state = next;
    this.emit('state', { oldState, newState: next });
  }

  // ---- heartbeat ----------------------------------------------------------------

  private startHeartbeat(): void {
    this.stopHeartbeat();
    this.pingTimer = setInterval(() => {
      if (this.pongTimer) return;
      this.pongTimer = setTimeout(() => {
        // No frame since the ping: the socket is dead even if it never says so.
        this.pongTimer = null;
        if (this.ws) this.dropped(CloseCode.GOING_AWAY);
      }, this.opts.pongTimeoutMs);
      this.transmit({ t: 'ping' });
    }, this.opts.pingIntervalMs);
  }

  private stopHeartbeat(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.pongTimer) clearTimeout(this.pongTimer);
    this.pingTimer = this.pongTimer = null;
  }

  // ---- frames in ----------------------------------------------------------------

  private receive(raw: unknown): void {
    if (this.pongTimer) {
      clearTimeout(this.pongTimer);
      this.pongTimer = null;
    }
    const f = parseRelayToAgent(raw);
    if (!f) return;
    switch (f.t) {
      case 'welcome':
        this.welcomed(f);
        return;
      case 'ok': {
        const p = this.pending.get(f.id);
        if (p) {
          clearTimeout(p.timer);
          this.pending.delete(f.id);
          p.resolve(f);
        } else this.acked(f.id); // a relay may answer `send` with `ok` rather than `ack`
        return;
      }
      case 'error':
        this.failed(f);
        return;
      case 'ack':
        this.acked(f.clientId);
        return;
      case 'event':
        this.merge(f.conversationId, [f.event], 'live');
        return;
      case 'pong':
        return;
      default:
        this.emit('frame', f);
    }
  }

  private welcomed(f: AgentWelcome): void {
    this.attempt = 0;
    this.setState('open');
    this.startHeartbeat();
    this.emit('welcome', f);
    if (f.next) this.fetchList(f.next);
    for (const id of this.watched.keys()) this.fetchWatch(id);
    for (const item of this.outboxItems.values()) if (item.status === 'sending') this.sendItem(item);
  }

  private failed(f: Extract<RelayToAgentFrame, { t: 'error' }>): void {
    const err: ConsoleError = { code: f.code, message: f.message, ...(f.field ? { field: f.field } : {}) };
    if (f.id === 'hello') {
      this.emit('error', err);
      return;
    }
    const p = f.id ? this.pending.get(f.id) : undefined;
    if (p && f.id) {
      clearTimeout(p.timer);
      this.pending.delete(f.id);
      p.reject(err);
      return;
    }
    const item = f.id ? this.outboxItems.get(f.id) : undefined;
    if (item) {
      this.outboxItems.set(item.clientId, { ...item, status: 'failed', error: err });
      this.emit('outbox', { conversationId: item.conversationId });
      return;
    }
    this.emit('error', err);
  }

  private acked(clientId: string): void {
    const item = this.outboxItems.get(clientId);
    if (!item) return;
    this.outboxItems.delete(clientId);
    this.emit('outbox', { conversationId: item.conversationId });
  }

  /** Fetches the rest of the list, page by page, after a welcome that said `next`. */
  private fetchList(cursor: string): void {
    this.call(
      { t: 'list', cursor },
      (ok) => {
        this.emit('list', { conversations: ok.conversations ?? [] });
        if (ok.next) this.fetchList(ok.next);
      },
      (err) => {
        // A lost socket lists again on the next welcome; anything else is worth telling.
        if (err.code !== 'network') this.emit('error', err);
      },
    );
  }

  private fetchWatch(conversationId: string): void {
    const w = this.watched.get(conversationId);
    if (!w || w.inFlight) return;
    w.inFlight = true;
    const afterSeq = w.log.length ? w.log[w.log.length - 1]!.seq : 0;
    this.call(
      { t: 'watch', conversationId, afterSeq },
      (ok) => {
        if (this.watched.get(conversationId) !== w) return;
        w.inFlight = false;
        this.merge(conversationId, ok.events ?? [], 'watch', true);
        const last = w.log.length ? w.log[w.log.length - 1]!.seq : 0;
        // Long logs come in pages; live events past the page wait for the next one.
        if (ok.more || w.heardUpTo > last) this.fetchWatch(conversationId);
      },
      (err) => {
        w.inFlight = false;
        // A lost socket re-watches on the next welcome; anything else is worth telling.
        if (err.code !== 'network') this.emit('error', { ...err, conversationId });
      },
    );
  }

  private merge(conversationId: string, incoming: LogEvent[], source: 'watch' | 'live', always = false): void {
    const w = this.watched.get(conversationId);
    if (!w) return;
    const { log, added, gap } = mergeEvents(w.log, incoming);
    w.log = log;
    let outboxChanged = false;
    for (const e of added) {
      if (e.type === 'message' && this.outboxItems.delete(e.clientId)) outboxChanged = true;
    }
    if (added.length || always) this.emit('events', { conversationId, added, log, source });
    if (outboxChanged) this.emit('outbox', { conversationId });
    // Events skipped ahead: fetch the missing ones (after the watch in flight, if any).
    if (gap) {
      w.heardUpTo = Math.max(w.heardUpTo, ...incoming.map((e) => e.seq));
      this.fetchWatch(conversationId);
    }
  }

  // ---- frames out ---------------------------------------------------------------

  private sendItem(item: OutboxItem): void {
    if (this._state !== 'open') return;
    // The request id is the clientId, so a refusal finds its message.
    this.transmit({ t: 'send', id: item.clientId, conversationId: item.conversationId, clientId: item.clientId, text: item.text });
  }

  private transmit(frame: AgentFrame): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== OPEN) return;
    try {
      ws.send(JSON.stringify(frame));
    } catch {
      /* the close event that follows reconnects */
    }
  }

  private emit<K extends keyof ConnectionEventMap>(type: K, detail: ConnectionEventMap[K]): void {
    const set = this.listeners.get(type) as Set<Listener<K>> | undefined;
    if (!set) return;
    for (const fn of [...set]) fn(detail);
  }
}
