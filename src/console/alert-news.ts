/**
 * What is news for the agent between two snapshots, for the alerts (sound, desktop
 * notifications): a chat that started waiting in the live queue (a message a customer
 * left while nobody could answer is not: Messages counts it quietly), a chat offered to them, a transfer
 * request or invitation for them, and new customer messages in the chats they are in.
 * Nothing about the chat open in a tab in view is news: they see it. Nothing is news
 * across a sign-in (the welcome's list is not new to anyone). Pure.
 */
import type { ChatView, ConsoleState } from './console-state.js';
import { askedOf } from './routing-selectors.js';
import { tileKind } from './selectors.js';

/** One piece of news about one chat. */
export type News =
  | { kind: 'waiting'; chatId: string; customer: string }
  | { kind: 'offer' | 'transfer' | 'invite'; chatId: string; customer: string; from: string | null }
  | { kind: 'message'; chatId: string; customer: string; count: number; text: string | null };

const customerOf = (chat: ChatView): string => {
  const v = chat.state.visitor ?? chat.summary?.visitor;
  return v?.name || v?.email || 'A customer';
};

/** Customer messages that `now` has and `was` had not, with the last one's text when the log is loaded. */
function newMessages(was: ChatView, now: ChatView): { count: number; text: string | null } | null {
  if (was.loaded && now.loaded) {
    const seqs = now.state.visitorMessageSeqs.filter((s) => s > was.state.lastSeq);
    if (seqs.length === 0) return null;
    const last = now.log.find((e) => e.seq === seqs[seqs.length - 1]);
    return { count: seqs.length, text: last?.type === 'message' ? last.text : null };
  }
  if (was.loaded || now.loaded) return null; // a log loading is not news
  const count = (now.summary?.unread ?? 0) - (was.summary?.unread ?? 0);
  return count > 0 ? { count, text: null } : null;
}

/** The news in `after` that `before` did not have, at most one piece per chat. */
export function newsBetween(before: ConsoleState, after: ConsoleState): News[] {
  const me = after.agent?.id;
  if (!me || before.agent?.id !== me) return [];
  const news: News[] = [];
  for (const [id, chat] of Object.entries(after.chats)) {
    if (!after.hidden && after.selectedId === id) continue;
    const was = before.chats[id];
    const customer = customerOf(chat);
    const asked = askedOf(chat, me);
    const wasAsked = was ? askedOf(was, me) : null;
    if (asked && (wasAsked?.kind !== asked.kind || wasAsked.until !== asked.until)) {
      news.push({ kind: asked.kind, chatId: id, customer, from: asked.from?.name ?? null });
      continue;
    }
    const kind = tileKind(chat, me);
    if (kind === 'unassigned' && (!was || tileKind(was, me) !== 'unassigned')) {
      news.push({ kind: 'waiting', chatId: id, customer });
      continue;
    }
    const m = (kind === 'own' || kind === 'guest') && was ? newMessages(was, chat) : null;
    if (m) news.push({ kind: 'message', chatId: id, customer, ...m });
  }
  return news;
}
