/**
 * Quick replies: the agent's saved answers, kept in `localStorage` for this console,
 * with the search the composer's `;` list uses. No DOM and no Preact here.
 */

/** One saved answer. */
export interface QuickReply {
  id: string;
  /** A short name to search by, such as "refund". */
  title: string;
  text: string;
}

/** The storage the list lives in (`localStorage` in the browser). */
export type ReplyStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** The key the list is stored under. */
export const QUICK_REPLIES_KEY = 'parley-console:quick-replies';

/** What a new console starts with. */
export const DEFAULT_QUICK_REPLIES: readonly QuickReply[] = Object.freeze([
  { id: 'hello', title: 'hello', text: 'Hello! Thanks for getting in touch. How can I help?' },
  { id: 'moment', title: 'one moment', text: 'Thanks, give me a moment to look into this.' },
  { id: 'file', title: 'file', text: 'Could you send me a screenshot or the document? I have sent you a file request.' },
  { id: 'bye', title: 'goodbye', text: 'Is there anything else I can help with? Have a great day!' },
]);

function isReply(v: unknown): v is QuickReply {
  const r = v as QuickReply;
  return typeof v === 'object' && v !== null && typeof r.id === 'string' && typeof r.title === 'string' && typeof r.text === 'string';
}

/** Reads the saved list; the defaults when nothing (or nothing readable) is stored. */
export function loadQuickReplies(storage: ReplyStorage | null): QuickReply[] {
  try {
    const raw = storage?.getItem(QUICK_REPLIES_KEY);
    if (raw) {
      const list = JSON.parse(raw) as unknown;
      if (Array.isArray(list)) return list.filter(isReply);
    }
  } catch {
    /* unreadable: fall back to the defaults */
  }
  return DEFAULT_QUICK_REPLIES.map((r) => ({ ...r }));
}

/** Saves the list. Returns false when storage refused it (full or disabled). */
export function saveQuickReplies(storage: ReplyStorage | null, list: readonly QuickReply[]): boolean {
  try {
    storage?.setItem(QUICK_REPLIES_KEY, JSON.stringify(list));
    return storage !== null;
  } catch {
    return false;
  }
}

/** Replies whose title or text contains every word of `query` (case-insensitive), titles first. */
export function searchQuickReplies(list: readonly QuickReply[], query: string): QuickReply[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const hits = list.filter((r) => {
    const hay = `${r.title} ${r.text}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
  const inTitle = (r: QuickReply) => words.every((w) => r.title.toLowerCase().includes(w));
  return hits.sort((a, b) => Number(inTitle(b)) - Number(inTitle(a)));
}

/**
 * Finds the `;query` the caret is in: a `;` at the start or after whitespace, and the
 * text up to the caret without a line break. Returns where it starts and the query.
 */
export function quickReplyTrigger(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf(';');
  if (at < 0) return null;
  if (at > 0 && !/\s/.test(before[at - 1]!)) return null;
  const query = before.slice(at + 1);
  if (/[\n;]/.test(query) || query.length > 40) return null;
  return { start: at, query };
}

/** A small unique id for a new reply. */
export function newReplyId(): string {
  return `q${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}
