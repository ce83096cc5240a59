/**
 * The shapes of the History view's snapshot (the search and its pages, the past chat
 * open, each email's earlier chats) and the pure questions the components ask of it.
 * Apart from `history-store.ts`, which does the requests, so components and tests share
 * the types without the class. Past chats come over HTTP, not the agent socket, so none
 * of this is in `ConsoleState`.
 */
import type { TranscriptRecord, TranscriptSummary } from '../protocol/index.js';
import type { ConsoleError } from './connection.js';
import type { DownloadState } from './console-state.js';

/** What the agent searches for, as the form holds it. */
export interface HistoryQuery {
  /** Email, name or words; '' for every ended chat. */
  text: string;
  /** First day (`YYYY-MM-DD`, the agent's time zone) the chat ended on, or ''. */
  from: string;
  /** Last day, included, or ''. */
  to: string;
}

/** The empty search: every ended chat, newest first. */
export const ANY_CHAT: HistoryQuery = { text: '', from: '', to: '' };

/** Where something read over HTTP stands. */
export type LoadStatus = 'loading' | 'ready' | 'failed';

/** A search and the pages read of it so far. */
export interface HistorySearch {
  query: HistoryQuery;
  status: LoadStatus;
  items: readonly TranscriptSummary[];
  /** The cursor of the next page, or null after the last. */
  next: string | null;
  /** The next page is being read. */
  loadingMore: boolean;
  error: ConsoleError | null;
}

/** The past chat open in the History view. */
export interface OpenPastChat {
  id: string;
  status: LoadStatus;
  record: TranscriptRecord | null;
  error: ConsoleError | null;
  /** Its files being or having been downloaded, by file id. */
  downloads: Readonly<Record<string, DownloadState>>;
}

/** One email's earlier chats, newest first, as read (the chat pane leaves out the open one). */
export interface EarlierChats {
  status: LoadStatus;
  items: readonly TranscriptSummary[];
  /** The relay has older ones than these. */
  more: boolean;
  /** When they were read (ms), to read them again later. */
  at: number;
}

/** The History view's snapshot; a new object on every change. */
export interface HistoryState {
  /** The last search, or null before the first. */
  search: HistorySearch | null;
  open: OpenPastChat | null;
  /** Earlier chats by email, lower-cased. */
  earlier: Readonly<Record<string, EarlierChats>>;
}

export const EMPTY_HISTORY: HistoryState = { search: null, open: null, earlier: {} };

/** The key an email's earlier chats are kept under: the relay matches emails ignoring case. */
export const emailKey = (email: string): string => email.toLowerCase();

/** What the chat pane shows of an email's earlier chats: at most `max`, without the chat `exceptId`. */
export function earlierChatsOf(
  s: HistoryState,
  email: string,
  exceptId: string,
  max: number,
): { status: LoadStatus; items: TranscriptSummary[]; more: boolean } | null {
  const e = s.earlier[emailKey(email)];
  if (!e) return null;
  const others = e.items.filter((r) => r.conversationId !== exceptId);
  return { status: e.status, items: others.slice(0, max), more: e.more || others.length > max };
}
