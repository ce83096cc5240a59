/**
 * Retention (`--retention-days N`): ended conversations older than N days are deleted
 * with everything kept of them (`Store.deleteEndedBefore`), a batch at a time so that no
 * single transaction holds the database long. Every relay may run it: deleting what is
 * already gone deletes nothing.
 */
import type { Erased, Store } from './store.js';

/** Conversations deleted per transaction. */
const BATCH = 200;
const DAY_MS = 24 * 60 * 60_000;

/** Deletes the conversations that ended more than `days` days before `now` (ms); returns the totals. */
export async function deleteExpired(store: Store, days: number, now: number): Promise<Erased> {
  const before = new Date(now - days * DAY_MS).toISOString();
  const total: Erased = { conversations: 0, files: 0, blocks: 0 };
  for (;;) {
    const r = await store.deleteEndedBefore(before, BATCH);
    total.conversations += r.conversations;
    total.files += r.files;
    total.blocks += r.blocks;
    if (r.conversations < BATCH) return total;
  }
}
