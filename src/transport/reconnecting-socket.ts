/**
 * One reconnecting socket, shared by `ChatClient` and the console's `AgentConnection`:
 * one state machine (idle → connecting → open → backoff → connecting … → closed),
 * backoff with jitter, a heartbeat, wake-up, and requests matched to replies by `id`
 * with timeouts. It knows the frame envelope of docs/protocol.md (`t`, `id`, `ping`,
 * `error`) and nothing more: the handshake's content, outboxes and what frames mean
 * belong to its owners, which hear it as an EventTarget (`state`, `frame`, `close`).
 *
 * Where the client and the console used to differ, one policy:
 * - jitter: full (backoff.ts), a uniform draw under the doubling ceiling;
 * - liveness: after the welcome, any frame proves the socket alive; a `ping` goes out
 *   every `pingIntervalMs` and a socket silent for `pongTimeoutMs` after it is dropped,
 *   as is one not welcomed within `pongTimeoutMs` of opening;
 * - requests time out (`requestTimeoutMs`, 15 s, or the caller's own);
 * - wake-up: `online`, and `visibilitychange` to visible, end a backoff at once;
 *   `offline` drops the socket at once (it is dead, and saying so early lets owners
 *   hold what they would send);
 * - 4401 and 4403 close it for good (docs/protocol.md: never reconnect after them).
 */
import { CloseCode } from '../protocol/codes.js';
import { ParleyError, devText, frameError } from '../protocol/errors.js';
import type { ErrorFrame } from '../protocol/frames.js';
import { TIMINGS, backoffDelay, type Timings } from './backoff.js';
import { TypedEventTarget } from './typed-events.js';

/** idle: never opened; connecting: a socket on its way or awaiting its welcome; open: welcomed; backoff: waiting to reconnect; closed: stopped. */
export type TransportState = 'idle' | 'connecting' | 'open' | 'backoff' | 'closed';

/** A handler type both the DOM's and `ws`'s sockets fit (parameters compared bivariantly). */
type Handler<E> = { bivariance(ev: E): void }['bivariance'];

/** The little of a WebSocket the transport uses; the browser's and `ws`'s both fit. */
export interface SocketLike {
  send(data: string): void;
  close(code?: number): void;
  onopen: Handler<never> | null;
  onmessage: Handler<{ data: unknown }> | null;
  onclose: Handler<{ code: number }> | null;
  onerror: Handler<never> | null;
}

/** A WebSocket constructor. */
export type SocketConstructor = new (url: string) => SocketLike;

/** Where the transport hears `online`, `offline` and `visibilitychange`. */
export type WakeTarget = Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;

/** Options of a `ReconnectingSocket`; every one has a default. */
export interface TransportOptions extends Partial<Timings> {
  /** The WebSocket constructor. Default: the global `WebSocket`, read at each connect. */
  WebSocket?: SocketConstructor;
  /** Source of jitter in [0, 1). Default: `Math.random()`. */
  random?: () => number;
  /** Where to hear wake-up events. Default: `globalThis` and `document` where they are event targets; `null`: nowhere. */
  wakeOn?: readonly (WakeTarget | undefined)[] | null;
}

/** The least a frame is to the transport: a type and, on requests and replies, an id. */
export interface Envelope {
  t: string;
  id?: string;
}

/** A request frame without its `id`, which the transport assigns. */
export type WithoutId<F> = F extends { id?: string } ? Omit<F, 'id'> : never;

/** Called once with a request's outcome: the reply (an `error` reply as the error), a timeout, or a lost socket. */
export type Reply<In> = (error: ParleyError | null, reply?: In) => void;

/** The events of a `ReconnectingSocket`, as `CustomEvent` details. */
export interface TransportEventMap<In> {
  /** The state changed (dispatched only on change). */
  state: { oldState: TransportState; newState: TransportState };
  /** A frame that answers no request (a frame that is not valid by `parse` is dropped). */
  frame: In;
  /** The socket went away with this close code (0: judged dead here), the new state already set; a listener may call `close()` to stop reconnecting. */
  close: number;
}

const WAKE = ['online', 'offline', 'visibilitychange'];
type Settings = Timings & TransportOptions & { random: () => number };
const DEFAULTS: Timings & Pick<TransportOptions, 'random' | 'wakeOn'> = {
  ...TIMINGS,
  // Read at each draw, so that a test's spy on Math.random counts.
  random: () => Math.random(),
  // Outside a browser `globalThis` is no event target: #listen skips what it lacks.
  wakeOn: [globalThis as WakeTarget, globalThis.document],
};

/**
 * A socket to `url` that comes back after drops until `close()`. `open()` connects;
 * on each new socket the transport sends `greet()` (hello or resume) and the owner
 * calls `ready()` when the answer welcomes it. Options are trusted: each owner checks
 * its own (the console's `AgentConnection` its timings; `ChatClient` has none).
 */
export class ReconnectingSocket<Out extends Envelope, In extends Envelope> extends TypedEventTarget<TransportEventMap<In>> {
  readonly #url: string;
  readonly #parse: (raw: unknown) => In | null;
  readonly #greet: () => Out;
  readonly #settings: Settings;
  #state: TransportState = 'idle';
  #ws: SocketLike | null = null;
  #attempt = 0;
  #ids = 0;
  /** The one deadline of the state: the reconnect in backoff, the welcome while connecting, the pong while open. */
  #timer?: ReturnType<typeof setTimeout>;
  #ping?: ReturnType<typeof setInterval>;
  /** Requests awaiting their reply, by id: each settles once and forgets itself. */
  #pending = new Map<string, Reply<In>>();
  #wake = (e: Event) => {
    if (e.type == 'offline') {
      if (this.#ws) this.#lost(0);
    } else if (this.#state == 'backoff' && globalThis.document?.visibilityState != 'hidden') this.#connect();
  };

  /**
   * @param url the WebSocket URL.
   * @param parse checks an incoming frame (untrusted input); `null` drops it.
   * @param greet the first frame on every new socket.
   */
  constructor(url: string, parse: (raw: unknown) => In | null, greet: () => Out, options: TransportOptions = {}) {
    super();
    this.#url = url;
    this.#parse = parse;
    this.#greet = greet;
    this.#settings = { ...DEFAULTS, ...options } as Settings;
  }

  /** The state; see `TransportState`. */
  get state(): TransportState {
    return this.#state;
  }

  /** Connects: from idle or closed, and from backoff at once. Does nothing while connecting or open. */
  open(): void {
    if (this.#state == 'connecting' || this.#state == 'open') return;
    if (this.#state != 'backoff') this.#attempt = 0;
    this.#listen('addEventListener');
    this.#connect();
  }

  /** The owner's handshake got its welcome: the socket is open and the heartbeat starts. */
  ready(): void {
    this.#attempt = 0;
    clearTimeout(this.#timer);
    clearInterval(this.#ping);
    this.#set('open');
    this.#ping = setInterval(() => {
      this.#deadline(); // first: the pong may come back within send()
      this.send({ t: 'ping' } as Out);
    }, this.#settings.pingIntervalMs);
  }

  /** Drops the socket and connects again at once (the owner saw it miss frames). */
  reconnect(): void {
    this.#drop();
    this.#connect();
  }

  /**
   * Closes for good (until the next `open()`); idempotent. Requests still waiting
   * reject with `network`, or, with `settle` (their purpose is over), resolve without a reply.
   */
  close(settle?: boolean): void {
    if (this.#state == 'idle' || this.#state == 'closed') return;
    this.#drop(settle);
    this.#listen('removeEventListener');
    this.#set('closed');
  }

  /** Sends a frame if a socket is there to take it; otherwise it is dropped. */
  send(frame: Out): void {
    try {
      this.#ws!.send(JSON.stringify(frame));
    } catch {
      /* no socket, or not open: the owner resends after the next welcome */
    }
  }

  /**
   * Sends `frame` with a new `id` once open, and calls `done` once: with the reply that
   * repeats the id (an `error` reply as a `ParleyError`), as it is read and before any
   * later frame; with `timeout` after `timeoutMs`; with `network` when not open or when
   * the socket goes. (The console wraps this in a promise; the client's sends need it
   * this way round, answered before the events that follow the reply.)
   */
  call(frame: WithoutId<Out>, done: Reply<In>, timeoutMs = this.#settings.requestTimeoutMs): void {
    if (this.#state != 'open' || !this.#ws) return done(new ParleyError('network', devText('Not connected')));
    const id = `q${++this.#ids}`;
    const settle: Reply<In> = (error, reply) => {
      clearTimeout(timer);
      this.#pending.delete(id);
      done(error, reply);
    };
    const timer = setTimeout(() => settle(new ParleyError('timeout', devText('No answer in time'))), timeoutMs);
    this.#pending.set(id, settle);
    this.send({ ...frame, id } as unknown as Out);
  }

  #connect(): void {
    clearTimeout(this.#timer);
    this.#set('connecting');
    try {
      const ws = (this.#ws = new (this.#settings.WebSocket ?? globalThis.WebSocket)(this.#url));
      ws.onopen = () => {
        this.#deadline();
        this.send(this.#greet());
      };
      ws.onmessage = (e: { data: unknown }) => this.#receive(e.data);
      ws.onclose = (e: { code: number }) => this.#lost(e.code);
      // `ws` (Node) throws an error event nobody hears; the close event that follows decides.
      ws.onerror = () => {};
    } catch {
      this.#lost(0);
    }
  }

  #receive(raw: unknown): void {
    if (this.#state == 'open') clearTimeout(this.#timer);
    const f = this.#parse(raw);
    const settle = f?.id !== undefined && this.#pending.get(f.id);
    if (settle) settle(f!.t == 'error' ? frameError(f as unknown as ErrorFrame) : null, f!);
    else if (f) this.#emit('frame', f);
  }

  /** The socket is gone: close for good (4401, 4403) or back off, then tell the owner (who may still close). */
  #lost(code: number): void {
    this.#drop();
    if (code == CloseCode.UNAUTHORIZED || code == CloseCode.BLOCKED) this.close();
    else {
      this.#set('backoff');
      this.#timer = setTimeout(() => this.#connect(), backoffDelay(this.#attempt++, this.#settings));
    }
    this.#emit('close', code);
  }

  /** Detaches and closes the socket, stops the timers and settles the requests in flight. */
  #drop(settle?: boolean): void {
    const ws = this.#ws;
    this.#ws = null;
    clearTimeout(this.#timer);
    clearInterval(this.#ping);
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null;
      try {
        ws.close(CloseCode.NORMAL);
      } catch {
        /* already closing */
      }
    }
    for (const p of [...this.#pending.values()]) p(settle ? null : new ParleyError('network', devText('Connection lost')));
  }

  /** Arms the deadline for a sign of life (a welcome, or any frame after a ping). */
  #deadline(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#lost(0), this.#settings.pongTimeoutMs);
  }

  #listen(method: 'addEventListener' | 'removeEventListener'): void {
    for (const target of this.#settings.wakeOn ?? []) for (const type of WAKE) target?.[method]?.(type, this.#wake);
  }

  #set(next: TransportState): void {
    const oldState = this.#state;
    if (oldState == next) return;
    this.#state = next;
    this.#emit('state', { oldState, newState: next });
  }

  #emit<K extends keyof TransportEventMap<In>>(type: K, detail: TransportEventMap<In>[K]): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
