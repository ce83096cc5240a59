/**
 * `message.unseen` (docs/webhooks.md): agent messages that the customer has not read
 * (`read`) `afterMs` after the oldest of them was logged are told to the site once, in
 * one delivery per conversation and batch, so that it can email the customer the
 * answer; a later agent message, unread as long, makes a new batch. Ended chats count:
 * the answer may be the last thing an agent wrote. Every relay looks as often as it
 * sweeps; the store records each batch once (`recordUnseen`), however many relays find
 * it at once.
 */
import type { LogEvent } from '../protocol/index.js';
import type { DeliveriesStored } from './conversation-log.js';
import type { Store, UnseenRecord } from './store.js';
import { unseenDelivery } from './webhooks.js';

/** How long an agent message may stay unread before the site is told, by default (10 minutes). */
export const UNSEEN_AFTER_MS = 10 * 60_000;

/**
 * Messages unread this long when first looked at (a webhook configured later, a relay
 * stopped for a day) are passed over, not told: too late to be news. Newer ones of the
 * same chat are still told, in a batch of their own.
 */
export const UNSEEN_TOO_OLD_MS = 24 * 60 * 60_000;

/** Conversations looked at per round, and rounds per check. */
const BATCH = 100;
const ROUNDS = 10;

const iso = (ms: number): string => new Date(ms).toISOString();

/** Finds due unseen agent messages and records their deliveries. One per relay process, with a webhook. */
export class UnseenMessages {
  constructor(
    private readonly store: Store,
    private readonly afterMs: number,
    /** Told when deliveries were stored (the sender looks for due ones). */
    private readonly stored: DeliveriesStored,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a delivery for each conversation whose oldest unseen agent message is due; returns how many. */
  async check(): Promise<number> {
    const t = this.now();
    const due = iso(t - this.afterMs);
    let recorded = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const found = await this.store.listUnseen('', due, BATCH);
      let moved = 0;
      for (const seen of found) {
        const r = await this.settle(seen, due, t);
        if (r !== 'unchanged') moved++;
        if (r === 'told') recorded++;
      }
      // A full round that moved something may have left more behind it.
      if (found.length < BATCH || moved === 0) break;
    }
    if (recorded > 0) this.stored();
    return recorded;
  }

  /** Tells of one conversation's unseen agent messages, or passes them over when too old. */
  private async settle(seen: UnseenRecord, due: string, t: number): Promise<'told' | 'passed' | 'unchanged'> {
    const from = Math.max(seen.visitorReadSeq, seen.notifiedSeq);
    const unseen = (await this.store.readEvents(seen.id, from)).filter((e): e is Extract<LogEvent, { type: 'message' }> => e.type === 'message' && e.from === 'agent');
    const first = unseen[0];
    const last = unseen[unseen.length - 1];
    // Nothing unseen after all, or not yet due: the store works out `unseen_since` again.
    if (!first || !last || first.at > due) return (await this.store.recordUnseen(seen, from, null)) ? 'passed' : 'unchanged';
    const tooOld = iso(t - UNSEEN_TOO_OLD_MS);
    if (first.at < tooOld) {
      // Passed over up to the last message that old; newer ones are a batch of their own.
      const stale = unseen.filter((m) => m.at < tooOld).at(-1)!;
      return (await this.store.recordUnseen(seen, stale.seq, null)) ? 'passed' : 'unchanged';
    }
    return (await this.store.recordUnseen(seen, last.seq, unseenDelivery(seen.id, iso(t), from, last.seq))) ? 'told' : 'unchanged';
  }
}
