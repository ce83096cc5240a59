/**
 * The console store: holds the one immutable snapshot, runs the reducers on what the
 * `AgentConnection` hears, and does the effects the snapshot cannot: the session,
 * which chats are watched, read marks, typing timers, downloads, and the agent's
 * intents turned into requests. Components read snapshots (`state`, `subscribe`) and
 * call methods; nothing here touches the DOM. Selectors and reducers are pure and
 * live in `selectors.ts` and `reducers.ts`; past chats are in `history`; transfers,
 * offers, invitations and leaving are in `routing`; file requests and files sent to
 * the customer are in `files`.
 */
import { MAX_NOTE_LENGTH, normalizeText, type AgentStatus, type ConversationSummary } from '../protocol/index.js';
import type { AgentConnection, ConnectionEventMap, ConsoleError } from './connection.js';
import { liftBlock, readBlocks } from './blocks.js';
import { ChatFiles, type ChatFilesOptions } from './chat-files.js';
import { initialState, type ChatError, type ChatView, type ConsoleState, type DownloadState } from './console-state.js';
import { DownloadUrls } from './download-urls.js';
import { HistoryStore } from './history-store.js';
import { KeyedTimers } from './keyed-timers.js';
import {
  dismissed, downloadChanged, errorHeard, errorOutcome, eventsHeard, frameHeard, outboxChanged,
  pruned, readToEnd, signedOut, summaryHeard, visitorStoppedTyping, welcomed, withChat,
} from './reducers.js';
import { RoutingActions } from './routing-actions.js';
import { followsSummary, isMineAndActive, readReceiptOf, unfollowedBetween } from './selectors.js';
import { Session, type TokenStorage } from './session.js';
import { Snapshot } from './snapshot.js';

/** Options of `ConsoleStore`: the connection is required, the rest default to the browser. */
export interface ConsoleStoreOptions extends ChatFilesOptions {
  connection: AgentConnection;
  /** Where the token is kept. Default: none (tests); `main.tsx` passes `sessionStorage`. */
  storage?: TokenStorage | null;
  /** The page URL file downloads and History's reads resolve against. Default `http://localhost/console/`. */
  baseUrl?: string;
  /** For file downloads, History, and sending files without an `XMLHttpRequest`. Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Default: `URL.createObjectURL`. */
  createObjectURL?: (blob: Blob) => string;
  /** Frees a download's blob URL once nothing shows it. Default: `URL.revokeObjectURL`. */
  revokeObjectURL?: (url: string) => void;
  /** The customer stops "typing" after this long without a new typing frame. Default 8,000 ms. */
  typingTimeoutMs?: number;
  /** The agent's own typing goes off after this long without input. Default 3,000 ms. */
  typingIdleMs?: number;
}

/**
 * The console store. Subscribe with `subscribe()`; read `state`. Every action
 * resolves (never rejects): failures land in the chat's or the console's `error`.
 */
export class ConsoleStore {
  private readonly snapshot: Snapshot<ConsoleState>;
  private readonly conn: AgentConnection;
  private readonly session: Session;
  private readonly downloads: DownloadUrls;
  /** Ended chats, read over HTTP with this sign-in's token: the History view, earlier chats. */
  readonly history: HistoryStore;
  /** Transfers, invitations, offers and leaving: what moves a chat between agents. */
  readonly routing: RoutingActions;
  /** File requests, and files sent to the customer with their progress (`files.state`). */
  readonly files: ChatFiles;
  private readonly typingTimeoutMs: number;
  private readonly typingIdleMs: number;
  private readonly unsubscribers: (() => void)[] = [];
  /** The customer's typing per chat: goes quiet after `typingTimeoutMs`. */
  private readonly visitorTyping = new KeyedTimers();
  /** This agent's own typing per chat: goes off after `typingIdleMs`. */
  private readonly myTyping = new KeyedTimers();
  private desiredStatus: AgentStatus | null = null;
  private destroyed = false;

  constructor(options: ConsoleStoreOptions) {
    if (!options?.connection) throw new TypeError('ConsoleStore: connection is required');
    this.conn = options.connection;
    this.session = new Session(options.storage ?? null);
    const page = {
      fetch: options.fetch ?? (typeof fetch === 'function' ? fetch.bind(globalThis) : undefined),
      baseUrl: options.baseUrl ?? 'http://localhost/console/',
      createObjectURL: options.createObjectURL ?? ((b: Blob) => URL.createObjectURL(b)),
      revokeObjectURL: options.revokeObjectURL ?? ((u: string) => URL.revokeObjectURL(u)),
    };
    this.downloads = new DownloadUrls(page);
    this.history = new HistoryStore({ ...page, token: () => this.session.token });
    this.routing = new RoutingActions({
      request: (frame) => this.conn.request(frame),
      act: (id, busy, run) => this.act(id, busy, run),
      select: (id) => this.select(id),
      selectedId: () => this.state.selectedId,
    });
    this.files = new ChatFiles({
      request: (frame) => this.conn.request(frame),
      act: (id, busy, run) => this.act(id, busy, run),
      token: () => this.session.token,
      baseUrl: page.baseUrl,
      means: { fetch: page.fetch, XMLHttpRequest: options.XMLHttpRequest },
    });
    this.typingTimeoutMs = options.typingTimeoutMs ?? 8000;
    this.typingIdleMs = options.typingIdleMs ?? 3000;
    this.snapshot = new Snapshot(initialState(this.conn.state));
    const c = this.conn;
    this.unsubscribers.push(
      c.on('state', ({ newState }) => this.set({ connection: newState })),
      c.on('welcome', (w) => this.snapshot.batch(() => this.onWelcome(w))),
      c.on('list', ({ conversations }) => this.snapshot.batch(() => conversations.forEach((s) => this.onSummary(s)))),
      c.on('frame', (f) => this.onFrame(f)),
      c.on('events', (e) => this.onEvents(e)),
      c.on('outbox', ({ conversationId: id }) => this.commit(outboxChanged(this.state, id, this.conn.outbox(id)))),
      c.on('error', (e) => this.onError(e)),
    );
  }

  /** The current snapshot. */
  get state(): ConsoleState {
    return this.snapshot.value;
  }

  /** Calls `fn` after every change; returns the function that unsubscribes. */
  subscribe(fn: (s: ConsoleState) => void): () => void {
    return this.snapshot.subscribe(fn);
  }

  /** Signs in with the token kept from earlier in this tab, if any. Returns whether there was one. */
  resume(): boolean {
    const token = this.session.stored();
    if (!token) return false;
    this.signIn(token);
    return true;
  }

  /** Signs in: keeps the token for this tab and connects. */
  signIn(token: string): void {
    const t = token.trim();
    if (!t) {
      this.set({ error: { code: 'invalid', field: 'token', message: 'Enter your agent token' } });
      return;
    }
    this.session.keep(t);
    this.set({ signedIn: true, error: null });
    this.conn.connect(t);
  }

  /** Signs out: forgets the token, closes the socket and clears every chat (and frees their downloads). */
  signOut(): void {
    this.session.forget();
    this.conn.close();
    for (const chat of Object.values(this.state.chats)) {
      // Unsent replies belong to this sign-in; they must not go out under the next one.
      for (const item of chat.outbox) this.conn.discard(item.clientId);
      this.conn.unwatch(chat.id);
    }
    this.commit(signedOut(this.state));
  }

  /** Stops listening, frees every download and closes the connection. Safe to call twice. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const u of this.unsubscribers) u();
    this.visitorTyping.clearAll();
    this.myTyping.clearAll();
    this.downloads.revokeAll();
    this.history.destroy();
    this.files.clear();
    this.conn.close();
    this.snapshot.clear();
  }

  /** Tells the store whether the tab is in the background (`document.hidden`). */
  setHidden(hidden: boolean): void {
    if (hidden === this.state.hidden) return;
    this.set({ hidden });
    if (!hidden && this.state.selectedId) this.markRead(this.state.selectedId);
  }

  /** Opens a chat (or none). */
  select(id: string | null): void {
    if (id !== null && !this.state.chats[id]) return;
    this.set({ selectedId: id });
    // Only chats on screen are watched: the one open, and those this agent owns or is a guest in.
    if (id) this.conn.watch(id);
    if (id) this.markRead(id);
    this.prune();
  }

  /** Closes an ended chat's tile. */
  dismiss(id: string): void {
    this.commit(dismissed(this.state, id));
    this.prune();
  }

  /** Sets this agent's status: online, away (keeps own chats, no new ones), offline. */
  async setStatus(value: AgentStatus): Promise<void> {
    const before = this.state.status;
    this.desiredStatus = value;
    this.set({ status: value });
    try {
      await this.conn.request({ t: 'status', value });
    } catch (e) {
      this.set({ status: before, error: e as ConsoleError });
    }
  }

  /** Claims an unassigned chat (or answers a left message); a lost race marks `claimLost`. Resolves true when the relay agreed. */
  async claim(id: string): Promise<boolean> {
    return this.act(id, 'claim', () => this.conn.request({ t: 'claim', conversationId: id }), (e) =>
      e.code === 'conflict' ? { claimLost: true, error: null } : null,
    );
  }

  /** Sends a reply to the customer (Enter in the composer). Returns false when the text is refused. */
  send(id: string, text: string): boolean {
    const clean = normalizeText(text);
    if (clean === null) {
      this.patchChat(id, () => ({ error: { code: 'invalid', field: 'text', message: 'A reply is 1 to 4000 characters' } }));
      return false;
    }
    this.stopTyping(id);
    this.conn.send(id, clean);
    this.patchChat(id, () => ({ error: null }));
    return true;
  }

  /** Sends a failed reply again. */
  retry(clientId: string): void {
    this.conn.retry(clientId);
  }

  /** Drops a failed reply. */
  discard(clientId: string): void {
    this.conn.discard(clientId);
  }

  /** Adds an internal note (agents only). Resolves false when refused. */
  async note(id: string, text: string): Promise<boolean> {
    const clean = normalizeText(text, MAX_NOTE_LENGTH);
    if (clean === null) {
      this.patchChat(id, () => ({ error: { code: 'invalid', field: 'text', message: `A note is 1 to ${MAX_NOTE_LENGTH} characters` } }));
      return false;
    }
    return this.act(id, 'note', () => this.conn.request({ t: 'note', conversationId: id, text: clean }));
  }

  /** Ends the chat. */
  async end(id: string): Promise<boolean> {
    return this.act(id, 'end', () => this.conn.request({ t: 'end', conversationId: id }));
  }

  /**
   * Ends the chat and blocks the customer: their email from their address, or with
   * `byAddress` everyone at that address; with a comment for other agents.
   */
  async block(id: string, comment?: string, byAddress = false): Promise<boolean> {
    const c = comment?.trim() ? normalizeText(comment, MAX_NOTE_LENGTH) : undefined;
    return this.act(id, 'block', () =>
      this.conn.request({ t: 'block', conversationId: id, ...(c ? { comment: c } : {}), ...(byAddress ? { byAddress } : {}) }),
    );
  }

  /** The blocks in force, newest first (the Blocks panel). */
  readBlocks(): ReturnType<typeof readBlocks> {
    return readBlocks(this.conn);
  }

  /** Lifts a block; resolves with the refusal, or null. */
  liftBlock(blockId: string): ReturnType<typeof liftBlock> {
    return liftBlock(this.conn, blockId);
  }

  /** The agent typed in the composer: tells the customer, and stops telling after a pause. */
  typing(id: string): void {
    const chat = this.state.chats[id];
    if (!chat || !isMineAndActive(this.state, chat)) return;
    if (!this.myTyping.has(id)) this.conn.notify({ t: 'typing', conversationId: id, on: true });
    this.myTyping.start(id, this.typingIdleMs, () => this.conn.notify({ t: 'typing', conversationId: id, on: false }));
  }

  /** Fetches a file with the agent token; its blob URL appears in `chat.downloads[fileId]`. */
  async download(id: string, fileId: string): Promise<void> {
    const set = (d: DownloadState) => this.commit(downloadChanged(this.state, id, fileId, d));
    const token = this.session.token;
    if (!this.downloads.canFetch || !token) {
      set({ status: 'failed', error: { code: 'unauthorized', message: 'Sign in to download files' } });
      return;
    }
    // A ready URL of the same file is replaced (and so revoked) here.
    set({ status: 'loading' });
    const d = await this.downloads.load(token, fileId);
    if (d.url) this.downloads.hold(d.url, id, fileId);
    if (this.destroyed) return;
    set(d);
    // The chat may have been forgotten while the file came: then nothing shows the URL.
    this.downloads.release(this.state);
  }

  // ---- from the connection --------------------------------------------------------

  private onWelcome(w: ConnectionEventMap['welcome']): void {
    this.commit(welcomed(this.state, w));
    for (const s of w.conversations) if (followsSummary(this.state, s)) this.conn.watch(s.id);
    // After a reconnect the relay may think we are online again; say what the agent chose.
    const mine = w.agents.find((a) => a.id === w.agent.id);
    if (this.desiredStatus && this.desiredStatus !== (mine?.status ?? 'online')) void this.setStatus(this.desiredStatus);
    this.prune();
  }

  /** A summary: a tile added or refreshed; an active chat this agent is in is watched (queued tiles live on summaries). */
  private onSummary(s: ConversationSummary): void {
    this.commit(summaryHeard(this.state, s));
    if (followsSummary(this.state, s)) this.conn.watch(s.id);
  }

  private onFrame(f: ConnectionEventMap['frame']): void {
    if (f.t === 'conversation') {
      this.onSummary(f.summary);
      this.prune();
      return;
    }
    if (f.t === 'typing') {
      const id = f.conversationId;
      if (f.on) this.visitorTyping.start(id, this.typingTimeoutMs, () => this.commit(visitorStoppedTyping(this.state, id)));
      else this.visitorTyping.clear(id);
    }
    this.commit(frameHeard(this.state, f));
  }

  private onError(e: ConnectionEventMap['error']): void {
    const outcome = errorOutcome(e);
    if (outcome === 'forget-chat' && e.conversationId) this.conn.unwatch(e.conversationId);
    if (outcome === 'signed-out') this.session.forget();
    this.commit(errorHeard(this.state, e));
  }

  private onEvents(e: ConnectionEventMap['events']): void {
    const id = e.conversationId;
    if (!this.state.chats[id]) return;
    this.commit(eventsHeard(this.state, e));
    if (this.state.selectedId === id) this.markRead(id);
    this.prune();
  }

  // ---- helpers --------------------------------------------------------------------

  /** Runs one request for a chat: `busy` while in flight, `error` (naming the action) after a refusal. */
  private async act(
    id: string,
    busy: string,
    run: () => Promise<unknown>,
    onError?: (e: ConsoleError) => Partial<ChatView> | null,
  ): Promise<boolean> {
    this.patchChat(id, () => ({ busy, error: null }));
    try {
      await run();
      this.patchChat(id, () => ({ busy: null }));
      return true;
    } catch (e) {
      // Not a spread: an Error's `message` is not enumerable.
      const { code, message, field } = e as ConsoleError;
      const err: ChatError = { code, message, ...(field !== undefined ? { field } : {}), action: busy };
      this.patchChat(id, () => ({ busy: null, ...(onError?.(err) ?? { error: err }) }));
      return false;
    }
  }

  private stopTyping(id: string): void {
    if (this.myTyping.clear(id)) this.conn.notify({ t: 'typing', conversationId: id, on: false });
  }

  /** Marks the chat read to its end, and tells the relay when it is this agent's own. */
  private markRead(id: string): void {
    const upToSeq = readReceiptOf(this.state, id);
    this.commit(readToEnd(this.state, id));
    if (upToSeq !== null) this.conn.notify({ t: 'read', conversationId: id, upToSeq });
  }

  /** Forgets chats that are neither on the list nor open, and stops watching them. */
  private prune(): void {
    const before = this.state;
    const next = pruned(before);
    if (next === before) return;
    for (const id of unfollowedBetween(before, next)) this.conn.unwatch(id);
    this.commit(next);
  }

  private patchChat(id: string, fn: (c: ChatView) => Partial<ChatView>): void {
    this.commit(withChat(this.state, id, fn));
  }

  private set(patch: Partial<ConsoleState>): void {
    this.commit({ ...this.state, ...patch });
  }

  /** Takes a new snapshot (none when a reducer changed nothing) and frees the downloads it no longer shows. */
  private commit(next: ConsoleState): void {
    // Signed out (by the agent or a refused token): past chats and files on their way go with the sign-in.
    if (this.state.signedIn && !next.signedIn) for (const held of [this.history, this.files]) held.clear();
    if (this.snapshot.replace(next)) this.downloads.release(next);
  }
}
