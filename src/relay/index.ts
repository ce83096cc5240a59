/**
 * The relay's public API: `startRelay` and its options, the `Store` interface and its
 * two implementations. The CLI (`cli.ts`) and tests use exactly this.
 */
export { startRelay, addAgentTo } from './server.js';
export type { Relay, RelayStats } from './server.js';
export type { RelayOptions } from './options.js';
export { MemoryStore } from './store-memory.js';
export { SqliteStore } from './store-sqlite.js';
export type { Store, ConversationRecord, AgentRecord, FileRecord, BlockRecord, UploadRequestRecord } from './store.js';
export type { GroupCommitOptions, CommitScheduler } from './group-commit.js';
export type { Bus, BusMessage } from './bus.js';
export { LocalBus } from './bus.js';
