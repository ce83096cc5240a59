/**
 * The agent side of the wire protocol (docs/protocol.md, "Agent frames") as one
 * connection object over the shared transport (src/transport: reconnect, backoff,
 * heartbeat, wake-up, request timeouts): `hello` with the agent token, the welcome's
 * list and its later pages, watched conversations kept merged and re-watched from their
 * last seq after a drop (watched-logs.ts), and an outbox of replies keyed by `clientId`,
 * each sent as a request that fails when unanswered in time (SEND_TIMEOUT_MS). It knows
 * nothing about the UI; the store listens to its events, a typed `EventTarget` like
 * the client's.
 */
import { CloseCode, ParleyError, newUuid, parseRelayToAgent } from '../protocol/index.js';
import type { AgentFrame, AgentWelcome, LogEvent, OkFrame, RelayToAgentFrame } from '../protocol/index.js';
import { ReconnectingSocket, TypedEventTarget, type TransportState, type WithoutId } from '../transport/index.js';
import type { AgentConnectionOptions, ConnectionEventMap, ConnectionState, ConsoleError, OutboxItem } from './connection-types.js';
import { SEND_TIMEOUT_MS } from '../transport/backoff.js';
import { WatchedLogs } from './watched-logs.js';

export type * from './connection-types.js';

/** Requests without their `id`, which the transport assigns. */
type Request = WithoutId<AgentFrame>;

const TIMINGS = ['minDelayMs', 'maxDelayMs', 'pingIntervalMs', 'pongTimeoutMs', 'requestTimeoutMs'] as const;

/** The console's name for a transport state, knowing the one before it. */
function consoleState(from: TransportState, to: TransportState): ConnectionState {
  if (to == 'backoff' || (to == 'connecting' && from != 'idle' && from != 'closed')) return 'reconnecting';
  return to;
}

/**
 * One agent's socket to the relay. Call `connect(token)`; listen with
 * `addEventListener` (typed by `ConnectionEventMap`, the details in `CustomEvent`s) or
 * its shorthand `on()`. Every request returns a promise that settles with the relay's
 * `ok` or rejects with a `ParleyError`; callers must handle both (nothing here rejects
 * unobserved).
 */
export class AgentConnection extends TypedEventTarget<ConnectionEventMap> {
  private readonly socket: ReconnectingSocket<AgentFrame, RelayToAgentFrame>;
  private token = '';
  private _state: ConnectionState = 'idle';
  private readonly outboxItems = new Map<string, OutboxItem>();
  private readonly watched: WatchedLogs;

  /** @throws TypeError when `url` is missing or no WebSocket constructor is available; RangeError for a timing that is not positive. */
  constructor(options: AgentConnectionOptions) {
    super();
    if (!options || typeof options.url !== 'string' || options.url === '') throw new TypeError('AgentConnection: url is required');
    const WS = options.WebSocket ?? globalThis.WebSocket;
    if (typeof WS !== 'function') throw new TypeError('AgentConnection: no WebSocket constructor');
    for (const k of TIMINGS) {
      if (options[k] !== undefined && !(options[k] > 0)) throw new RangeError(`AgentConnection: ${k} must be a positive number`);
    }
    const { url, events, ...rest } = options;
    this.socket = new ReconnectingSocket(url, parseRelayToAgent, () => ({ t: 'hello', id: 'hello', token: this.token }), {
      ...rest,
      WebSocket: WS,
      ...(events !== undefined ? { wakeOn: events && [events] } : {}),
    });
    this.watched = new WatchedLogs({
      call: (frame, done) => this.call(frame, done),
      open: () => this._state === 'open',
      unwatch: (conversationId) => this.socket.send({ t: 'unwatch', conversationId }),
      merged: (detail, logged) => {
        let outboxChanged = false;
        for (const clientId of logged) if (this.outboxItems.delete(clientId)) outboxChanged = true;
        if (detail) this.emit('events', detail);
        if (outboxChanged) this.emit('outbox', { conversationId: detail?.conversationId ?? '' });
      },
      failed: (err) => this.emit('error', err),
    });
    this.socket.addEventListener('state', ({ detail }) => this.setState(consoleState(detail.oldState, detail.newState)));
    this.socket.addEventListener('frame', ({ detail }) => this.receive(detail));
    this.socket.addEventListener('close', ({ detail: code }) => {
      if (code === CloseCode.UNAUTHORIZED || code === CloseCode.BLOCKED) {
        const unauthorized = code === CloseCode.UNAUTHORIZED;
        this.emit(
          'error',
          new ParleyError(unauthorized ? 'unauthorized' : 'blocked', unauthorized ? 'The relay did not accept this agent token' : 'This agent is blocked'),
        );
      }
    });
  }

  /** The socket's state: `open` once the relay has welcomed this agent. */
  get state(): ConnectionState {
    return this._state;
  }

  /** `addEventListener` for an event's detail; returns the function that unsubscribes. */
  on<K extends keyof ConnectionEventMap>(type: K, fn: (detail: ConnectionEventMap[K]) => void): () => void {
    const listener = (e: CustomEvent<ConnectionEventMap[K]>) => fn(e.detail);
    this.addEventListener(type, listener);
    return () => this.removeEventListener(type, listener);
  }

  /** Signs in with an agent token and keeps the socket up until `close()` or a refusal (4401/4403). */
  connect(token: string): void {
    this.token = token;
    this.socket.open();
  }

  /** Closes for good (until the next `connect`). Safe to call twice. */
  close(): void {
    this.socket.close();
  }

  /** Sends a request and resolves with the relay's `ok`; rejects with the relay's `error`, `network` or `timeout`. */
  request(frame: Request): Promise<OkFrame> {
    return new Promise((resolve, reject) => this.call(frame, (err, ok) => (err ? reject(err) : resolve(ok!))));
  }

  /**
   * `request` with a callback that runs as the reply is read, before any later frame:
   * a watch's events must be merged before the live events that follow them.
   */
  private call(frame: Request, done: (err: ConsoleError | null, ok?: OkFrame) => void): void {
    this.socket.call(frame, (err, reply) => done(err, reply as OkFrame | undefined));
  }

  /** Sends a frame that expects no reply (`typing`, `read`); dropped while disconnected. */
  notify(frame: Extract<AgentFrame, { t: 'typing' | 'read' }>): void {
    if (this._state === 'open') this.socket.send(frame);
  }

  /**
   * Starts following a conversation: fetches its log after the last seq held and keeps
   * it merged; after a reconnect it is fetched again from there. Idempotent.
   */
  watch(conversationId: string): void {
    this.watched.watch(conversationId);
  }

  /** Stops following a conversation, here and on the relay (later events are ignored). */
  unwatch(conversationId: string): void {
    this.watched.unwatch(conversationId);
  }

  /** The merged log of a watched conversation (empty when not watched). */
  log(conversationId: string): readonly LogEvent[] {
    return this.watched.log(conversationId);
  }

  /**
   * Queues a reply; it is sent now if connected and again after every reconnect until
   * acknowledged, always with the same `clientId` (the relay logs it once). A refusal,
   * or no answer within `SEND_TIMEOUT_MS` on an open socket, marks it `failed`.
   */
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

  // ---- frames in ----------------------------------------------------------------

  private receive(f: RelayToAgentFrame): void {
    switch (f.t) {
      case 'welcome':
        this.welcomed(f);
        return;
      case 'ok': // a late answer to a request already settled (it timed out)
        return;
      case 'error':
        this.failed(f);
        return;
      case 'ack': // a late one: the reply was delivered after all
        this.acked(f.clientId);
        return;
      case 'event':
        this.watched.merge(f.conversationId, [f.event], 'live');
        return;
      case 'pong':
        return;
      default:
        this.emit('frame', f);
    }
  }

  private welcomed(f: AgentWelcome): void {
    this.socket.ready();
    this.emit('welcome', f);
    if (f.next) this.fetchList(f.next);
    this.watched.rewatch();
    for (const item of this.outboxItems.values()) if (item.status === 'sending') this.sendItem(item);
  }

  /** An `error` frame that answers no request in flight: a refused `hello`, a fire-and-forget frame, or a late refusal. */
  private failed(f: Extract<RelayToAgentFrame, { t: 'error' }>): void {
    this.emit('error', new ParleyError(f.code, f.message, f.field ? { field: f.field } : undefined));
  }

  private acked(clientId: string): void {
    const item = this.outboxItems.get(clientId);
    if (!item) return;
    this.outboxItems.delete(clientId);
    this.emit('outbox', { conversationId: item.conversationId });
  }

  /** Fetches the rest of the list, page by page, after a welcome that said `next`. */
  private fetchList(cursor: string): void {
    this.call({ t: 'list', cursor }, (err, ok) => {
      // A lost socket lists again on the next welcome; anything else is worth telling.
      if (err) return void (err.code !== 'network' && this.emit('error', err));
      this.emit('list', { conversations: ok?.conversations ?? [] });
      if (ok?.next) this.fetchList(ok.next);
    });
  }

  // ---- frames out ---------------------------------------------------------------

  /**
   * Puts a reply on the wire (only when open) as a request: its `ack` (or `ok`) removes
   * it; a refusal or a timeout marks it `failed`; a lost socket leaves it `sending`, to
   * go again after the next welcome.
   */
  private sendItem(item: OutboxItem): void {
    if (this._state !== 'open') return;
    const { clientId, conversationId, text } = item;
    this.socket.call(
      { t: 'send', conversationId, clientId, text },
      (err, reply) => {
        if (err) {
          if (err.code !== 'network') this.setFailed(clientId, err);
        } else if (reply) this.acked(clientId);
      },
      SEND_TIMEOUT_MS,
    );
  }

  /** A reply still in the outbox failed: kept, with its error, until retried or discarded. */
  private setFailed(clientId: string, error: ParleyError): void {
    const item = this.outboxItems.get(clientId);
    if (!item) return;
    this.outboxItems.set(clientId, { ...item, status: 'failed', error });
    this.emit('outbox', { conversationId: item.conversationId });
  }

  private setState(next: ConnectionState): void {
    if (next === this._state) return;
    const oldState = this._state;
    this._state = next;
    this.emit('state', { oldState, newState: next });
  }

  private emit<K extends keyof ConnectionEventMap>(type: K, detail: ConnectionEventMap[K]): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
