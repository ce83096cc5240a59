/**
 * What the socket and HTTP handlers share: the conversation service, the socket
 * hub, the hello limiter, the resolved options and the logger. Built once per relay
 * by `server.ts`; nothing here is global.
 */
import type { Conversations } from './conversations.js';
import type { Hub } from './hub.js';
import type { Limiter } from './limiter.js';
import type { ResolvedOptions } from './options.js';
import type { Store } from './store.js';
import type { Answering } from './answering.js';
import type { QueueWait } from './queue-wait.js';

/** The relay's shared parts. */
export interface RelayContext {
  conversations: Conversations;
  /** The store, for reads outside the conversation service (transcripts). */
  store: Store;
  hub: Hub;
  /** `hello` per address (`helloRate`), across relays when they share Redis. */
  helloLimiter: Limiter;
  /** `resume` per address (`RESUME_RATE`). */
  resumeLimiter: Limiter;
  /** Upload and download requests per address (`fileRequestRate`). */
  fileRequestLimiter: Limiter;
  options: ResolvedOptions;
  log: (line: string) => void;
  /** Upload request ids whose body is being received now: one body per request at a time. */
  uploadsInFlight: Set<string>;
  /** Resolves when the store answers (`/healthz`). */
  storeAnswers: () => Promise<void>;
  /** Downloads being sent now (`MAX_DOWNLOADS_AT_ONCE`). */
  downloads: { sending: number };
  /** Whether someone can answer a new chat now (`GET /v1/availability`). */
  answering: Answering;
  /** The queue's usual wait, for queued visitors (`queue-wait.ts`). */
  queueWait: QueueWait;
}
