/**
 * The console's state: folds what the `AgentConnection` hears into one immutable
 * snapshot (chats, their logs folded by `foldLog`, notes, unread counts, the tab's
 * background count) and turns the agent's intents into requests. Plain TypeScript:
 * components read snapshots and call methods; nothing here touches the DOM.
 */
import {
  EMPTY_STATE,
  foldLog,
  MAX_NOTE_LENGTH,
  normalizeText,
  type AgentNote,
  type AgentPresence,
  type AgentRef,
  type AgentStatus,
  type ConversationState,
  type ConversationSummary,
  type LogEvent,
} from '../protocol/index.js';
import type { AgentConnection, ConnectionEventMap, ConnectionState, ConsoleError, OutboxItem } from './connection.js';
import { liftBlock, readBlocks } from './blocks.js';
import { fetchFileAsBlobUrl } from './download.js';

/** One file download's progress. */
export interface DownloadState {
  status: 'loading' | 'ready' | 'failed';
  /** The blob URL once ready. */
  url?: string;
  error?: ConsoleError;
}

/** Everything the console knows about one conversation. */
export interface ChatView {
  id: string;
  /** The relay's last summary, if one arrived. */
  summary: ConversationSummary | null;
  /** The log, merged by seq. */
  log: readonly LogEvent[];
  /** `foldLog(log)`: status, owner, open upload request. */
  state: ConversationState;
  /** True once the log has been fetched. */
  loaded: boolean;
  /** Internal notes heard on this connection, oldest first. */
  notes: readonly AgentNote[];
  /** Replies not yet acknowledged. */
  outbox: readonly OutboxItem[];
  visitorTyping: boolean;
  /** The highest seq the customer has read. */
  visitorReadUpTo: number;
  /** The highest seq this agent has seen. */
  readUpTo: number;
  /** An action in flight (`claim`, `transfer`…), to disable its button. */
  busy: string | null;
  /** The last failed action here. */
  error: ConsoleError | null;
  /** A claim here lost the race. */
  claimLost: boolean;
  /** An ended chat the agent closed. */
  dismissed: boolean;
  downloads: Readonly<Record<string, DownloadState>>;
}

/** The console's one snapshot; a new object on every change. */
export interface ConsoleState {
  connection: ConnectionState;
  /** A token is held (the console shows chats, not the sign-in form). */
  signedIn: boolean;
  agent: AgentRef | null;
  status: AgentStatus;
  /** Every agent and their status, for transfers. */
  agents: readonly AgentPresence[];
  chats: Readonly<Record<string, ChatView>>;
  selectedId: string | null;
  /** New chats and customer messages while the tab was hidden. */
  backgroundCount: number;
  hidden: boolean;
  /** A failure that belongs to no chat (a refused token, a bad frame). */
  error: ConsoleError | null;
}

/** A tile in the chat list. */
export interface Tile {
  chat: ChatView;
  kind: 'unassigned' | 'own' | 'ended';
  unread: number;
}

/** The storage the token is kept in (`sessionStorage` in the browser). */
export type TokenStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Options of `ConsoleStore`: the connection is required, the rest default to the browser. */
export interface ConsoleStoreOptions {
  connection: AgentConnection;
  /** Where the token is kept. Default: none (tests); `main.tsx` passes `sessionStorage`. */
  storage?: TokenStorage | null;
  /** The page URL file downloads resolve against. Default `http://localhost/console/`. */
  baseUrl?: string;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Default: `URL.createObjectURL`. */
  createObjectURL?: (blob: Blob) => string;
  /** The customer stops "typing" after this long without a new typing frame. Default 8,000 ms. */
  typingTimeoutMs?: number;
  /** The agent's own typing goes off after this long without input. Default 3,000 ms. */
  typingIdleMs?: number;
}

const TOKEN_KEY = 'parley-console:token';

function newChat(id: string, summary: ConversationSummary | null): ChatView {
  return {
    id,
    summary,
    log: [],
    state: EMPTY_STATE,
    loaded: false,
    notes: [],
    outbox: [],
    visitorTyping: false,
    visitorReadUpTo: 0,
    readUpTo: 0,
    busy: null,
    error: null,
    claimLost: false,
    dismissed: false,
    downloads: {},
  };
}

/** The chat's status: from the fold once its log is loaded, from the summary before. */
export function statusOf(chat: ChatView): ConversationSummary['status'] {
  return chat.loaded ? chat.state.status : (chat.summary?.status ?? 'queued');
}

/** The chat's owner id: from the fold once loaded, from the summary before. */
export function ownerIdOf(chat: ChatView): string | undefined {
  return chat.loaded ? chat.state.owner?.id : chat.summary?.ownerId;
}

/** Customer messages after what this agent has seen. */
export function unreadOf(chat: ChatView): number {
  // A queued chat nobody opened is not watched: its tile counts from the relay's summary.
  if (!chat.loaded) return chat.summary?.unread ?? 0;
  return chat.state.visitorMessageSeqs.filter((s) => s > chat.readUpTo).length;
}

/** When the customer asked for the chat (ISO), for ordering and waiting time. */
export function requestedAtOf(chat: ChatView): string {
  return chat.state.requestedAt ?? chat.summary?.requestedAt ?? '';
}

/** What kind of tile a chat gets for this agent, or `null` when it is not on their list. */
export function tileKind(chat: ChatView, me: string | undefined): Tile['kind'] | null {
  const status = statusOf(chat);
  if (status === 'queued') return 'unassigned';
  if (!me || ownerIdOf(chat) !== me) return null;
  if (status === 'active') return 'own';
  return chat.dismissed ? null : 'ended';
}

/** The tiles, oldest request first. */
export function tilesOf(s: ConsoleState): Tile[] {
  const me = s.agent?.id;
  const tiles: Tile[] = [];
  for (const chat of Object.values(s.chats)) {
    const kind = tileKind(chat, me);
    if (kind) tiles.push({ chat, kind, unread: chat.id === s.selectedId && !s.hidden ? 0 : unreadOf(chat) });
  }
  return tiles.sort((a, b) => requestedAtOf(a.chat).localeCompare(requestedAtOf(b.chat)) || a.chat.id.localeCompare(b.chat.id));
}

/** The name of another agent who holds the chat now, if any ("Bob Stone took this chat"). */
export function takenBy(s: ConsoleState, chat: ChatView): string | null {
  const owner = ownerIdOf(chat);
  if (statusOf(chat) !== 'active' || !owner || owner === s.agent?.id) return null;
  if (chat.loaded && chat.state.owner) return chat.state.owner.name;
  return s.agents.find((a) => a.id === owner)?.name ?? 'Another agent';
}

type Listener = (s: ConsoleState) => void;

/**
 * The console store. Subscribe with `subscribe()`; read `state`. Every action
 * resolves (never rejects): failures land in the chat's or the console's `error`.
 */
export class ConsoleStore {
  private _state: ConsoleState;
  private readonly listeners = new Set<Listener>();
  private readonly conn: AgentConnection;
  private readonly storage: TokenStorage | null;
  private readonly opts: { baseUrl: string; typingTimeoutMs: number; typingIdleMs: number };
  private readonly fetchFn: typeof fetch | undefined;
  private readonly createObjectURL: (blob: Blob) => string;
  private readonly unsubscribers: (() => void)[] = [];
  private readonly typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly myTyping = new Map<string, ReturnType<typeof setTimeout>>();
  private token: string | null = null;
  private desiredStatus: AgentStatus | null = null;
  private destroyed = false;
  private batching = false;
  private changedInBatch = false;

  constructor(options: ConsoleStoreOptions) {
    if (!options?.connection) throw new TypeError('ConsoleStore: connection is required');
    this.conn = options.connection;
    this.storage = options.storage ?? null;
    this.fetchFn = options.fetch ?? (typeof fetch === 'function' ? fetch.bind(globalThis) : undefined);
    this.createObjectURL = options.createObjectURL ?? ((b) => URL.createObjectURL(b));
    this.opts = {
      baseUrl: options.baseUrl ?? 'http://localhost/console/',
      typingTimeoutMs: options.typingTimeoutMs ?? 8000,
      typingIdleMs: options.typingIdleMs ?? 3000,
    };
    this._state = {
      connection: this.conn.state,
      signedIn: false,
      agent: null,
      status: 'online',
      agents: [],
      chats: {},
      selectedId: null,
      backgroundCount: 0,
      hidden: false,
      error: null,
    };
    const c = this.conn;
    this.unsubscribers.push(
      c.on('state', ({ newState }) => this.set({ connection: newState })),
      c.on('welcome', (w) => this.batch(() => this.onWelcome(w))),
      c.on('list', ({ conversations }) => this.batch(() => conversations.forEach((s) => this.onSummary(s, false)))),
      c.on('frame', (f) => this.onFrame(f)),
      c.on('events', (e) => this.onEvents(e.conversationId, e.added, e.log)),
      c.on('outbox', ({ conversationId }) =>
        this.patchChat(conversationId, () => ({ outbox: this.conn.outbox(conversationId) })),
      ),
      c.on('error', (e) => this.onError(e)),
    );
  }

  /** The current snapshot. */
  get state(): ConsoleState {
    return this._state;
  }

  /** Calls `fn` after every change; returns the function that unsubscribes. */
  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Signs in with the token kept from earlier in this tab, if any. Returns whether there was one. */
  resume(): boolean {
    const token = this.storage?.getItem(TOKEN_KEY);
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
    this.token = t;
    try {
      this.storage?.setItem(TOKEN_KEY, t);
    } catch {
      /* storage full or disabled: the session still works */
    }
    this.set({ signedIn: true, error: null });
    this.conn.connect(t);
  }

  /** Signs out: forgets the token, closes the socket and clears every chat. */
  signOut(): void {
    this.token = null;
    this.storage?.removeItem(TOKEN_KEY);
    this.conn.close();
    for (const chat of Object.values(this._state.chats)) {
      // Unsent replies belong to this sign-in; they must not go out under the next one.
      for (const item of chat.outbox) this.conn.discard(item.clientId);
      this.conn.unwatch(chat.id);
    }
    this.set({ signedIn: false, agent: null, agents: [], chats: {}, selectedId: null, backgroundCount: 0 });
  }

  /** Stops listening and closes the connection. Safe to call twice. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const u of this.unsubscribers) u();
    for (const t of [...this.typingTimers.values(), ...this.myTyping.values()]) clearTimeout(t);
    this.conn.close();
    this.listeners.clear();
  }

  /** Tells the store whether the tab is in the background (`document.hidden`). */
  setHidden(hidden: boolean): void {
    if (hidden === this._state.hidden) return;
    this.set(hidden ? { hidden } : { hidden, backgroundCount: 0 });
    if (!hidden && this._state.selectedId) this.markRead(this._state.selectedId);
  }

  /** Opens a chat (or none). */
  select(id: string | null): void {
    if (id !== null && !this._state.chats[id]) return;
    this.set({ selectedId: id });
    // Only chats on screen are watched: the one open, and this agent's own.
    if (id) this.conn.watch(id);
    if (id) this.markRead(id);
    this.prune();
  }

  /** Closes an ended chat's tile. */
  dismiss(id: string): void {
    this.patchChat(id, () => ({ dismissed: true }));
    if (this._state.selectedId === id) this.set({ selectedId: null });
    this.prune();
  }

  /** Sets this agent's status: online, away (keeps own chats, no new ones), offline. */
  async setStatus(value: AgentStatus): Promise<void> {
    const before = this._state.status;
    this.desiredStatus = value;
    this.set({ status: value });
    try {
      await this.conn.request({ t: 'status', value });
    } catch (e) {
      this.set({ status: before, error: e as ConsoleError });
    }
  }

  /** Claims an unassigned chat; a lost race marks `claimLost`. */
  async claim(id: string): Promise<void> {
    await this.act(id, 'claim', () => this.conn.request({ t: 'claim', conversationId: id }), (e) =>
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

  /** Asks the customer for one file, with an optional note. */
  async requestUpload(id: string, note?: string): Promise<boolean> {
    const n = note?.trim() ? normalizeText(note, MAX_NOTE_LENGTH) : undefined;
    return this.act(id, 'request_upload', () =>
      this.conn.request({ t: 'request_upload', conversationId: id, ...(n ? { note: n } : {}) }),
    );
  }

  /** Withdraws an open file request. */
  async cancelUpload(id: string, requestId: string): Promise<boolean> {
    return this.act(id, 'cancel_upload', () => this.conn.request({ t: 'cancel_upload', conversationId: id, requestId }));
  }

  /** Hands the chat to another agent, or back to the queue when `toAgentId` is null. */
  async transfer(id: string, toAgentId: string | null, note?: string): Promise<boolean> {
    const n = note?.trim() ? normalizeText(note, MAX_NOTE_LENGTH) : undefined;
    const ok = await this.act(id, 'transfer', () =>
      this.conn.request({
        t: 'transfer',
        conversationId: id,
        ...(toAgentId ? { toAgentId } : {}),
        ...(n ? { note: n } : {}),
      }),
    );
    if (ok && this._state.selectedId === id) this.select(null);
    return ok;
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
    const chat = this._state.chats[id];
    if (!chat || statusOf(chat) !== 'active' || ownerIdOf(chat) !== this._state.agent?.id) return;
    const t = this.myTyping.get(id);
    if (t) clearTimeout(t);
    else this.conn.notify({ t: 'typing', conversationId: id, on: true });
    this.myTyping.set(id, setTimeout(() => this.stopTyping(id), this.opts.typingIdleMs));
  }

  /** Fetches a file with the agent token; its blob URL appears in `chat.downloads[fileId]`. */
  async download(id: string, fileId: string): Promise<void> {
    const set = (d: DownloadState) =>
      this.patchChat(id, (c) => ({ downloads: { ...c.downloads, [fileId]: d } }));
    if (!this.fetchFn || !this.token) {
      set({ status: 'failed', error: { code: 'unauthorized', message: 'Sign in to download files' } });
      return;
    }
    set({ status: 'loading' });
    try {
      const url = await fetchFileAsBlobUrl(
        { fetch: this.fetchFn, baseUrl: this.opts.baseUrl, createObjectURL: this.createObjectURL },
        this.token,
        fileId,
      );
      set({ status: 'ready', url });
    } catch (e) {
      set({ status: 'failed', error: e as ConsoleError });
    }
  }

  // ---- from the connection --------------------------------------------------------

  private onWelcome(w: { agent: AgentRef; agents: AgentPresence[]; conversations: ConversationSummary[] }): void {
    const mine = w.agents.find((a) => a.id === w.agent.id);
    this.set({ agent: w.agent, agents: w.agents, status: mine?.status ?? this._state.status, error: null });
    for (const s of w.conversations) this.onSummary(s, false);
    // After a reconnect the relay may think we are online again; say what the agent chose.
    if (this.desiredStatus && this.desiredStatus !== (mine?.status ?? 'online')) void this.setStatus(this.desiredStatus);
    this.prune();
  }

  private onFrame(f: ConnectionEventMap['frame']): void {
    switch (f.t) {
      case 'presence': {
        const others = this._state.agents.filter((a) => a.id !== f.agent.id);
        const mine = f.agent.id === this._state.agent?.id;
        this.set({ agents: [...others, f.agent], ...(mine ? { status: f.agent.status } : {}) });
        return;
      }
      case 'conversation':
        this.onSummary(f.summary, true);
        this.prune();
        return;
      case 'activity':
        // New messages in a chat: its tile's counts (an opened chat counts from its log).
        this.patchChat(f.conversationId, (c) => (c.summary ? { summary: { ...c.summary, lastSeq: f.lastSeq, unread: f.unread } } : {}));
        return;
      case 'note':
        this.patchChat(f.conversationId, (c) =>
          c.notes.some((n) => n.id === f.note.id)
            ? {}
            : { notes: [...c.notes, f.note].sort((a, b) => a.at.localeCompare(b.at)) },
        );
        return;
      case 'typing': {
        const old = this.typingTimers.get(f.conversationId);
        if (old) clearTimeout(old);
        this.typingTimers.delete(f.conversationId);
        if (f.on) {
          this.typingTimers.set(
            f.conversationId,
            setTimeout(() => {
              this.typingTimers.delete(f.conversationId);
              this.patchChat(f.conversationId, () => ({ visitorTyping: false }));
            }, this.opts.typingTimeoutMs),
          );
        }
        this.patchChat(f.conversationId, () => ({ visitorTyping: f.on }));
        return;
      }
      case 'read':
        this.patchChat(f.conversationId, (c) => ({ visitorReadUpTo: Math.max(c.visitorReadUpTo, f.upToSeq) }));
        return;
    }
  }

  private onError(e: ConsoleError & { conversationId?: string }): void {
    if (e.conversationId) {
      if (e.code === 'not_found' || e.code === 'forbidden') {
        this.conn.unwatch(e.conversationId);
        const { [e.conversationId]: _, ...rest } = this._state.chats;
        this.set({ chats: rest, selectedId: this._state.selectedId === e.conversationId ? null : this._state.selectedId });
      } else this.patchChat(e.conversationId, () => ({ error: e }));
      return;
    }
    // Refusals without a request id answer fire-and-forget frames (typing, read) that
    // raced a transfer or an end; the chat itself shows what happened.
    if (e.code === 'forbidden' || e.code === 'ended' || e.code === 'not_found') return;
    if (e.code === 'unauthorized' || e.code === 'blocked') {
      this.token = null;
      this.storage?.removeItem(TOKEN_KEY);
      this.set({ signedIn: false, error: e });
      return;
    }
    this.set({ error: e });
  }

  private onSummary(s: ConversationSummary, live: boolean): void {
    const me = this._state.agent?.id;
    const existing = this._state.chats[s.id];
    if (!existing) {
      const wanted = s.status === 'queued' || (s.status === 'active' && s.ownerId === me);
      if (!wanted) return;
      this.set({
        chats: { ...this._state.chats, [s.id]: newChat(s.id, s) },
        backgroundCount: this._state.backgroundCount + (live && this._state.hidden && s.status === 'queued' ? 1 : 0),
      });
      // Queued tiles live on summaries; a chat's log is fetched when it is opened or owned.
      if (s.status === 'active') this.conn.watch(s.id);
      return;
    }
    this.patchChat(s.id, () => ({ summary: s }));
    if (s.status === 'active' && s.ownerId === me) this.conn.watch(s.id);
  }

  private onEvents(id: string, added: LogEvent[], log: readonly LogEvent[]): void {
    const chat = this._state.chats[id];
    if (!chat) return;
    const state = chat.loaded ? foldLog(added, chat.state) : foldLog(log);
    let readUpTo = chat.readUpTo;
    if (!chat.loaded && chat.summary) {
      const seqs = state.visitorMessageSeqs;
      const unread = Math.min(chat.summary.unread, seqs.length);
      readUpTo = unread === 0 ? state.lastSeq : unread === seqs.length ? 0 : seqs[seqs.length - unread - 1]!;
    }
    const fromVisitor = chat.loaded ? added.filter((e) => e.type === 'message' && e.from === 'visitor').length : 0;
    this.patchChat(id, () => ({
      log,
      state,
      loaded: true,
      readUpTo,
      visitorTyping: fromVisitor > 0 ? false : chat.visitorTyping,
    }));
    if (fromVisitor && this._state.hidden) this.set({ backgroundCount: this._state.backgroundCount + fromVisitor });
    if (this._state.selectedId === id) this.markRead(id);
    this.prune();
  }

  // ---- helpers --------------------------------------------------------------------

  /** Runs one request for a chat: `busy` while in flight, `error` after a refusal. */
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
      const err = e as ConsoleError;
      this.patchChat(id, () => ({ busy: null, ...(onError?.(err) ?? { error: err }) }));
      return false;
    }
  }

  private stopTyping(id: string): void {
    const t = this.myTyping.get(id);
    if (!t) return;
    clearTimeout(t);
    this.myTyping.delete(id);
    this.conn.notify({ t: 'typing', conversationId: id, on: false });
  }

  private markRead(id: string): void {
    const chat = this._state.chats[id];
    if (!chat || this._state.hidden || chat.readUpTo >= chat.state.lastSeq) return;
    const hadUnread = unreadOf(chat) > 0;
    this.patchChat(id, () => ({ readUpTo: chat.state.lastSeq }));
    if (hadUnread && statusOf(chat) === 'active' && ownerIdOf(chat) === this._state.agent?.id) {
      this.conn.notify({ t: 'read', conversationId: id, upToSeq: chat.state.lastSeq });
    }
  }

  /** Forgets chats that are neither on the list nor open. */
  private prune(): void {
    const me = this._state.agent?.id;
    const keep: Record<string, ChatView> = {};
    let dropped = false;
    for (const [id, chat] of Object.entries(this._state.chats)) {
      const kind = tileKind(chat, me);
      if (id === this._state.selectedId || kind) {
        keep[id] = chat;
        // A queued chat that was opened and left goes back to living on summaries.
        if (kind === 'unassigned' && id !== this._state.selectedId && chat.loaded) {
          keep[id] = { ...chat, loaded: false, log: [], state: EMPTY_STATE };
          this.conn.unwatch(id);
          dropped = true;
        }
      } else {
        dropped = true;
        this.conn.unwatch(id);
      }
    }
    if (dropped) this.set({ chats: keep });
  }

  private patchChat(id: string, fn: (c: ChatView) => Partial<ChatView>): void {
    const chat = this._state.chats[id];
    if (!chat) return;
    this.set({ chats: { ...this._state.chats, [id]: { ...chat, ...fn(chat) } } });
  }

  private set(patch: Partial<ConsoleState>): void {
    this._state = { ...this._state, ...patch };
    if (this.batching) this.changedInBatch = true;
    else for (const fn of [...this.listeners]) fn(this._state);
  }

  /** Runs `fn` and tells listeners once at the end, however many changes it made (a page of 500 tiles renders once). */
  private batch(fn: () => void): void {
    if (this.batching) return fn();
    this.batching = true;
    try {
      fn();
    } finally {
      this.batching = false;
      if (this.changedInBatch) {
        this.changedInBatch = false;
        for (const l of [...this.listeners]) l(this._state);
      }
    }
  }
}
