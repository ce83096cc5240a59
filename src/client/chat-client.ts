/**
 * `ChatClient`: the headless side of a visitor's chat. It keeps the API and the one
 * immutable `ChatState` folded from the log, and drives the parts that live in their own
 * files: the socket (src/transport), the handshake (handshake.ts), the outbox's rules
 * (outbox.ts), the options (options.ts), the stored session (session.ts), the other tabs
 * (tabs.ts) and files (files.ts, and transfers.ts loaded on first use). It never touches
 * the DOM.
 */
// Imported from the modules themselves, not the barrels, so that the bundle holds only these.
import { CloseCode } from '../protocol/codes.js';
import { ParleyError, devText, frameError } from '../protocol/errors.js';
import { EMPTY_STATE, foldLog, mergeEvents } from '../protocol/fold.js';
import type { ConversationState } from '../protocol/fold.js';
import { parseRelayToVisitor } from '../protocol/parse-relay.js';
import { newUuid } from '../protocol/values.js';
import type { LogEvent, RatingValue } from '../protocol/events.js';
import type { AvailabilityAnswer, RelayToVisitorFrame, UploadResult, VisitorFrame } from '../protocol/frames.js';
import { ReconnectingSocket } from '../transport/reconnecting-socket.js';
import { TypedEventTarget } from '../transport/typed-events.js';
import { greeting, helloFrame, lostError, startRefusal } from './handshake.js';
import { checkOptions, defaultStorage } from './options.js';
import { adopt, failUnsent, nextToSend, patch, replied, sendRefusal, withOtherTabs } from './outbox.js';
import { SessionStore } from './session.js';
import type { OutboxEntry, StoredSession } from './session.js';
import { linkTabs, type TabLink } from './tabs.js';
import { buildTimeline, loggedMessage, outboxMessage } from './timeline.js';
import { RATE_LIMIT_PAUSE_MS, SEND_TIMEOUT_MS } from './timing.js';
import type {
  ChatClientEventMap,
  ChatClientOptions,
  ChatError,
  ChatMessage,
  ChatState,
  StartOptions,
  TimelineItem,
  UploadOptions,
  UploadState,
} from './types.js';
import { downloadFile, startUpload, transfers, visitorPost } from './files.js';

type Pending = { resolve: () => void; reject: (e: ChatError) => void };
type Hello = Pending & { frame: VisitorFrame };

/**
 * A visitor's connection to a Parley relay. Constructing one opens nothing and writes
 * nothing: call `resume()` when a UI is shown and `start()` when the customer asks for
 * a chat.
 *
 * @fires state - `{oldState, newState}` whenever `state` changes
 * @fires message - a message newly logged (either side)
 * @fires claimed / transferred / ended / upload-requested - the log events of those types
 * @fires error - a `ParleyError` that no returned promise carries (a refused message, a lost session)
 */
export class ChatClient extends TypedEventTarget<ChatClientEventMap> {
  #o: ChatClientOptions;
  #key: string;
  #store: SessionStore;
  #base: string;
  #t: ReconnectingSocket<VisitorFrame, RelayToVisitorFrame>;
  /** This instance's id, so that two tabs sharing storage each send only their own messages. */
  #tab = newUuid();
  #s: ChatState;
  #destroyed = false;
  #blocked = false;
  #session: StoredSession | null = null;
  #hello: Hello | null = null;
  #log: LogEvent[] = [];
  #conv: ConversationState = EMPTY_STATE;
  #outbox: OutboxEntry[] = [];
  /** Set while the outbox waits after a `rate_limited` refusal. */
  #paused: ReturnType<typeof setTimeout> | undefined;
  #queuePos: number | null = null;
  #queueWait: number | null = null;
  #err: ChatError | null = null;
  #up: UploadState | null = null;
  #abortUpload: (() => void) | null = null;
  #agentTyping = false;
  #typingOn = false;
  #tabs: TabLink | null = null;
  /** The timeline, rebuilt only when the log or the outbox is a new array. */
  #tlLog: LogEvent[] | null = null;
  #tlOutbox: OutboxEntry[] | null = null;
  #tlItems: TimelineItem[] = [];
  #listeners = new Set<(s: ChatState) => void>();

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
    this.#key = options.storageKey ?? 'parley';
    this.#store = new SessionStore(options.storage ?? defaultStorage(), this.#key);
    u.search = u.hash = '';
    this.#base = u.href.replace(/\/+$/, '');
    // http: → ws:, https: → wss: (checkOptions allows only these two).
    const t = (this.#t = new ReconnectingSocket(
      `${this.#base.replace(/^http/, 'ws')}/v1/visitor`,
      parseRelayToVisitor,
      () => greeting(this.#session, this.#conv.lastSeq, this.#hello?.frame),
      options,
    ));
    // No `state` listener: every change of the socket's state comes from a call or an
    // event handled here, which publishes the snapshot once it is done.
    t.addEventListener('frame', (e) => {
      this.#handle(e.detail);
      this.#update();
    });
    t.addEventListener('close', (e) => this.#lost(e.detail));
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
    this.#outbox = adopt(this.#store.outbox(), this.#tab);
    this.#t.open();
    this.#update();
    return true;
  }

  /**
   * Asks for a chat: validates the details, opens the socket and sends `hello`. Resolves
   * on the relay's `welcome`; rejects with a `ParleyError` (`invalid` with `field`,
   * `blocked`, `rate_limited`, `network`, `conflict` when a chat is already open).
   */
  start(options: StartOptions): Promise<void> {
    return new Promise((resolve, reject) => {
      const open = !!this.#session && this.#conv.status !== 'ended';
      const refuse = startRefusal(this.#destroyed, this.#blocked, open, !!this.#hello, options?.email);
      if (refuse) return reject(refuse);
      if (this.#session) this.newChat();
      this.#hello = { frame: helloFrame(options), resolve, reject };
      this.#err = null;
      this.#listen();
      this.#t.open();
      this.#update();
    });
  }

  /**
   * Sends a message. It is in the timeline at once, `sending` while on the wire or
   * `queued` while it waits its turn (offline, or behind a message the relay asked to
   * slow down); messages go one at a time, in order. It becomes `sent` on the relay's
   * `ack`, and `failed` when refused or not acknowledged within 30 s on an open socket
   * (see `retry`). Text that cannot be sent at all (empty, too long, no open chat) comes
   * back `failed` and is not queued.
   */
  send(text: string): ChatMessage {
    const clean = String(text).trim();
    const entry: OutboxEntry = { clientId: newUuid(), text: clean, at: new Date().toISOString(), delivery: 'queued', tab: this.#tab };
    const refuse = sendRefusal(clean, this.#blocked, this.#conv.status === 'ended', !this.#session && !this.#hello);
    if (refuse) {
      this.#emit('error', refuse);
      return outboxMessage({ ...entry, delivery: 'failed', error: refuse });
    }
    this.#setOutbox([...this.#outbox, entry]);
    this.#pump();
    this.#update();
    return outboxMessage(this.#outbox.find((e) => e.clientId == entry.clientId)!);
  }

  /**
   * Sends a `failed` message again (same `clientId`, so the relay never logs it twice).
   * A message another tab failed to send becomes this tab's to send.
   */
  retry(clientId: string): void {
    if (this.#conv.status === 'ended' || !this.#outbox.some((x) => x.clientId === clientId && x.delivery === 'failed')) return;
    this.#setOutbox(patch(this.#outbox, clientId, { delivery: 'queued', error: undefined, tab: this.#tab }));
    this.#pump();
    this.#update();
  }

  /** Tells the agent whether the customer is typing (sent only when it changes). */
  typing(on: boolean): void {
    if (this.#t.state == 'open' && this.#typingOn !== on) {
      this.#typingOn = on;
      this.#t.send({ t: 'typing', on });
    }
  }

  /**
   * Marks every logged agent message as read (`unread` becomes 0) and tells the relay:
   * on the socket, or, when it is closed (the chat has ended, or it is reconnecting),
   * over HTTP, so that an answer read is never reported unread (`message.unseen`).
   */
  markRead(): void {
    const upToSeq = this.#conv.lastSeq;
    const s = this.#session;
    if (!s || s.readSeq >= upToSeq) return;
    this.#saveSession({ ...s, readSeq: upToSeq });
    if (this.#t.state == 'open') this.#t.send({ t: 'read', upToSeq });
    else visitorPost(this.#o, `${this.#base}/v1/read`, s.token, { upToSeq }).catch(() => {});
    this.#update();
  }

  /**
   * Uploads a file for the open upload request, with progress in `state.upload` and
   * `onProgress`. A file over the limit is refused before any byte is sent (`file_too_large`
   * with `size` and `limit`); relay refusals arrive as `ParleyError` with the HTTP `status`.
   * The upload code is loaded on first use (an agent's request loads it ahead), so
   * `state.upload` changes once that code has run, after this call returns.
   */
  upload(file: Blob & { name?: string }, options: UploadOptions = {}): Promise<UploadResult> {
    const req = this.#conv.openUpload;
    const token = this.#session?.token;
    if (!req || !token) return Promise.reject(new ParleyError('no_upload_request', devText('No upload requested')));
    if (this.#abortUpload) return Promise.reject(new ParleyError('conflict', devText('Upload in progress')));
    return startUpload(
      {
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
      },
      file,
      options,
    );
  }

  /** Stops an upload in progress and withdraws the open upload request (`cancel_upload`). */
  cancelUpload(): void {
    this.#abortUpload?.();
    const req = this.#conv.openUpload;
    if (req) this.#t.call({ t: 'cancel_upload', requestId: req.requestId }, (e) => e && this.#fail(e));
  }

  /** Fetches a file of this conversation with the token in a header (never in the URL). */
  download(fileId: string): Promise<Blob> {
    const token = this.#session?.token;
    if (!token) return Promise.reject(new ParleyError('unauthorized', devText('No chat open')));
    return downloadFile(this.#o, `${this.#base}/v1/files/${encodeURIComponent(fileId)}`, token);
  }

  /**
   * Whether someone can answer a chat asked for now, and whether the relay needs the
   * site's identity signature (`GET /v1/availability`). Rejects with `network` when
   * the relay cannot be asked, refuses, or its answer is not JSON.
   */
  availability(): Promise<AvailabilityAnswer> {
    return (this.#o.fetch ?? fetch)(`${this.#base}/v1/availability`)
      .then((r) => (r.ok ? r.json() : Promise.reject()))
      .catch(() => Promise.reject(new ParleyError('network', devText('Availability unknown'))));
  }

  /**
   * Rates the chat once it has ended: `up` or `down`, with an optional comment
   * (`POST /v1/rating`, the socket being closed by then). Rejects with `conflict` before
   * the end or when it was rated already.
   */
  rate(value: RatingValue, comment?: string): Promise<void> {
    // JSON leaves an undefined comment out.
    const ended = this.#conv.status == 'ended' && this.#session?.token;
    return visitorPost(this.#o, `${this.#base}/v1/rating`, ended, { value, comment: comment || undefined });
  }

  /**
   * Ends the chat; resolves on the relay's `ok` (the `ended` event follows), or when the
   * chat ends meanwhile. Rejects with `network` when not connected and `timeout` after 15 s.
   */
  end(): Promise<void> {
    return new Promise((resolve, reject) => this.#t.call({ t: 'end' }, (e) => (e ? reject(e) : resolve())));
  }

  /** Forgets the conversation (after `ended` or `blocked`): clears storage, phase `idle`. */
  newChat(): void {
    this.#cancelHello();
    this.#t.close();
    this.#store.write('session', null);
    this.#store.write('outbox', null);
    this.#tabs?.tell();
    this.#reset();
  }

  /** Closes the socket and stops every timer and listener. Storage is kept. Idempotent. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#cancelHello();
    this.#destroyed = true;
    this.#t.close();
    this.#abortUpload?.();
    clearTimeout(this.#paused);
    this.#tabs?.close();
    this.#tabs = null;
    this.#listeners.clear();
    this.#update();
  }

  // ---- connection ---------------------------------------------------------------

  /** A `start()` still waiting for `welcome` rejects when the client is reset or destroyed. */
  #cancelHello(): void {
    this.#hello?.reject(new ParleyError('network', devText('Chat not started')));
    this.#hello = null;
  }

  /** Follows the other tabs of this browser (see tabs.ts). */
  #listen(): void {
    if (!this.#tabs && !this.#destroyed) this.#tabs = linkTabs(this.#key, () => this.#syncFromStorage());
  }

  /** The socket is gone (closed with `code`, or dead): stop, or let the transport reconnect. */
  #lost(code: number): void {
    const hello = this.#hello;
    this.#hello = null;
    this.#typingOn = this.#agentTyping = false;
    const e = lostError(code, !!hello);
    if (e || !this.#session || this.#conv.status == 'ended') this.#t.close();
    if (e?.code == 'unauthorized') this.newChat();
    if (e?.code == 'blocked') this.#blocked = true;
    if (e) this.#fail(e, hello);
    this.#update();
  }

  // ---- frames -------------------------------------------------------------------

  #handle(f: RelayToVisitorFrame): void {
    switch (f.t) {
      case 'welcome': {
        const hello = this.#hello;
        this.#hello = null;
        if (hello) {
          this.#log = [];
          this.#conv = EMPTY_STATE;
          this.#saveSession({ token: f.token, conversationId: f.conversation.id, lastSeq: 0, readSeq: 0 });
          this.#tabs?.tell();
          this.#setOutbox(this.#outbox);
        }
        this.#queuePos = f.conversation.queuePosition ?? null;
        this.#queueWait = f.conversation.queueWait ?? null;
        this.#t.ready();
        this.#merge(f.events, !hello && this.#log.length > 0);
        // Resend, in order, what the relay has not acknowledged; `clientId` makes it safe.
        this.#pump();
        hello?.resolve();
        return;
      }
      case 'event':
        return this.#merge([f.event], true);
      case 'queue':
        this.#queuePos = f.position;
        this.#queueWait = f.wait ?? null;
        return;
      case 'typing':
        this.#agentTyping = f.on;
        return;
      case 'error': {
        // A refused resume means the stored session is no good, whatever the close code says.
        if (f.id === 'resume') return this.#lost(CloseCode.UNAUTHORIZED);
        const hello = f.id === 'hello' && this.#hello;
        if (hello) {
          this.#blocked = f.code === 'blocked';
          this.#hello = null;
          this.#t.close();
        }
        return this.#fail(frameError(f), hello || null);
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
    if (logged.size) this.#setOutbox(this.#outbox.filter((e) => !logged.has(e.clientId)));
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
      // Nothing more can be logged: requests in flight have lost their purpose, unsent
      // messages fail, and the socket is no longer needed.
      this.#t.close(true);
      this.#setOutbox(failUnsent(this.#outbox, new ParleyError('ended', devText('Chat ended'))));
    } else if (gap) this.#t.reconnect();
  }

  // ---- outbox -------------------------------------------------------------------

  /** Puts this tab's next message on the wire, if none of its messages is (one at a time keeps the order). */
  #pump(): void {
    const e = this.#paused || this.#t.state != 'open' ? undefined : nextToSend(this.#outbox, this.#tab);
    if (!e) return;
    const id = e.clientId;
    this.#setOutbox(patch(this.#outbox, id, { delivery: 'sending' }));
    this.#t.call(
      { t: 'send', clientId: id, text: e.text },
      (error, reply) => {
        this.#setOutbox(replied(this.#outbox, id, error, reply));
        if (error?.code == 'rate_limited') {
          this.#paused = setTimeout(() => {
            this.#paused = undefined;
            this.#pump();
            this.#update();
          }, RATE_LIMIT_PAUSE_MS);
        } else if (error?.code != 'network') {
          // Sent, or failed for good: the next one may go. A refusal is worth telling.
          if (error && error.code != 'timeout') this.#fail(error);
          this.#pump();
        }
        this.#update();
      },
      SEND_TIMEOUT_MS,
    );
  }

  /** Replaces the outbox (a new array, so the timeline is rebuilt) and stores what is unacknowledged. */
  #setOutbox(next: OutboxEntry[]): void {
    this.#outbox = next;
    if (!this.#session) return;
    const unacked = next.filter((e) => e.seq === undefined);
    this.#store.write('outbox', unacked.length ? unacked : null);
    this.#tabs?.tell();
  }

  // ---- tabs ---------------------------------------------------------------------

  /** Another tab changed the session or the outbox: follow it. */
  #syncFromStorage(): void {
    const stored = this.#store.session();
    if (stored?.conversationId !== this.#session?.conversationId && !this.#hello) {
      this.#t.close();
      this.#reset();
      if (stored) this.resume();
      return;
    }
    this.#outbox = withOtherTabs(this.#outbox, this.#store.outbox(), this.#log, this.#tab);
    this.#update();
  }

  // ---- state --------------------------------------------------------------------

  #reset(): void {
    clearTimeout(this.#paused);
    this.#paused = undefined;
    this.#session = null;
    this.#log = [];
    this.#conv = EMPTY_STATE;
    this.#outbox = [];
    this.#blocked = false;
    this.#err = null;
    this.#up = null;
    this.#typingOn = this.#agentTyping = false;
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
    // The line's position and usual wait mean something only while queued.
    const queued = hasLog && c.status === 'queued';
    const t = this.#t.state;
    if (this.#tlLog !== this.#log || this.#tlOutbox !== this.#outbox) {
      this.#tlItems = buildTimeline((this.#tlLog = this.#log), (this.#tlOutbox = this.#outbox));
    }
    const readSeq = this.#session?.readSeq ?? 0;
    return Object.freeze({
      phase: this.#blocked ? 'blocked' : hasLog ? c.status : this.#hello || (this.#session && !this.#destroyed) ? 'connecting' : 'idle',
      // `reconnecting` while a chat that has shown its log waits for its socket back.
      connection: t == 'open' ? 'online' : t == 'backoff' || (t == 'connecting' && hasLog) ? 'reconnecting' : 'offline',
      conversationId: this.#session?.conversationId ?? null,
      queuePosition: queued ? this.#queuePos : null,
      queueWait: queued ? this.#queueWait : null,
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
