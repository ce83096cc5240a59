/**
 * The relay's public API: `startRelay` and its options, the `Store` interface and its
 * two implementations (SQLite and PostgreSQL), and the buses (in-process and Redis). The CLI (`cli.ts`) and tests use exactly this.
 */
export { startRelay, addAgentTo } from './server.js';
export type { Relay, RelayStats } from './server.js';
export type { RelayOptions } from './options.js';
export { SqliteStore } from './store-sqlite.js';
export { PostgresStore } from './store-postgres.js';
export { RedisBus } from './bus-redis.js';
export type { Store, ConversationRecord, AgentRecord, FileRecord, BlockRecord, UploadRequestRecord } from './store.js';
export type { Bus, BusMessage } from './bus.js';
export { LocalBus } from './bus.js';
