/**
 * The relay's options: the public `RelayOptions` with their defaults, checked once
 * (`TypeError`/`RangeError` with exact messages) and resolved into `ResolvedOptions`.
 * Protocol limits come from src/protocol; only their defaults are applied here.
 */
import { join } from 'node:path';
import {
  ABANDONED_AFTER_MS,
  BLOCK_DAYS,
  HELLO_RATE,
  IDLE_AFTER_MS,
  MAX_OPEN_CHATS_PER_ADDRESS,
  MAX_SOCKETS_PER_ADDRESS,
  RESUME_RATE,
  FILE_REQUEST_RATE,
  VISITOR_BYTES_RATE,
  VISITOR_MESSAGE_RATE,
} from '../protocol/index.js';
import { parseTrustProxy, type ProxyTrust, type TrustProxyOption } from './client-address.js';
import { packageRoot } from './package-root.js';
import { HEARTBEAT_MS } from './presence.js';
import { SUMMARY_DELAY_MS } from './summaries.js';
import type { Rate } from './rate-limit.js';
import type { Store } from './store.js';
import type { WebhookSettings } from './webhooks.js';
import { ROUTING_DEFAULTS, type RoutingMode, type RoutingOptions } from './routing.js';
import { UNSEEN_AFTER_MS } from './unseen-messages.js';
import { parseOpeningHours, type OpeningHours } from './opening-hours.js';

/** Options of `startRelay`. Every field is optional. */
export interface RelayOptions {
  /** TCP port; default 8080; 0 picks any free port. */
  port?: number;
  /** Interface to listen on; default '127.0.0.1'. */
  host?: string;
  /** Data folder: the SQLite file (`parley.db`), and files uploaded before the store kept their bytes (`files/`); default '.parley'. */
  dataDir?: string;
  /** The store; default `new SqliteStore(join(dataDir, 'parley.db'))`, closed by `close()`. */
  store?: Store;
  /**
   * A PostgreSQL database (`postgres://USER:PASS@HOST:PORT/DB`) to keep everything in
   * instead of the SQLite file, so that several relays can share it; opened and closed
   * by the relay. Several relays on one database need `bus`.
   */
  storeUrl?: string;
  /**
   * A Redis server (`redis://HOST:PORT`) that carries news between relays and counts
   * the rate limits for all of them; opened and closed by the relay. Default: none, this
   * relay is on its own.
   */
  busUrl?: string;
  /** How often a relay on a shared bus tells the others what it has connected, and reads what it may have missed; default 5 s. */
  heartbeatMs?: number;
  /** How long message counts are gathered into one `activity` frame for agents; default 1 s. */
  summaryDelayMs?: number;
  /**
   * The relay's clock, in milliseconds since the epoch: the times of events, the rate
   * limits of this relay, abandoned and idle chats, routing's timeouts, webhooks, unread
   * answers and retention all read it. Default `Date.now`; tests step it instead of waiting.
   */
  now?: () => number;
  /** Exact origins allowed to connect and call the HTTP API; default: none configured = every origin. */
  allowedOrigins?: string[];
  /**
   * Proxies whose `X-Forwarded-For` is believed (see client-address.ts): a hop count
   * (trust that many proxies nearest the relay), or their addresses and CIDR ranges, IPv4
   * or IPv6 (`'127.0.0.1,10.0.0.0/8,::1/128'` or a list); default: none, the header is ignored.
   */
  trustProxy?: TrustProxyOption;
  /** Also serve `demo/` at `/` and the built widget at `/parley.js`; default false. */
  demo?: boolean;
  /** Visitor messages per conversation; default 20 per 10 s. */
  visitorMessageRate?: Rate;
  /** New conversations per IP address; default 30 per minute. */
  helloRate?: Rate;
  /** `resume` per address; default 120 per minute. */
  resumeRate?: Rate;
  /** Upload and download requests per address; default 600 per minute. */
  fileRequestRate?: Rate;
  /** Bytes of visitor messages per address (`count` = bytes); default 1 MiB per minute. */
  visitorBytesRate?: Rate;
  /** Sockets open at once per address (IPv6: per /64); default 100. */
  maxSocketsPerAddress?: number;
  /** How long a block lasts, in days; default 30. */
  blockDays?: number;
  /** Chats (queued or active) one address may have open at once; default 20. */
  maxOpenChatsPerAddress?: number;
  /** A queued conversation without a visitor socket ends after this long; default 10 minutes. */
  abandonedAfterMs?: number;
  /** An active conversation without messages ends after this long; default 60 minutes. */
  idleAfterMs?: number;
  /** How often abandoned and idle conversations (and, with a webhook, unseen answers) are looked for; default 30 s. */
  sweepIntervalMs?: number;
  /** With a webhook: an agent message the customer has not read this long after it was logged is told (`message.unseen`); default 10 minutes. */
  unseenAfterMs?: number;
  /** Server ping interval; a socket that missed the previous pong is terminated; default 30 s. */
  pingIntervalMs?: number;
  /** A stalled upload body (less than 16 KiB arriving in this long) is refused with 408; default 30 s. */
  uploadTimeoutMs?: number;
  /** A socket that has not said `hello` (or `resume`) after this long is closed; default 10 s. */
  helloTimeoutMs?: number;
  /** How often connected agents' tokens are re-checked (removed agents closed 4401); default 2 s. */
  agentCheckIntervalMs?: number;
  /** Folder served at `/console/`; default `dist/console` in the package. */
  consoleDir?: string;
  /** Folder served at `/` with `demo`; default `dist/demo` in the package. */
  demoDir?: string;
  /** The script tag's loader, served at `/parley.js` with the files beside it; default `dist/widget/parley.js` in the package. */
  widgetFile?: string;
  /** Log sink; default: no logging. */
  log?: (line: string) => void;
  /**
   * Where ended conversations are POSTed (docs/webhooks.md): `url` (http or https) and the
   * `secret` that signs each body. The timings are for tests: `timeoutMs` (10 s),
   * `retryMs` (the first retry's delay, 2 s), `giveUpMs` (24 h), `pollMs` (5 s).
   */
  webhook?: Partial<WebhookSettings> & { url: string; secret: string };
  /** `manual` (default): agents claim from the queue; `auto`: the relay offers each chat to an agent. */
  routing?: RoutingMode;
  /** How long an offer waits for its agent; default 30 s. */
  offerTimeoutMs?: number;
  /** How long a transfer request or an invitation waits for its answer; default 60 s. */
  requestTimeoutMs?: number;
  /** How long an agent may have no console open before their chats are handed on; default 2 min. */
  agentGoneMs?: number;
  /** How often routing's clock runs (timeouts, gone agents, offers); default 1 s. */
  routingTickMs?: number;
  /** When the team answers, such as "Mon-Fri 09:00-17:30; Sat 10:00-14:00" (`opening-hours.ts`); default: always. */
  hours?: string;
  /** The IANA time zone `hours` are read in; default UTC. */
  timezone?: string;
  /** The secret a site signs its signed-in customers' emails with (`identify`, HMAC-SHA256); default: none. */
  identitySecret?: string;
  /** Refuse chats without a valid identity signature (needs `identitySecret`). */
  requireIdentity?: boolean;
  /** Ended conversations older than this many days are deleted, with their files; default: kept. */
  retentionDays?: number;
  /** How often the relay looks for conversations past `retentionDays`; default 1 h (and at start). */
  retentionIntervalMs?: number;
}

/** Options after defaults; what the relay's parts read. */
export interface ResolvedOptions {
  port: number;
  host: string;
  dataDir: string;
  allowedOrigins: string[] | null;
  trustProxy: ProxyTrust;
  demo: boolean;
  visitorMessageRate: Rate;
  helloRate: Rate;
  resumeRate: Rate;
  fileRequestRate: Rate;
  visitorBytesRate: Rate;
  maxSocketsPerAddress: number;
  blockDays: number;
  maxOpenChatsPerAddress: number;
  abandonedAfterMs: number;
  idleAfterMs: number;
  sweepIntervalMs: number;
  unseenAfterMs: number;
  pingIntervalMs: number;
  uploadTimeoutMs: number;
  helloTimeoutMs: number;
  agentCheckIntervalMs: number;
  storeUrl: string | null;
  busUrl: string | null;
  heartbeatMs: number;
  summaryDelayMs: number;
  now: () => number;
  consoleDir: string;
  demoDir: string;
  widgetFile: string;
  log: (line: string) => void;
  webhook: WebhookSettings | null;
  routing: RoutingOptions;
  routingTickMs: number;
  hours: OpeningHours | null;
  identitySecret: string | null;
  requireIdentity: boolean;
  retentionDays: number | null;
  retentionIntervalMs: number;
}

const positive = (name: string, v: number): number => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new RangeError(`${name} must be a positive number`);
  return v;
};

const wholeCount = (name: string, v: number): number => {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer`);
  return v;
};

/** A URL option with one of the given schemes, or null when not set. */
const urlOf = (name: string, v: string | undefined, schemes: readonly string[], example: string): string | null => {
  if (v === undefined) return null;
  let scheme = '';
  try {
    scheme = new URL(v).protocol;
  } catch {
    // Reported below with the example.
  }
  if (typeof v !== 'string' || !schemes.includes(scheme)) throw new TypeError(`${name} must be a URL like ${example}`);
  return v;
};

/** The identity secret and whether it is required, checked together. */
function identityOf(o: RelayOptions): { identitySecret: string | null; requireIdentity: boolean } {
  if (o.identitySecret !== undefined && (typeof o.identitySecret !== 'string' || o.identitySecret.length < 16)) {
    throw new RangeError('identitySecret must be a string of at least 16 characters');
  }
  if (o.requireIdentity && o.identitySecret === undefined) throw new TypeError('requireIdentity needs identitySecret: nothing could be verified');
  return { identitySecret: o.identitySecret ?? null, requireIdentity: o.requireIdentity === true };
}

const routingModeOf = (m: RelayOptions['routing']): RoutingMode => {
  if (m === undefined || m === 'manual' || m === 'auto') return m ?? 'manual';
  throw new TypeError("routing must be 'manual' or 'auto'");
};

/** The webhook's settings with their defaults, or null when there is no webhook. */
function webhookOf(w: RelayOptions['webhook']): WebhookSettings | null {
  if (w === undefined) return null;
  if (typeof w !== 'object' || w === null) throw new TypeError('webhook must be { url, secret }');
  const url = urlOf('webhook.url', w.url, ['http:', 'https:'], 'https://example.com/parley-webhook')!;
  if (typeof w.secret !== 'string' || w.secret.length === 0) throw new TypeError('webhook.secret must be a non-empty string: it signs every delivery');
  return {
    url,
    secret: w.secret,
    timeoutMs: positive('webhook.timeoutMs', w.timeoutMs ?? 10_000),
    retryMs: positive('webhook.retryMs', w.retryMs ?? 2_000),
    giveUpMs: positive('webhook.giveUpMs', w.giveUpMs ?? 24 * 60 * 60_000),
    pollMs: positive('webhook.pollMs', w.pollMs ?? 5_000),
  };
}

const rate = (name: string, r: Rate): Rate => {
  if (typeof r !== 'object' || r === null) throw new TypeError(`${name} must be { count, windowMs }`);
  if (!Number.isInteger(r.count) || r.count < 1) throw new RangeError(`${name}.count must be a positive integer`);
  positive(`${name}.windowMs`, r.windowMs);
  return { count: r.count, windowMs: r.windowMs };
};

/**
 * Applies defaults and checks every option.
 * @throws TypeError / RangeError naming the option.
 */
export function resolveOptions(o: RelayOptions = {}): ResolvedOptions {
  const root = packageRoot();
  const port = o.port ?? 8080;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError('port must be an integer from 0 to 65535');
  const host = o.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host.length === 0) throw new TypeError('host must be a non-empty string');
  const dataDir = o.dataDir ?? '.parley';
  if (typeof dataDir !== 'string' || dataDir.length === 0) throw new TypeError('dataDir must be a non-empty string');
  let allowedOrigins: string[] | null = null;
  if (o.allowedOrigins !== undefined) {
    if (!Array.isArray(o.allowedOrigins) || !o.allowedOrigins.every((x) => typeof x === 'string')) {
      throw new TypeError('allowedOrigins must be an array of origins');
    }
    allowedOrigins = o.allowedOrigins.map((x) => x.trim().replace(/\/+$/, '')).filter((x) => x.length > 0);
  }
  if (o.log !== undefined && typeof o.log !== 'function') throw new TypeError('log must be a function');
  if (o.now !== undefined && typeof o.now !== 'function') throw new TypeError('now must be a function returning milliseconds since the epoch');
  if (o.store !== undefined && o.storeUrl !== undefined) throw new TypeError('give store or storeUrl, not both');
  return {
    port,
    host,
    dataDir,
    allowedOrigins,
    trustProxy: parseTrustProxy(o.trustProxy),
    demo: o.demo === true,
    visitorMessageRate: rate('visitorMessageRate', o.visitorMessageRate ?? VISITOR_MESSAGE_RATE),
    helloRate: rate('helloRate', o.helloRate ?? HELLO_RATE),
    resumeRate: rate('resumeRate', o.resumeRate ?? RESUME_RATE),
    fileRequestRate: rate('fileRequestRate', o.fileRequestRate ?? FILE_REQUEST_RATE),
    visitorBytesRate: rate('visitorBytesRate', o.visitorBytesRate ?? VISITOR_BYTES_RATE),
    maxSocketsPerAddress: wholeCount('maxSocketsPerAddress', o.maxSocketsPerAddress ?? MAX_SOCKETS_PER_ADDRESS),
    blockDays: positive('blockDays', o.blockDays ?? BLOCK_DAYS),
    maxOpenChatsPerAddress: wholeCount('maxOpenChatsPerAddress', o.maxOpenChatsPerAddress ?? MAX_OPEN_CHATS_PER_ADDRESS),
    abandonedAfterMs: positive('abandonedAfterMs', o.abandonedAfterMs ?? ABANDONED_AFTER_MS),
    idleAfterMs: positive('idleAfterMs', o.idleAfterMs ?? IDLE_AFTER_MS),
    sweepIntervalMs: positive('sweepIntervalMs', o.sweepIntervalMs ?? 30_000),
    unseenAfterMs: positive('unseenAfterMs', o.unseenAfterMs ?? UNSEEN_AFTER_MS),
    pingIntervalMs: positive('pingIntervalMs', o.pingIntervalMs ?? 30_000),
    uploadTimeoutMs: positive('uploadTimeoutMs', o.uploadTimeoutMs ?? 30_000),
    helloTimeoutMs: positive('helloTimeoutMs', o.helloTimeoutMs ?? 10_000),
    agentCheckIntervalMs: positive('agentCheckIntervalMs', o.agentCheckIntervalMs ?? 2_000),
    storeUrl: urlOf('storeUrl', o.storeUrl, ['postgres:', 'postgresql:'], 'postgres://USER:PASS@HOST:PORT/DB'),
    busUrl: urlOf('busUrl', o.busUrl, ['redis:', 'rediss:'], 'redis://HOST:PORT'),
    heartbeatMs: positive('heartbeatMs', o.heartbeatMs ?? HEARTBEAT_MS),
    summaryDelayMs: positive('summaryDelayMs', o.summaryDelayMs ?? SUMMARY_DELAY_MS),
    now: o.now ?? Date.now,
    consoleDir: o.consoleDir ?? join(root, 'dist', 'console'),
    demoDir: o.demoDir ?? join(root, 'dist', 'demo'),
    widgetFile: o.widgetFile ?? join(root, 'dist', 'widget', 'parley.js'),
    log: o.log ?? (() => {}),
    webhook: webhookOf(o.webhook),
    routing: {
      mode: routingModeOf(o.routing),
      offerMs: positive('offerTimeoutMs', o.offerTimeoutMs ?? ROUTING_DEFAULTS.offerMs),
      requestMs: positive('requestTimeoutMs', o.requestTimeoutMs ?? ROUTING_DEFAULTS.requestMs),
      agentGoneMs: positive('agentGoneMs', o.agentGoneMs ?? ROUTING_DEFAULTS.agentGoneMs),
    },
    routingTickMs: positive('routingTickMs', o.routingTickMs ?? 1_000),
    hours: o.hours === undefined ? null : parseOpeningHours(o.hours, o.timezone ?? 'UTC'),
    ...identityOf(o),
    retentionDays: o.retentionDays === undefined ? null : positive('retentionDays', o.retentionDays),
    retentionIntervalMs: positive('retentionIntervalMs', o.retentionIntervalMs ?? 60 * 60_000),
  };
}
