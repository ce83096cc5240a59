/**
 * Whether someone can answer a new chat now, for the widget to say before the customer
 * types anything (`GET /v1/availability`): inside the opening hours (when `--hours` is
 * set) and with at least one agent online with a free place. Read at most every two
 * seconds, however many pages ask: the answer is a hint, and a chat asked for anyway is
 * still queued. It also says when the relay takes only customers the site vouched for.
 */
import type { AvailabilityAnswer } from '../protocol/index.js';
import type { Availability } from './availability.js';
import { isOpen, nextOpening, type OpeningHours } from './opening-hours.js';
import type { Store } from './store.js';

/** How long an answer is reused. */
const FRESH_MS = 2_000;

export class Answering {
  private last: { at: number; answer: Promise<AvailabilityAnswer> } | null = null;

  constructor(
    private readonly store: Store,
    private readonly availability: Availability,
    private readonly hours: OpeningHours | null,
    /** The relay runs with `--require-identity`: every answer says so (the widget shows the site's line, not the form). */
    private readonly identityRequired = false,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether a chat asked for now can be answered now. */
  answer(): Promise<AvailabilityAnswer> {
    const t = this.now();
    if (this.last && t - this.last.at < FRESH_MS) return this.last.answer;
    const answer = this.compute(new Date(t)).then((a) => (this.identityRequired ? { ...a, identityRequired: true as const } : a));
    this.last = { at: t, answer };
    answer.catch(() => (this.last = null));
    return answer;
  }

  private async compute(at: Date): Promise<AvailabilityAnswer> {
    if (this.hours && !isOpen(this.hours, at)) return { available: false, reason: 'closed', opensAt: nextOpening(this.hours, at)?.toISOString() ?? null };
    for (const a of await this.store.listAgents()) {
      if (!this.availability.isOnline(a.id)) continue;
      const load = await this.availability.load(a.id);
      if (load && load.active < load.capacity) return { available: true };
    }
    return { available: false, reason: 'busy' };
  }
}
