/**
 * `ChatClient`: the headless side of a visitor's chat. It keeps the API and the one
 * immutable `ChatState` folded from the log; what it knows and the machinery that
 * changes it (the socket, the frames, the outbox's sending, the other tabs) are in
 * client-core.ts, over parts in their own files: the socket (src/transport), the
 * handshake (handshake.ts), the outbox's rules (outbox.ts), the options (options.ts),
 * the stored session (session.ts), the other tabs (tabs.ts) and files (files.ts, and
 * transfers.ts loaded on first use). It never touches the DOM.
 */
// Imported from the modules themselves, not the barrels, so that the bundle holds only these.
import { ParleyError, devText } from '../protocol/errors.js';
import { newUuid } from '../protocol/values.js';
import type { LogEvent, RatingValue } from '../protocol/events.js';
import type { AvailabilityAnswer, UploadResult } from '../protocol/frames.js';
import { ClientCore } from './client-core.js';
import { helloFrame, startRefusal } from './handshake.js';
import { adopt, patch, sendRefusal } from './outbox.js';
import type { OutboxEntry } from './session.js';
import { buildTimeline, outboxMessage } from './timeline.js';
import type { ChatClientOptions, ChatMessage, ChatState, StartOptions, TimelineItem, UploadOptions } from './types.js';
import { downloadFile, startUpload, visitorPost } from './files.js';

/**
 * A visitor's connection to a Parley relay. Constructing one opens nothing and writes
 * nothing: call `resume()` when a UI is shown and `start()` when the customer asks for
 * a chat.
 *
 * @fires state - `{oldState, newState}` whenever `state` changes
 * @fires message - a message newly logged (either side)
 * @fires claimed / transferred / ended / upload-requested - the log events of those types
 * @fires error - a `ParleyError` that no returned promise carries (a refused message, a lost session)
 *
 * Use it as it is rather than subclassing it: its `protected` members named `_…` belong
 * to ClientCore and are renamed in the built files.
 */
export class ChatClient extends ClientCore {
  #state: ChatState;
  /** The timeline, rebuilt only when the log or the outbox is a new array. */
  #timelineLog: LogEvent[] | null = null;
  #timelineOutbox: OutboxEntry[] | null = null;
  #timeline: TimelineItem[] = [];
  #listeners = new Set<(s: ChatState) => void>();

  /**
   * @param options `relay` (required): the relay's base URL, `https://chat.example.com`;
   *   `storage` (default `localStorage`), `WebSocket`, `fetch`, `XMLHttpRequest` (default:
   *   the globals), `storageKey` (default `parley`).
   * @throws TypeError / RangeError with a message naming the bad option.
   */
  constructor(options: ChatClientOptions) {
    super(options);
    this.#state = this.#build();
  }

  /** The current snapshot; a new frozen object after every change. */
  get state(): ChatState {
    return this.#state;
  }

  /** Calls `fn` now with the current state and after every change; returns the unsubscribe function. */
  subscribe(fn: (s: ChatState) => void): () => void {
    this.#listeners.add(fn);
    fn(this.#state);
    return () => void this.#listeners.delete(fn);
  }

  /**
   * Resumes the session kept in storage, if there is one: connects, replays the log and
   * resends unacknowledged messages. Returns whether a session was found.
   */
  resume(): boolean {
    if (this._destroyed || this._blocked) return false;
    if (this._session) return true;
    this._listen(); // hears a chat that another tab starts
    const session = this._store.session();
    if (!session) return false;
    this._session = session;
    this._outbox = adopt(this._store.outbox(), this._tabId);
    this._socket.open();
    this._update();
    return true;
  }

  /**
   * Asks for a chat: validates the details, opens the socket and sends `hello`. Resolves
   * on the relay's `welcome`; rejects with a `ParleyError` (`invalid` with `field`,
   * `blocked`, `rate_limited`, `network`, `conflict` when a chat is already open).
   */
  start(options: StartOptions): Promise<void> {
    return new Promise((resolve, reject) => {
      const open = !!this._session && this._conversation.status !== 'ended';
      const refuse = startRefusal(this._destroyed, this._blocked, open, !!this._hello, options?.email);
      if (refuse) return reject(refuse);
      if (this._session) this.newChat();
      this._hello = { frame: helloFrame(options), resolve, reject };
      this._error = null;
      this._listen();
      this._socket.open();
      this._update();
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
    const entry: OutboxEntry = { clientId: newUuid(), text: clean, at: new Date().toISOString(), delivery: 'queued', tab: this._tabId };
    const refuse = sendRefusal(clean, this._blocked, this._conversation.status === 'ended', !this._session && !this._hello);
    if (refuse) {
      this._emit('error', refuse);
      return outboxMessage({ ...entry, delivery: 'failed', error: refuse });
    }
    this._setOutbox([...this._outbox, entry]);
    this._pump();
    this._update();
    return outboxMessage(this._outbox.find((e) => e.clientId == entry.clientId)!);
  }

  /**
   * Sends a `failed` message again (same `clientId`, so the relay never logs it twice).
   * A message another tab failed to send becomes this tab's to send.
   */
  retry(clientId: string): void {
    if (this._conversation.status === 'ended' || !this._outbox.some((x) => x.clientId === clientId && x.delivery === 'failed')) return;
    this._setOutbox(patch(this._outbox, clientId, { delivery: 'queued', error: undefined, tab: this._tabId }));
    this._pump();
    this._update();
  }

  /** Tells the agent whether the customer is typing (sent only when it changes). */
  typing(on: boolean): void {
    if (this._socket.state == 'open' && this._typingOn !== on) {
      this._typingOn = on;
      this._socket.send({ t: 'typing', on });
    }
  }

  /**
   * Marks every logged agent message as read (`unread` becomes 0) and tells the relay:
   * on the socket, or, when it is closed (the chat has ended, or it is reconnecting),
   * over HTTP, so that an answer read is never reported unread (`message.unseen`).
   */
  markRead(): void {
    const upToSeq = this._conversation.lastSeq;
    const s = this._session;
    if (!s || s.readSeq >= upToSeq) return;
    this._saveSession({ ...s, readSeq: upToSeq });
    if (this._socket.state == 'open') this._socket.send({ t: 'read', upToSeq });
    else visitorPost(this._options, `${this._base}/v1/read`, s.token, { upToSeq }).catch(() => {});
    this._update();
  }

  /**
   * Uploads a file for the open upload request, with progress in `state.upload` and
   * `onProgress`. A file over the limit is refused before any byte is sent (`file_too_large`
   * with `size` and `limit`); relay refusals arrive as `ParleyError` with the HTTP `status`.
   * The upload code is loaded on first use (an agent's request loads it ahead), so
   * `state.upload` changes once that code has run, after this call returns.
   */
  upload(file: Blob & { name?: string }, options: UploadOptions = {}): Promise<UploadResult> {
    const req = this._conversation.openUpload;
    const token = this._session?.token;
    if (!req || !token) return Promise.reject(new ParleyError('no_upload_request', devText('No upload requested')));
    if (this._abortUpload) return Promise.reject(new ParleyError('conflict', devText('Upload in progress')));
    return startUpload(
      {
        req,
        token,
        base: this._base,
        options: this._options,
        canceled: false,
        report: (up) => {
          this._upload = up;
          this._update();
        },
        hold: (abort) => void (this._abortUpload = abort),
      },
      file,
      options,
    );
  }

  /** Stops an upload in progress and withdraws the open upload request (`cancel_upload`). */
  cancelUpload(): void {
    this._abortUpload?.();
    const req = this._conversation.openUpload;
    if (req) this._socket.call({ t: 'cancel_upload', requestId: req.requestId }, (e) => e && this._fail(e));
  }

  /** Fetches a file of this conversation with the token in a header (never in the URL). */
  download(fileId: string): Promise<Blob> {
    const token = this._session?.token;
    if (!token) return Promise.reject(new ParleyError('unauthorized', devText('No chat open')));
    return downloadFile(this._options, `${this._base}/v1/files/${encodeURIComponent(fileId)}`, token);
  }

  /**
   * Whether someone can answer a chat asked for now, and whether the relay needs the
   * site's identity signature (`GET /v1/availability`). Rejects with `network` when
   * the relay cannot be asked, refuses, or its answer is not JSON.
   */
  availability(): Promise<AvailabilityAnswer> {
    return (this._options.fetch ?? fetch)(`${this._base}/v1/availability`)
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
    const ended = this._conversation.status == 'ended' && this._session?.token;
    return visitorPost(this._options, `${this._base}/v1/rating`, ended, { value, comment: comment || undefined });
  }

  /**
   * Ends the chat; resolves on the relay's `ok` (the `ended` event follows), or when the
   * chat ends meanwhile. Rejects with `network` when not connected and `timeout` after 15 s.
   */
  end(): Promise<void> {
    return new Promise((resolve, reject) => this._socket.call({ t: 'end' }, (e) => (e ? reject(e) : resolve())));
  }

  /** Forgets the conversation (after `ended` or `blocked`): clears storage, phase `idle`. */
  newChat(): void {
    this._cancelHello();
    this._socket.close();
    this._store.write('session', null);
    this._store.write('outbox', null);
    this._tabs?.tell();
    this._reset();
  }

  /** Closes the socket and stops every timer and listener. Storage is kept. Idempotent. */
  destroy(): void {
    if (this._destroyed) return;
    this._cancelHello();
    this._destroyed = true;
    this._socket.close();
    this._abortUpload?.();
    clearTimeout(this._paused);
    this._tabs?.close();
    this._tabs = null;
    this.#listeners.clear();
    this._update();
  }

  #build(): ChatState {
    const c = this._conversation;
    const hasLog = this._log.length > 0;
    // The line's position and usual wait mean something only while queued.
    const queued = hasLog && c.status === 'queued';
    const t = this._socket.state;
    if (this.#timelineLog !== this._log || this.#timelineOutbox !== this._outbox) {
      this.#timeline = buildTimeline((this.#timelineLog = this._log), (this.#timelineOutbox = this._outbox));
    }
    const readSeq = this._session?.readSeq ?? 0;
    return Object.freeze({
      phase: this._blocked ? 'blocked' : hasLog ? c.status : this._hello || (this._session && !this._destroyed) ? 'connecting' : 'idle',
      // `reconnecting` while a chat that has shown its log waits for its socket back.
      connection: t == 'open' ? 'online' : t == 'backoff' || (t == 'connecting' && hasLog) ? 'reconnecting' : 'offline',
      conversationId: this._session?.conversationId ?? null,
      queuePosition: queued ? this._queuePosition : null,
      queueWait: queued ? this._queueWait : null,
      agent: c.owner,
      visitor: c.visitor,
      events: this._log,
      conversation: c,
      timeline: this.#timeline,
      openUpload: c.openUpload,
      upload: this._upload,
      unread: c.agentMessageSeqs.filter((s) => s > readSeq).length,
      agentTyping: this._agentTyping,
      error: this._error,
    });
  }

  /** Publishes a new snapshot when anything in it changed. */
  protected _update(): void {
    const oldState = this.#state;
    const newState = this.#build();
    if ((Object.keys(newState) as (keyof ChatState)[]).every((k) => newState[k] === oldState[k])) return;
    this.#state = newState;
    this._emit('state', { oldState, newState });
    for (const fn of [...this.#listeners]) fn(newState);
  }
}
