/**
 * `RedisBus`: the `Bus` that carries `BusMessage`s between relays through Redis
 * pub/sub, so that several relays sharing one database hear about every write.
 * Pub/sub is best effort (a relay that was cut off misses what was published
 * meanwhile); the relay covers gaps by re-reading the log from the database, and
 * `onReconnect` tells it when to.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { deliver, AfterReplies, type Bus, type BusMessage, type Origin } from './bus.js';

/** Options of `RedisBus.open`. */
export interface RedisBusOptions {
  /** The pub/sub channel every relay of one deployment shares (default `parley:bus`). */
  channel?: string;
  /** Reports listener errors, unreadable messages and Redis connection errors (once per outage). */
  onError?: (err: unknown) => void;
  /** One line per notable change of the connection (lost, restored). */
  log?: (line: string) => void;
  /**
   * Called when the subscription is confirmed again after the connection to Redis was
   * lost: whatever other relays published meanwhile is gone, so the relay should re-read
   * what it may have missed from the database.
   */
  onReconnect?: () => void;
  /** How long `open` waits for the first subscription before it gives up (default 10 000 ms). */
  openTimeoutMs?: number;
  /**
   * At most this many publishes wait for Redis (while it is away) before newer ones are
   * dropped and reported (default 10 000); the database re-read covers what is dropped.
   */
  maxPending?: number;
}

/** What travels on the channel: the publishing relay's id and its message. */
interface Envelope {
  from: string;
  message: BusMessage;
}

/** Every `BusMessage` kind this relay understands; anything else is reported and skipped. */
const KINDS: ReadonlySet<string> = new Set<BusMessage['kind']>([
  'events',
  'summary',
  'activity',
  'queue',
  'note',
  'typing',
  'read',
  'presence',
  'heartbeat',
  'close_visitors',
]);

/**
 * Publish/subscribe between relays over one Redis channel. Each message reaches this
 * relay's listeners as `local` once the work that published it has settled, and every
 * other relay's as `remote`, in the order it was published (Redis keeps one
 * connection's order).
 */
export class RedisBus implements Bus {
  readonly relayId = randomUUID();
  readonly shared = true;
  private readonly listeners = new Set<(message: BusMessage, origin: Origin) => void>();
  private readonly afterReplies = new AfterReplies((m) => deliver(this.listeners, m, 'local', this.onError));
  private readonly channel: string;
  private readonly onError: (err: unknown) => void;
  private readonly log: (line: string) => void;
  private readonly onReconnect: () => void;
  private readonly maxPending: number;
  private closed = false;
  private closing: Promise<void> | undefined;
  /** Publishes sent to ioredis and not yet answered (they wait in its offline queue while Redis is away). */
  private pending = 0;
  private droppedReported = false;
  /** Set once the first subscription is confirmed; only losses after that count as outages. */
  private subscribed = false;
  /** The subscriber connection closed after having been subscribed, and the subscription is not confirmed again yet. */
  private lost = false;
  /** Bumped on every `ready` after a loss, so that only the latest confirmation calls `onReconnect`. */
  private readyGeneration = 0;

  /** False while the subscription is lost (Redis away): other relays cannot be heard. */
  get hearing(): boolean {
    return this.subscribed && !this.lost && !this.closed;
  }

  private constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    options: RedisBusOptions,
  ) {
    this.channel = options.channel ?? 'parley:bus';
    this.onError = options.onError ?? (() => {});
    this.log = options.log ?? (() => {});
    this.onReconnect = options.onReconnect ?? (() => {});
    this.maxPending = options.maxPending ?? 10_000;
    reportErrorsOncePerOutage(pub, (err) => this.onError(err));
    reportErrorsOncePerOutage(sub, (err) => this.onError(err));
    sub.on('message', (channel: string, text: string) => this.received(channel, text));
    sub.on('close', () => this.subscriberClosed());
    sub.on('ready', () => this.subscriberReady());
  }

  /**
   * Connects to Redis at `url` (one connection publishes, one subscribes: a subscribed
   * connection can do nothing else) and resolves once subscribed to the channel.
   * @throws Error when Redis does not confirm the subscription within `openTimeoutMs`.
   */
  static async open(url: string, options: RedisBusOptions = {}): Promise<RedisBus> {
    // Both connections wait for Redis rather than fail a command: `maxRetriesPerRequest:
    // null` keeps commands queued across reconnect attempts, and the offline queue (on by
    // default, kept on) holds publishes while Redis is away, so a short outage loses
    // nothing on the publishing side, in order. `autoResubscribe` (default) subscribes the
    // subscriber again after each reconnect.
    const pub = new Redis(url, { maxRetriesPerRequest: null, enableOfflineQueue: true });
    const sub = new Redis(url, { maxRetriesPerRequest: null, enableOfflineQueue: true, autoResubscribe: true });
    const bus = new RedisBus(pub, sub, options);
    const timeoutMs = options.openTimeoutMs ?? 10_000;
    try {
      await withTimeout(sub.subscribe(bus.channel), timeoutMs, `Redis did not confirm the bus subscription within ${timeoutMs} ms`);
    } catch (err) {
      bus.closed = true;
      pub.disconnect();
      sub.disconnect();
      throw err;
    }
    bus.subscribed = true;
    return bus;
  }

  publish(message: BusMessage, onlyHere = false): void {
    if (this.closed) return;
    this.afterReplies.push(message);
    if (onlyHere) return;
    if (this.pending >= this.maxPending) {
      if (!this.droppedReported) {
        this.droppedReported = true;
        this.onError(new Error(`Redis bus: ${this.maxPending} publishes wait for Redis; dropping newer ones until it answers`));
      }
      return;
    }
    let payload: string;
    try {
      payload = JSON.stringify({ from: this.relayId, message } satisfies Envelope);
    } catch (err) {
      this.onError(err);
      return;
    }
    this.pending++;
    this.pub.publish(this.channel, payload).then(
      () => {
        this.pending--;
        this.droppedReported = false;
      },
      (err: unknown) => {
        this.pending--;
        // Publishes still waiting when the bus closes are rejected by ioredis: expected.
        if (!this.closed) this.onError(err);
      },
    );
  }

  subscribe(listener: (message: BusMessage, origin: Origin) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Unsubscribes and closes both connections; later calls return the same promise. */
  close(): Promise<void> {
    return (this.closing ??= this.shutdown());
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    await Promise.all([
      end(this.sub, async () => {
        await this.sub.unsubscribe(this.channel);
      }),
      end(this.pub),
    ]);
  }

  /** A message from the channel: another relay's is delivered as `remote`, this relay's own is skipped. */
  private received(channel: string, text: string): void {
    if (this.closed || channel !== this.channel) return;
    const envelope = parseEnvelope(text);
    if (envelope instanceof Error) {
      this.onError(envelope);
      return;
    }
    if (envelope.from === this.relayId) return;
    deliver(this.listeners, envelope.message, 'remote', this.onError);
  }

  private subscriberClosed(): void {
    if (this.closed || !this.subscribed || this.lost) return;
    this.lost = true;
    this.log(`Redis bus: connection lost; reconnecting (messages published meanwhile are not heard)`);
  }

  /**
   * The subscriber is connected again. ioredis has already sent SUBSCRIBE again
   * (`autoResubscribe`); one more SUBSCRIBE on the same connection is answered after it,
   * so its answer confirms that the channel is heard before `onReconnect` runs.
   */
  private subscriberReady(): void {
    if (this.closed || !this.lost) return;
    this.lost = false;
    const generation = ++this.readyGeneration;
    this.sub.subscribe(this.channel).then(
      () => {
        if (this.closed || this.lost || generation !== this.readyGeneration) return;
        this.log(`Redis bus: subscription to ${this.channel} restored`);
        try {
          this.onReconnect();
        } catch (err) {
          this.onError(err);
        }
      },
      (err: unknown) => {
        if (!this.closed) this.onError(err);
      },
    );
  }
}

/** Reads one channel message, or says why it cannot. */
function parseEnvelope(text: string): Envelope | Error {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return new Error(`Redis bus: a message that is not JSON was skipped (${text.length} characters)`);
  }
  if (!isRecord(value) || typeof value.from !== 'string' || !isRecord(value.message)) {
    return new Error('Redis bus: a message without `from` and `message` was skipped');
  }
  const kind = value.message.kind;
  if (typeof kind !== 'string' || !KINDS.has(kind)) {
    return new Error(`Redis bus: a message of unknown kind ${JSON.stringify(kind)} was skipped`);
  }
  // The relays on one channel run this same code; the kind is the part worth checking.
  return { from: value.from, message: value.message as BusMessage };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * ioredis emits an error for every failed reconnect attempt; the first of each outage
 * is reported, the rest are the same news.
 */
function reportErrorsOncePerOutage(conn: Redis, report: (err: unknown) => void): void {
  let reported = false;
  conn.on('error', (err: unknown) => {
    if (reported) return;
    reported = true;
    report(err);
  });
  conn.on('ready', () => {
    reported = false;
  });
}

/**
 * Closes a connection politely when Redis answers (`before`, then QUIT), at once
 * otherwise: QUIT on a connection that is away would wait for a reconnect. A connection
 * that drops meanwhile, or a Redis that does not answer within `timeoutMs`, is cut.
 */
async function end(conn: Redis, before?: () => Promise<void>, timeoutMs = 1000): Promise<void> {
  if (conn.status === 'end') return;
  if (conn.status !== 'ready') {
    conn.disconnect();
    return;
  }
  let dropped: (() => void) | undefined;
  const droppedMeanwhile = new Promise<void>((resolve) => conn.once('close', (dropped = resolve)));
  try {
    await withTimeout(
      Promise.race([
        (async () => {
          await before?.();
          await conn.quit();
        })(),
        droppedMeanwhile,
      ]),
      timeoutMs,
      'Redis did not answer QUIT',
    );
  } catch {
    // Cut below.
  } finally {
    if (dropped) conn.off('close', dropped);
  }
  conn.disconnect(); // harmless after QUIT; stops reconnecting otherwise
}

/** `promise`, or a rejection with `message` after `ms`. */
function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
