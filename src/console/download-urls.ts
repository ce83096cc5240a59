/**
 * The blob URLs the console makes for file downloads, and when they go. A URL lives
 * while the snapshot shows it (`chats[id].downloads[fileId].url`); once no chat does
 * (the chat forgotten or dismissed, a sign-out, a newer download of the same file) or
 * the store is destroyed, it is revoked so the file's bytes are freed.
 */
import { ParleyError } from '../protocol/index.js';
import type { ConsoleError } from './connection.js';
import type { ConsoleState, DownloadState } from './console-state.js';
import { fetchFileAsBlobUrl, type DownloadDeps } from './download.js';

/** What downloads need from the page; `fetch` is missing where there is none. */
export interface DownloadUrlsDeps extends Omit<DownloadDeps, 'fetch'> {
  fetch: typeof fetch | undefined;
  revokeObjectURL: (url: string) => void;
}

interface Place {
  chatId: string;
  fileId: string;
}

export class DownloadUrls {
  /** Every URL made and not yet revoked, with where the snapshot shows it. */
  private readonly held = new Map<string, Place>();
  private closed = false;

  constructor(private readonly deps: DownloadUrlsDeps) {}

  /** Whether files can be fetched at all here. */
  get canFetch(): boolean {
    return this.deps.fetch !== undefined;
  }

  /**
   * Fetches a file with the agent's token; resolves with its ready or failed state,
   * never rejects. The URL is not held until `hold()`: call it in the same turn as the
   * snapshot that shows it.
   */
  async load(token: string, fileId: string): Promise<DownloadState> {
    const fetchFn = this.deps.fetch;
    if (!fetchFn) return { status: 'failed', error: new ParleyError('network', 'The file could not be fetched') };
    try {
      const url = await fetchFileAsBlobUrl({ fetch: fetchFn, baseUrl: this.deps.baseUrl, createObjectURL: this.deps.createObjectURL }, token, fileId);
      return { status: 'ready', url };
    } catch (e) {
      return { status: 'failed', error: e as ConsoleError };
    }
  }

  /** Takes charge of a URL shown at `chats[chatId].downloads[fileId]`; after `revokeAll()` it is revoked at once. */
  hold(url: string, chatId: string, fileId: string): void {
    if (this.closed) this.revoke(url);
    else this.held.set(url, { chatId, fileId });
  }

  /** Revokes every held URL the snapshot no longer shows. */
  release(state: ConsoleState): void {
    for (const [url, at] of this.held) {
      if (state.chats[at.chatId]?.downloads[at.fileId]?.url !== url) this.revoke(url);
    }
  }

  /** Revokes every URL (the store is destroyed); later ones are revoked as they come. */
  revokeAll(): void {
    this.closed = true;
    for (const url of [...this.held.keys()]) this.revoke(url);
  }

  private revoke(url: string): void {
    this.held.delete(url);
    try {
      this.deps.revokeObjectURL(url);
    } catch {
      /* a URL the page never made (tests): nothing to free */
    }
  }
}
