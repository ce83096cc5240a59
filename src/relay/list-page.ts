/**
 * Paging of an agent's list (the `welcome` and `list` frames): queued conversations
 * first in line first, then the queued messages left while nobody could answer
 * (`offline`, oldest first), then the agent's own active ones, cut at `MAX_PAGE_BYTES`.
 * The cursor says where the next page starts in a way that survives changes between
 * pages: `q.<time>.<id>` continues the queue after that place by age (it never changes),
 * `m.<time>.<id>` the messages left likewise, `o.<id>` continues the agent's own list
 * after that conversation (or from the start of it, when that one is no longer the
 * agent's: a repeat, never a gap).
 */
import type { ConversationSummary } from '../protocol/index.js';
import { Page } from './paging.js';
import type { QueueOrder } from './queue-order.js';

/** A page of the list and the cursor of the next one. */
export interface ListPage {
  conversations: ConversationSummary[];
  next?: string;
}

/**
 * One page from `cursor` (none: the first page). `own` lists the agent's active
 * conversation ids oldest first; `summary` makes a tile (null: gone, skipped).
 */
export async function listPage(
  queue: QueueOrder,
  own: () => Promise<readonly string[]>,
  summary: (id: string) => Promise<ConversationSummary | null>,
  cursor?: string,
): Promise<ListPage> {
  const [kind, key] = cursor === undefined ? ['q', ''] : [cursor.slice(0, 1), cursor.slice(2)];
  const page = new Page<ConversationSummary>();
  const out = page.items;
  if (kind === 'q') {
    for (const id of queue.queuedAfterRank(key)) {
      const s = await summary(id);
      if (s && !page.add(s)) return { conversations: out, next: `q.${queue.rankOf(out[out.length - 1]!.id) ?? key}` };
    }
  }
  if (kind === 'q' || kind === 'm') {
    // The place of the last message left on this page ('' before the first: the next page starts with them).
    let last = kind === 'm' ? key : '';
    for (const id of queue.messagesAfterRank(last)) {
      const s = await summary(id);
      if (s && !page.add(s)) return { conversations: out, next: `m.${last}` };
      if (s) last = queue.rankOf(id) ?? last;
    }
  }
  const mine = await own();
  const start = kind === 'o' ? mine.indexOf(key) + 1 : 0;
  for (const id of mine.slice(start)) {
    const s = await summary(id);
    if (s && !page.add(s)) return { conversations: out, next: `o.${out[out.length - 1]!.id}` };
  }
  return { conversations: out };
}
