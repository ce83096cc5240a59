// The server process of the bench: runs either Parley's relay (from the built relay package)
// or the bare baseline relay, and answers the orchestrator's questions about itself
// (address, agents, memory, CPU, what the relay logged). Parley's relay runs on
//   'parley'        its default SQLite store in a temporary data folder;
//   'parley-memory' an in-memory SQLite store (`new SqliteStore(':memory:')`, not durable);
//   'parley-pg'     a shared PostgreSQL database (`storeUrl`) and Redis bus (`busUrl`):
//                   the bench starts two such processes on the same database and bus.
// Started with --expose-gc so memory readings follow a full collection.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from './ipc.mjs';
import { startBaseline } from './baseline-relay.mjs';

let relay = null;
let ownStore = null; // a store this process made and must close after the relay
let dataDir = null;
let logged = { count: 0, first: [] };

async function rss() {
  // Two passes: the first collection can free finalizers that the second reclaims.
  if (global.gc) {
    global.gc();
    await new Promise((r) => setImmediate(r));
    global.gc();
  }
  return { rss: process.memoryUsage().rss, gc: Boolean(global.gc) };
}

// The data folder goes with the process, however it ends (Ctrl-C included).
process.on('exit', () => {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});
for (const [sig, n] of [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]]) process.once(sig, () => process.exit(128 + n));

const PARLEY = new Set(['parley', 'parley-memory', 'parley-pg']);

serve({
  /**
   * Starts the chosen relay ('parley', 'parley-memory', 'parley-pg' or 'baseline') and
   * adds `agents` agents; returns its url and their tokens. 'parley-pg' needs `storeUrl`
   * and `busUrl`, and takes `heartbeatMs`.
   */
  async start({ kind, agents = 0, relayModule, storeUrl, busUrl, heartbeatMs }) {
    if (PARLEY.has(kind)) {
      const { startRelay, SqliteStore } = await import(relayModule);
      dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
      // 'parley-memory' isolates the relay's own cost from the durable store's.
      if (kind === 'parley-memory') ownStore = new SqliteStore(':memory:');
      logged = { count: 0, first: [] };
      relay = await startRelay({
        ...(ownStore ? { store: ownStore } : {}),
        ...(kind === 'parley-pg' ? { storeUrl, busUrl, ...(heartbeatMs ? { heartbeatMs } : {}) } : {}),
        port: 0,
        host: '127.0.0.1',
        dataDir,
        // Generous limits: the bench measures the relay's work, not its rate limiter.
        helloRate: { count: 1_000_000, windowMs: 60_000 },
        visitorMessageRate: { count: 1_000_000, windowMs: 1_000 },
        // Every bench client shares one address: lift the per-address budgets too.
        resumeRate: { count: 1_000_000, windowMs: 60_000 },
        visitorBytesRate: { count: 1e12, windowMs: 1_000 },
        maxSocketsPerAddress: 1_000_000,
        maxOpenChatsPerAddress: 1_000_000,
        pingIntervalMs: 60_000,
        // The relay logs only what went wrong: kept, and reported under the table.
        log: (line) => {
          logged.count++;
          if (logged.first.length < 5) logged.first.push(String(line).slice(0, 300));
        },
      });
    } else {
      relay = await startBaseline({ port: 0, host: '127.0.0.1' });
    }
    const list = [];
    // Parley's addAgent is async (it writes to the store); the baseline's is not. Each
    // bench agent claims a share of a thousand chats: far more than the default capacity.
    for (let i = 0; i < agents; i++) list.push(await relay.addAgent(`Bench Agent ${i + 1}`, 10_000));
    return { url: relay.url, agents: list, pid: process.pid };
  },
  rss,
  cpu() {
    return process.cpuUsage();
  },
  /** How many lines the relay logged (all of them report failures) and the first few. */
  logs() {
    return logged;
  },
  async stop() {
    try {
      if (relay) await relay.close();
    } finally {
      relay = null;
      // A store given to startRelay stays open after close(): this process closes its own.
      if (ownStore) await Promise.resolve(ownStore.close()).catch(() => {});
      ownStore = null;
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      dataDir = null;
    }
    return true;
  },
});
