/**
 * What a `ChatClient` knows and the machinery that changes it, under the public class
 * (chat-client.ts), which keeps the API and the state snapshot. Here: the socket and
 * its handshake, the frames the relay sends (the log, merged by seq), the outbox's
 * sending one message at a time, and following the other tabs of this browser.
 *
 * Members shared with the subclass are `protected` and named `_…`; the minifier
 * shortens those names (rollup.config.mjs), so the split costs the widget no bytes.
 */
import { CloseCode } from '../protocol/codes.js';
import { ParleyError, devText, frameError } from '../protocol/errors.js';
import { EMPTY_STATE, foldLog, mergeEvents } from '../protocol/fold.js';
import type { ConversationState } from '../protocol/fold.js';
import { parseRelayToVisitor } from '../protocol/parse-relay.js';
import { newUuid } from '../protocol/values.js';
import type { LogEvent } from '../protocol/events.js';
import type { RelayToVisitorFrame, VisitorFrame } from '../protocol/frames.js';
import { ReconnectingSocket } from '../transport/reconnecting-socket.js';
import { TypedEventTarget } from '../transport/typed-events.js';
import { greeting, lostError } from './handshake.js';
import { checkOptions, defaultStorage, socketOptions } from './options.js';
import { failUnsent, nextToSend, patch, replied, withOtherTabs } from './outbox.js';
import { SessionStore } from './session.js';
import type { OutboxEntry, StoredSession } from './session.js';
import { linkTabs, type TabLink } from './tabs.js';
import { loggedMessage } from './timeline.js';
import { RATE_LIMIT_PAUSE_MS } from './timing.js';
import { SEND_TIMEOUT_MS } from '../transport/backoff.js';
import type { ChatClientEventMap, ChatClientOptions, ChatError, UploadState } from './types.js';
import { transfers } from './files.js';

type Pending = { resolve: () => void; reject: (e: ChatError) => void };
/** A `start()` waiting for its `welcome`: the `hello` it sent and its promise. */
export type Hello = Pending & { frame: VisitorFrame };

export abstract class ClientCore extends TypedEventTarget<ChatClientEventMap> {
  protected _options: ChatClientOptions;
  protected _storageKey: string;
  protected _store: SessionStore;
  /** The relay's base URL, without a trailing slash. */
  protected _base: string;
  protected _socket: ReconnectingSocket<VisitorFrame, RelayToVisitorFrame>;
  /** This instance's id, so that two tabs sharing storage each send only their own messages. */
  protected _tabId = newUuid();
  protected _destroyed = false;
  protected _blocked = false;
  protected _session: StoredSession | null = null;
  protected _hello: Hello | null = null;
  protected _log: LogEvent[] = [];
  protected _conversation: ConversationState = EMPTY_STATE;
  protected _outbox: OutboxEntry[] = [];
  /** Set while the outbox waits after a `rate_limited` refusal. */
  protected _paused: ReturnType<typeof setTimeout> | undefined;
  protected _queuePosition: number | null = null;
  protected _queueWait: number | null = null;
  protected _error: ChatError | null = null;
  protected _upload: UploadState | null = null;
  protected _abortUpload: (() => void) | null = null;
  protected _agentTyping = false;
  protected _typingOn = false;
  protected _tabs: TabLink | null = null;

  /** Publishes a new snapshot when anything in it changed (the subclass keeps the snapshot). */
  protected abstract _update(): void;
  abstract resume(): boolean;
  abstract newChat(): void;

  constructor(options: ChatClientOptions) {
    super();
    const u = checkOptions(options);
    this._options = options;
    this._storageKey = options.storageKey ?? 'parley';
    this._store = new SessionStore(options.storage ?? defaultStorage(), this._storageKey);
    u.search = u.hash = '';
    this._base = u.href.replace(/\/+$/, '');
    // http: → ws:, https: → wss: (checkOptions allows only these two).
    const t = (this._socket = new ReconnectingSocket(
      `${this._base.replace(/^http/, 'ws')}/v1/visitor`,
      parseRelayToVisitor,
      () => greeting(this._session, this._conversation.lastSeq, this._hello?.frame),
      socketOptions(options),
    ));
    // No `state` listener: every change of the socket's state comes from a call or an
    // event handled here, which publishes the snapshot once it is done.
    t.addEventListener('frame', (e) => {
      this.#handle(e.detail);
      this._update();
    });
    t.addEventListener('close', (e) => this.#lost(e.detail));
  }

  // ---- connection ---------------------------------------------------------------

  /** A `start()` still waiting for `welcome` rejects when the client is reset or destroyed. */
  protected _cancelHello(): void {
    this._hello?.reject(new ParleyError('network', devText('Chat not started')));
    this._hello = null;
  }

  /** Follows the other tabs of this browser (see tabs.ts). */
  protected _listen(): void {
    if (!this._tabs && !this._destroyed) this._tabs = linkTabs(this._storageKey, () => this.#syncFromStorage());
  }

  /** The socket is gone (closed with `code`, or dead): stop, or let the transport reconnect. */
  #lost(code: number): void {
    const hello = this._hello;
    this._hello = null;
    this._typingOn = this._agentTyping = false;
    const e = lostError(code, !!hello);
    if (e || !this._session || this._conversation.status == 'ended') this._socket.close();
    if (e?.code == 'unauthorized') this.newChat();
    if (e?.code == 'blocked') this._blocked = true;
    if (e) this._fail(e, hello);
    this._update();
  }

  // ---- frames -------------------------------------------------------------------

  #handle(f: RelayToVisitorFrame): void {
    switch (f.t) {
      case 'welcome': {
        const hello = this._hello;
        this._hello = null;
        if (hello) {
          this._log = [];
          this._conversation = EMPTY_STATE;
          this._saveSession({ token: f.token, conversationId: f.conversation.id, lastSeq: 0, readSeq: 0 });
          this._tabs?.tell();
          this._setOutbox(this._outbox);
        }
        this._queuePosition = f.conversation.queuePosition ?? null;
        this._queueWait = f.conversation.queueWait ?? null;
        this._socket.ready();
        this.#merge(f.events, !hello && this._log.length > 0);
        // Resend, in order, what the relay has not acknowledged; `clientId` makes it safe.
        this._pump();
        hello?.resolve();
        return;
      }
      case 'event':
        return this.#merge([f.event], true);
      case 'queue':
        this._queuePosition = f.position;
        this._queueWait = f.wait ?? null;
        return;
      case 'typing':
        this._agentTyping = f.on;
        return;
      case 'error': {
        // A refused resume means the stored session is no good, whatever the close code says.
        if (f.id === 'resume') return this.#lost(CloseCode.UNAUTHORIZED);
        const hello = f.id === 'hello' && this._hello;
        if (hello) {
          this._blocked = f.code === 'blocked';
          this._hello = null;
          this._socket.close();
        }
        return this._fail(frameError(f), hello || null);
      }
    }
  }

  /** Merges events by seq; a gap drops the socket and resumes at once from the last contiguous seq. */
  #merge(events: readonly LogEvent[], live: boolean): void {
    const { log, added, gap } = mergeEvents(this._log, events);
    this._log = log;
    this._conversation = foldLog(added, this._conversation);
    if (this._session && added.length) this._saveSession({ ...this._session, lastSeq: this._conversation.lastSeq });
    const logged = new Set(added.flatMap((e) => (e.type === 'message' ? [e.clientId] : [])));
    if (logged.size) this._setOutbox(this._outbox.filter((e) => !logged.has(e.clientId)));
    for (const e of added) {
      if (e.type === 'message' && e.from === 'agent') this._agentTyping = false;
      if (!live) continue;
      if (e.type === 'message') this._emit('message', loggedMessage(e));
      else if (e.type === 'upload_requested') this._emit('upload-requested', e);
      else if (e.type === 'claimed' || e.type === 'transferred' || e.type === 'ended') this._emit(e.type, e as never);
    }
    // An agent asks for a file: the upload code loads now, before the customer picks one.
    if (this._conversation.openUpload) transfers().catch(() => undefined);
    if (this._conversation.status === 'ended') {
      // Nothing more can be logged: requests in flight have lost their purpose, unsent
      // messages fail, and the socket is no longer needed.
      this._socket.close(true);
      this._setOutbox(failUnsent(this._outbox, new ParleyError('ended', devText('Chat ended'))));
    } else if (gap) this._socket.reconnect();
  }

  // ---- outbox -------------------------------------------------------------------

  /** Puts this tab's next message on the wire, if none of its messages is (one at a time keeps the order). */
  protected _pump(): void {
    const e = this._paused || this._socket.state != 'open' ? undefined : nextToSend(this._outbox, this._tabId);
    if (!e) return;
    const id = e.clientId;
    this._setOutbox(patch(this._outbox, id, { delivery: 'sending' }));
    this._socket.call(
      { t: 'send', clientId: id, text: e.text },
      (error, reply) => {
        this._setOutbox(replied(this._outbox, id, error, reply));
        if (error?.code == 'rate_limited') {
          this._paused = setTimeout(() => {
            this._paused = undefined;
            this._pump();
            this._update();
          }, RATE_LIMIT_PAUSE_MS);
        } else if (error?.code != 'network') {
          // Sent, or failed for good: the next one may go. A refusal is worth telling.
          if (error && error.code != 'timeout') this._fail(error);
          this._pump();
        }
        this._update();
      },
      SEND_TIMEOUT_MS,
    );
  }

  /** Replaces the outbox (a new array, so the timeline is rebuilt) and stores what is unacknowledged. */
  protected _setOutbox(next: OutboxEntry[]): void {
    this._outbox = next;
    if (!this._session) return;
    const unacked = next.filter((e) => e.seq === undefined);
    this._store.write('outbox', unacked.length ? unacked : null);
    this._tabs?.tell();
  }

  // ---- tabs ---------------------------------------------------------------------

  /** Another tab changed the session or the outbox: follow it. */
  #syncFromStorage(): void {
    const stored = this._store.session();
    if (stored?.conversationId !== this._session?.conversationId && !this._hello) {
      this._socket.close();
      this._reset();
      if (stored) this.resume();
      return;
    }
    this._outbox = withOtherTabs(this._outbox, this._store.outbox(), this._log, this._tabId);
    this._update();
  }

  // ---- state --------------------------------------------------------------------

  /** Forgets the conversation in memory (storage is the caller's). */
  protected _reset(): void {
    clearTimeout(this._paused);
    this._paused = undefined;
    this._session = null;
    this._log = [];
    this._conversation = EMPTY_STATE;
    this._outbox = [];
    this._blocked = false;
    this._error = null;
    this._upload = null;
    this._typingOn = this._agentTyping = false;
    this._update();
  }

  protected _saveSession(s: StoredSession): void {
    this._session = s;
    this._store.write('session', s);
  }

  /** Records an error for the UI: rejects `hello`'s promise if given, else fires `error`. */
  protected _fail(e: ChatError, hello?: Pending | null): void {
    this._error = e;
    if (hello) hello.reject(e);
    else this._emit('error', e);
    this._update();
  }

  protected _emit<K extends keyof ChatClientEventMap>(type: K, detail: ChatClientEventMap[K]): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
