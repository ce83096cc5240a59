/**
 * What an agent's list shows of one conversation (`ConversationSummary`), and when
 * agents are told of it. A new status or owner changes every agent's list, so that
 * summary goes to all at once; anything else (a message, a read) only changes the
 * counts on one tile, so such changes are gathered for `SUMMARY_DELAY_MS` and sent as
 * one small `activity` frame per conversation.
 */
import type { ConversationSummary } from '../protocol/index.js';
import type { BusMessage } from './bus.js';
import type { ConversationCache } from './conversation-cache.js';
import type { Presence } from './presence.js';

/**
 * How long changes that leave a conversation's status and owner alone (messages) are
 * gathered into one summary for the agents who hear it, by default.
 */
export const SUMMARY_DELAY_MS = 1_000;

/** Builds summaries and publishes them now or gathered. */
export class Summaries {
  /** Conversations whose hearers are owed a summary (see `summaryLater`). */
  private readonly staleSummaries = new Set<string>();
  private summaryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly cache: ConversationCache,
    private readonly presence: Presence,
    /** Publishes after the commit of what it reports (the service's `publish`). */
    private readonly publish: (message: BusMessage) => void,
    private readonly delayMs = SUMMARY_DELAY_MS,
  ) {}

  /** The list view of one conversation. */
  async summary(id: string): Promise<ConversationSummary | null> {
    const e = await this.cache.entry(id);
    if (!e) return null;
    const s = e.state;
    const out: ConversationSummary = {
      id,
      status: s.status,
      visitor: s.visitor ?? { email: e.record.email },
      visitorOnline: this.presence.visitorOnline(id),
      requestedAt: s.requestedAt ?? e.record.createdAt,
      lastSeq: s.lastSeq,
      unread: s.visitorMessageSeqs.filter((q) => q > e.record.agentReadSeq).length,
    };
    if (s.page) out.page = s.page;
    // A message left stays one for good (its origin); queued, it is listed apart from the live queue.
    if (s.offline) out.offline = true;
    if (s.owner) out.ownerId = s.owner.id;
    if (s.guests.length > 0) out.guests = s.guests;
    if (s.offer) out.offer = { agentId: s.offer.agent.id, until: s.offer.until };
    if (s.transferRequest) out.transferRequest = s.transferRequest;
    if (s.invite) out.invite = { from: s.invite.from, to: s.invite.to, until: s.invite.until };
    return out;
  }

  /** Publishes a summary to every signed-in agent; it says all that a gathered one would. */
  publishSummary(id: string): void {
    this.staleSummaries.delete(id);
    // A summary that cannot be read now (the store is away) is sent with the next change.
    void this.summary(id).then(
      (summary) => summary && this.publish({ kind: 'summary', summary }),
      () => {},
    );
  }

  /** Sends the owner and watchers one summary of this conversation within the delay, however many changes come first. */
  summaryLater(id: string): void {
    this.staleSummaries.add(id);
    if (this.summaryTimer) return;
    this.summaryTimer = setTimeout(async () => {
      this.summaryTimer = null;
      const ids = [...this.staleSummaries];
      this.staleSummaries.clear();
      for (const c of ids) {
        const s = await this.summary(c).catch(() => null);
        if (!s) continue;
        // Only the counts changed: a few bytes, not the whole tile. A queued chat's tile
        // is on every agent's list; an active one only on its owner's (and watchers').
        const activity = { kind: 'activity' as const, conversationId: c, lastSeq: s.lastSeq, unread: s.unread };
        this.publish(s.status === 'queued' ? activity : { ...activity, agentIds: s.ownerId ? [s.ownerId] : [] });
      }
    }, this.delayMs);
    this.summaryTimer.unref();
  }

  /** Drops what is gathered and its timer (after close). */
  clear(): void {
    if (this.summaryTimer) clearTimeout(this.summaryTimer);
    this.summaryTimer = null;
    this.staleSummaries.clear();
  }
}
