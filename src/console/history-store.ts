/**
 * The History view's store: searches ended chats, reads pages of them, opens one past
 * chat and downloads its files, and reads each customer's earlier chats for the chat
 * pane (once per email, again after a while), all over HTTP with the agent's token
 * (`history-api.ts`). Holds its own snapshot (`history-state.ts`); an answer that comes
 * after a newer request, or after a sign-out, is dropped. No DOM here.
 */
import { ParleyError } from '../protocol/index.js';
import type { ConsoleError } from './connection.js';
import type { DownloadState } from './console-state.js';
import { fetchFileAsBlobUrl } from './download.js';
import { dayBounds, readTranscript, readTranscriptPage, type HistoryHttp, type TranscriptParams } from './history-api.js';
import { EMPTY_HISTORY, emailKey, type HistoryQuery, type HistoryState, type OpenPastChat } from './history-state.js';
import { Snapshot } from './snapshot.js';
import { historyWords } from './words.js';

/** How many earlier chats the chat pane lists. */
export const EARLIER_SHOWN = 5;
/** Records in a page of the History view's results. */
export const HISTORY_PAGE = 25;

/** What the History store needs from the page and the session. */
export interface HistoryStoreOptions {
  /** The agent's token now, or null when signed out. */
  token: () => string | null;
  /** Missing where there is none: every read then fails. */
  fetch: typeof fetch | undefined;
  /** The console page's URL the endpoints resolve against. */
  baseUrl: string;
  createObjectURL: (blob: Blob) => string;
  revokeObjectURL: (url: string) => void;
  /** An email's earlier chats are read again when older than this. Default 60,000 ms. */
  earlierFreshMs?: number;
  /** Default `Date.now`. */
  now?: () => number;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: ConsoleError };

export class HistoryStore {
  private readonly snapshot = new Snapshot<HistoryState>(EMPTY_HISTORY);
  private readonly now: () => number;
  private readonly earlierFreshMs: number;
  /** Bumped by `clear()`: answers to requests made before are dropped. */
  private generation = 0;
  /** Bumped by each search: only the newest one's answers count. */
  private searchSeq = 0;
  /** The query of the newest search as sent, for its next pages. */
  private params: TranscriptParams = {};
  /** Bumped by each open, close and clear: a file fetched for an earlier opening is not shown. */
  private openSeq = 0;
  /** Blob URLs of the open past chat's files, freed when it closes. */
  private readonly urls = new Set<string>();

  constructor(private readonly options: HistoryStoreOptions) {
    this.now = options.now ?? Date.now;
    this.earlierFreshMs = options.earlierFreshMs ?? 60_000;
  }

  /** The current snapshot. */
  get state(): HistoryState {
    return this.snapshot.value;
  }

  /** Calls `fn` after every change; returns the function that unsubscribes. */
  subscribe(fn: (s: HistoryState) => void): () => void {
    return this.snapshot.subscribe(fn);
  }

  /** Searches ended chats, newest end first: the first page replaces the results. */
  async search(query: HistoryQuery): Promise<void> {
    const seq = ++this.searchSeq;
    const bounds = dayBounds(query.from, query.to);
    const base = { query, items: [], next: null, loadingMore: false };
    if (bounds.since && bounds.until && bounds.since >= bounds.until) {
      const error = new ParleyError('invalid', historyWords.daysReversed, { field: 'to' });
      return this.set({ search: { ...base, status: 'failed', error } });
    }
    this.params = { q: query.text.trim(), ...bounds, limit: HISTORY_PAGE };
    const params = this.params;
    this.set({ search: { ...base, status: 'loading', error: null } });
    const r = await this.read((http, token) => readTranscriptPage(http, token, params));
    if (!r || seq !== this.searchSeq) return;
    this.set({
      search: r.ok
        ? { ...base, status: 'ready', items: r.value.items, next: r.value.next, error: null }
        : { ...base, status: 'failed', error: r.error },
    });
  }

  /** Reads the search's next page ("More") and adds it to the results. */
  async more(): Promise<void> {
    const s = this.state.search;
    if (!s || s.status !== 'ready' || !s.next || s.loadingMore) return;
    const seq = this.searchSeq;
    const params = { ...this.params, cursor: s.next };
    this.set({ search: { ...s, loadingMore: true, error: null } });
    const r = await this.read((http, token) => readTranscriptPage(http, token, params));
    const now = this.state.search;
    if (!r || seq !== this.searchSeq || !now) return;
    this.set({
      search: r.ok
        ? { ...now, items: [...now.items, ...r.value.items], next: r.value.next, loadingMore: false }
        : { ...now, loadingMore: false, error: r.error },
    });
  }

  /** Opens one past chat: reads its record with its events and notes. */
  async open(id: string): Promise<void> {
    this.freeFiles();
    const seq = this.openSeq;
    this.set({ open: { id, status: 'loading', record: null, error: null, downloads: {} } });
    const r = await this.read((http, token) => readTranscript(http, token, id));
    if (!r || seq !== this.openSeq) return;
    this.patchOpen(id, () => (r.ok ? { status: 'ready', record: r.value } : { status: 'failed', error: r.error }));
  }

  /** Closes the past chat (back to the results) and frees its downloads. */
  close(): void {
    this.freeFiles();
    this.set({ open: null });
  }

  /** Fetches a file of the open past chat; its blob URL appears in `open.downloads[fileId]`. */
  async download(fileId: string): Promise<void> {
    const open = this.state.open;
    const fetchFn = this.options.fetch;
    const token = this.options.token();
    if (!open) return;
    const set = (d: DownloadState) => this.patchOpen(open.id, (o) => ({ downloads: { ...o.downloads, [fileId]: d } }));
    if (!fetchFn || !token) return set({ status: 'failed', error: new ParleyError('unauthorized', 'Sign in to download files') });
    // A newer download of the same file replaces the older one's URL.
    const before = open.downloads[fileId]?.url;
    set({ status: 'loading' });
    const seq = this.openSeq;
    let d: DownloadState;
    try {
      const url = await fetchFileAsBlobUrl({ fetch: fetchFn, baseUrl: this.options.baseUrl, createObjectURL: this.options.createObjectURL }, token, fileId);
      d = { status: 'ready', url };
    } catch (e) {
      d = { status: 'failed', error: e as ConsoleError };
    }
    // Closed while the file came (or another chat opened, or a sign-out): nothing will show it.
    if (seq !== this.openSeq) return d.url ? this.revoke(d.url) : undefined;
    if (before) this.revoke(before);
    if (d.url) this.urls.add(d.url);
    set(d);
  }

  /**
   * Reads the earlier chats of `email` (the chat pane calls this when a chat opens): once,
   * and again only when the last reading failed or is older than `earlierFreshMs`.
   */
  async loadEarlier(email: string): Promise<void> {
    const key = emailKey(email);
    const had = this.state.earlier[key];
    if (had && (had.status === 'loading' || (had.status === 'ready' && this.now() - had.at < this.earlierFreshMs))) return;
    const setEarlier = (e: HistoryState['earlier'][string]) => this.set({ earlier: { ...this.state.earlier, [key]: e } });
    setEarlier({ status: 'loading', items: had?.items ?? [], more: had?.more ?? false, at: had?.at ?? 0 });
    // One more than shown, since the chat pane leaves out the chat it is in.
    const r = await this.read((http, token) => readTranscriptPage(http, token, { email, limit: EARLIER_SHOWN + 1 }));
    if (!r) return;
    if (r.ok) setEarlier({ status: 'ready', items: r.value.items, more: r.value.next !== null, at: this.now() });
    else setEarlier({ status: 'failed', items: had?.items ?? [], more: had?.more ?? false, at: this.now() });
  }

  /** Forgets everything (a sign-out): results, the open chat, earlier chats; frees downloads. */
  clear(): void {
    this.generation++;
    this.searchSeq++;
    this.freeFiles();
    this.snapshot.replace(EMPTY_HISTORY);
  }

  /** `clear()` and drops every subscriber. Safe to call twice. */
  destroy(): void {
    this.clear();
    this.snapshot.clear();
  }

  /** Runs a request with the token; null when `clear()` came in between. */
  private async read<T>(run: (http: HistoryHttp, token: string) => Promise<T>): Promise<Outcome<T> | null> {
    const generation = this.generation;
    const token = this.options.token();
    const fetchFn = this.options.fetch;
    let out: Outcome<T>;
    if (!token || !fetchFn) out = { ok: false, error: { code: 'unauthorized', message: historyWords.signedOut } };
    else {
      try {
        out = { ok: true, value: await run({ fetch: fetchFn, baseUrl: this.options.baseUrl }, token) };
      } catch (e) {
        out = { ok: false, error: e as ConsoleError };
      }
    }
    return generation === this.generation ? out : null;
  }

  /** Frees the open past chat's downloads; what was asked for it before now will not show. */
  private freeFiles(): void {
    this.openSeq++;
    for (const url of [...this.urls]) this.revoke(url);
  }

  private revoke(url: string): void {
    this.urls.delete(url);
    try {
      this.options.revokeObjectURL(url);
    } catch {
      /* a URL the page never made (tests): nothing to free */
    }
  }

  /** Changes the open past chat, if it is still `id`. */
  private patchOpen(id: string, fn: (o: OpenPastChat) => Partial<OpenPastChat>): void {
    const open = this.state.open;
    if (open?.id === id) this.set({ open: { ...open, ...fn(open) } });
  }

  private set(patch: Partial<HistoryState>): void {
    this.snapshot.replace({ ...this.state, ...patch });
  }
}
