/**
 * The webhook sender (docs/webhooks.md). Deliveries are rows the store wrote in the
 * commit of the event that caused them (`ConversationLog.commit`); this sends them, at
 * least once: it leases due deliveries from the store (so with several relays each is
 * sent by one relay at a time), POSTs each signed body with a timeout, and records the
 * outcome: sent on a 2xx, otherwise tried again after an exponentially growing delay
 * (with jitter) until `giveUpMs` after the event. A relay that dies mid-attempt leaves
 * a lease that runs out, and whichever relay looks next sends it again, with the same
 * `Parley-Delivery` id. Nothing here runs on a chat's path: a slow receiver slows only
 * this loop.
 */
import { newId } from './ids.js';
import type { DeliveryRecord, DeliveryResult, NewDelivery, Store } from './store.js';
import { deliveryData } from './webhook-bodies.js';
import { signatureHeader } from './webhook-signature.js';

/** Where and how deliveries go (`--webhook`, `--webhook-secret` and the timings). */
export interface WebhookSettings {
  url: string;
  secret: string;
  /** How long one attempt may take before it counts as failed. */
  timeoutMs: number;
  /** The delay after the first failed attempt; each later one doubles it (up to an hour). */
  retryMs: number;
  /** After this long since the event, a delivery that still failed is given up. */
  giveUpMs: number;
  /** How often the store is looked at for due deliveries (retries, other relays' work). */
  pollMs: number;
}

/** The longest wait between two attempts. */
const MAX_RETRY_MS = 60 * 60_000;
/** Deliveries leased at once; each gets its own request. */
const BATCH = 10;

/** A new delivery of `conversation.ended` for conversation `id`, ended at `at`. */
export function endedDelivery(id: string, at: string): NewDelivery {
  return { id: newId(), type: 'conversation.ended', conversationId: id, createdAt: at };
}

/** A new delivery of `conversation.offline_message` for conversation `id`, left at `at`. */
export function offlineMessageDelivery(id: string, at: string): NewDelivery {
  return { id: newId(), type: 'conversation.offline_message', conversationId: id, createdAt: at };
}

/** A new delivery of `message.unseen`: conversation `id`'s agent messages after `afterSeq` up to `upToSeq`, found unread at `at`. */
export function unseenDelivery(id: string, at: string, afterSeq: number, upToSeq: number): NewDelivery {
  return { id: newId(), type: 'message.unseen', conversationId: id, createdAt: at, batch: { afterSeq, upToSeq } };
}

/**
 * The wait before attempt `attempts + 1`: `retryMs` doubled per failed attempt, at most
 * an hour, of which a random half is dropped (so receivers coming back are not hit by
 * every relay at once).
 */
export function retryDelay(attempts: number, retryMs: number, random: () => number): number {
  const full = Math.min(retryMs * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
  return full / 2 + (full / 2) * random();
}

/** Sends the deliveries the store holds; one per relay process. */
export class WebhookSender {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private readonly aborts = new AbortController();

  constructor(
    private readonly store: Store,
    private readonly settings: WebhookSettings,
    /** This relay's id: the owner of the leases it takes. */
    private readonly owner: string,
    private readonly log: (line: string) => void,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  /** Looks for due deliveries now and every `pollMs`. */
  start(): void {
    this.timer = setInterval(() => this.nudge(), this.settings.pollMs);
    this.timer.unref();
    this.nudge();
  }

  /** Looks for due deliveries soon (a new one was just stored). */
  nudge(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err: unknown) => this.log(`webhook: ${String(err)}`))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
  }

  /** Stops looking and abandons attempts in flight (their leases run out; another look sends them). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.aborts.abort();
    await this.running;
  }

  /** Leases and sends due deliveries until none are left. */
  private async drain(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const t = this.now();
      const leaseUntil = new Date(t + this.settings.timeoutMs + 5_000).toISOString();
      const batch = await this.store.claimDeliveries(this.owner, new Date(t).toISOString(), leaseUntil, BATCH);
      await Promise.all(batch.map((d) => this.attempt(d)));
      if (batch.length < BATCH) return;
    }
  }

  /** One attempt at one delivery, and its outcome recorded. */
  private async attempt(d: DeliveryRecord): Promise<void> {
    const error = await this.send(d);
    if (this.closed) return;
    const t = this.now();
    const at = new Date(t).toISOString();
    let result: DeliveryResult;
    if (error === null) {
      result = { sent: true, at };
    } else {
      const next = t + retryDelay(d.attempts, this.settings.retryMs, this.random);
      const gaveUp = error === GONE || next > Date.parse(d.createdAt) + this.settings.giveUpMs;
      result = { sent: false, at, error, retryAt: gaveUp ? null : new Date(next).toISOString() };
      this.log(`webhook ${d.type} ${d.id} attempt ${d.attempts} failed (${error}); ${gaveUp ? 'given up' : `next at ${result.retryAt}`}`);
    }
    await this.store.settleDelivery(d.id, this.owner, result);
  }

  /** POSTs the delivery; null when the receiver answered 2xx, else why not. */
  private async send(d: DeliveryRecord): Promise<string | null> {
    const data = await deliveryData(this.store, d);
    if (!data) return GONE;
    const body = JSON.stringify({ id: d.id, type: d.type, createdAt: d.createdAt, data });
    const signal = AbortSignal.any([this.aborts.signal, AbortSignal.timeout(this.settings.timeoutMs)]);
    try {
      const res = await fetch(this.settings.url, {
        method: 'POST',
        redirect: 'manual',
        signal,
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'parley-relay',
          'Parley-Event': d.type,
          'Parley-Delivery': d.id,
          'Parley-Signature': signatureHeader(this.settings.secret, Math.floor(this.now() / 1000), body),
        },
        body,
      });
      await res.body?.cancel();
      return res.status >= 200 && res.status < 300 ? null : `HTTP ${res.status}`;
    } catch (err) {
      if (signal.aborted && !this.aborts.signal.aborted) return `no answer in ${this.settings.timeoutMs / 1000} s`;
      return (err as { cause?: { code?: string } }).cause?.code ?? (err instanceof Error ? err.message : String(err));
    }
  }
}

/** Why a delivery whose conversation is no longer stored (erased) is given up. */
const GONE = 'the conversation is no longer stored';
