/**
 * The queue's usual wait, for a customer in the live queue to read beside their place:
 * the median time from `requested` to the first `claimed` of the last live chats
 * answered within a day, in whole seconds, and nothing until enough chats were answered
 * to say. Worked out from the store (`listRecentClaims`), so every relay sharing it
 * says the same, and read again at most every 30 s however many customers ask.
 */
import type { ClaimTimes, Store } from './store.js';

/** How the estimate is made; times in milliseconds. */
export interface QueueWaitOptions {
  /** The most recent first claims looked at. */
  sample: number;
  /** Only claims this recent count. */
  windowMs: number;
  /** Fewer claims than this in the window, and there is no estimate. */
  minimum: number;
  /** How long an estimate is reused before the store is read again. */
  freshMs: number;
}

export const QUEUE_WAIT_DEFAULTS: QueueWaitOptions = { sample: 50, windowMs: 86_400_000, minimum: 5, freshMs: 30_000 };

/** The median wait of `claims` in whole seconds, or undefined with fewer than `minimum`. */
export function medianWaitSeconds(claims: readonly ClaimTimes[], minimum: number): number | undefined {
  const waits = claims
    .map((c) => Date.parse(c.claimedAt) - Date.parse(c.requestedAt))
    .filter((ms) => Number.isFinite(ms))
    .map((ms) => Math.max(0, ms))
    .sort((a, b) => a - b);
  if (waits.length === 0 || waits.length < minimum) return undefined;
  const mid = waits.length >> 1;
  const ms = waits.length % 2 === 1 ? waits[mid]! : (waits[mid - 1]! + waits[mid]!) / 2;
  return Math.round(ms / 1000);
}

/**
 * Whether a new estimate is worth telling customers already queued: the first one, or
 * one that moved by at least a minute and a quarter of the last one told (a few seconds
 * either way is noise, and every queued customer would get a frame for it).
 */
export function noticeablyChanged(told: number | undefined, now: number): boolean {
  if (told === undefined) return true;
  const moved = Math.abs(now - told);
  return moved >= 60 && moved >= told / 4;
}

/** The estimate, cached for `freshMs`; read from the store when stale. */
export class QueueWait {
  private value: number | undefined;
  private readAt = Number.NEGATIVE_INFINITY;
  private reading: Promise<void> | null = null;
  /** True until the first read has finished. */
  private firstRead = true;
  /** The last estimate passed to `onChange`. */
  private told: number | undefined;
  /** Told of an estimate that customers already queued should hear (`noticeablyChanged`). */
  onChange: (seconds: number) => void = () => {};

  constructor(
    private readonly store: Store,
    private readonly log: (line: string) => void,
    private readonly now: () => number = Date.now,
    private readonly options: QueueWaitOptions = QUEUE_WAIT_DEFAULTS,
  ) {}

  /** The estimate as last read (none before the first read), starting a new read when it is stale. */
  current(): number | undefined {
    if (this.stale()) void this.refresh();
    return this.value;
  }

  /**
   * The estimate, waiting for the store only when it was never read; a stale one is
   * given while it is read again.
   */
  async estimate(): Promise<number | undefined> {
    if (this.stale()) {
      const reading = this.refresh();
      if (this.firstRead) await reading;
    }
    return this.value;
  }

  private stale(): boolean {
    return this.now() - this.readAt >= this.options.freshMs;
  }

  /** Reads the recent claims once (concurrent callers share the read); a failed read keeps the last estimate. */
  private refresh(): Promise<void> {
    if (this.reading) return this.reading;
    const t = this.now();
    this.reading = (async () => {
      try {
        const since = new Date(t - this.options.windowMs).toISOString();
        const claims = await this.store.listRecentClaims(since, this.options.sample);
        this.value = medianWaitSeconds(claims, this.options.minimum);
        this.readAt = t;
      } catch (err) {
        // Tried again after `freshMs`, not at every frame meanwhile.
        this.readAt = t;
        this.log(`reading the queue's usual wait failed: ${String(err)}`);
      } finally {
        this.firstRead = false;
        this.reading = null;
      }
      if (this.value !== undefined && noticeablyChanged(this.told, this.value)) {
        this.told = this.value;
        this.onChange(this.value);
      }
    })();
    return this.reading;
  }
}

/** A welcome's queue fields: the place and the usual wait, only for a chat in the live queue. */
export function queueFields(position: number | undefined, wait: number | undefined): { queuePosition?: number; queueWait?: number } {
  if (position === undefined) return {};
  return wait !== undefined ? { queuePosition: position, queueWait: wait } : { queuePosition: position };
}
