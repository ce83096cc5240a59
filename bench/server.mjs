// The server process of the bench: runs either Parley's relay (from the built dist/relay)
// with a SQLite store in a temporary data folder, or the bare baseline relay, and answers
// the orchestrator's questions about itself (address, agents, memory). Started with
// --expose-gc so memory readings follow a full collection.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from './ipc.mjs';
import { startBaseline } from './baseline-relay.mjs';

let relay = null;
let dataDir = null;

async function rss() {
  // Two passes: the first collection can free finalizers that the second reclaims.
  if (global.gc) {
    global.gc();
    await new Promise((r) => setImmediate(r));
    global.gc();
  }
  return { rss: process.memoryUsage().rss, gc: Boolean(global.gc) };
}

serve({
  /** Starts the chosen relay ('parley', 'parley-memory' or 'baseline') and adds `agents` agents; returns its url and their tokens. */
  async start({ kind, agents = 0, relayModule }) {
    if (kind === 'parley' || kind === 'parley-memory') {
      const { startRelay, MemoryStore } = await import(relayModule);
      dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
      relay = await startRelay({
        // 'parley-memory' isolates the relay's own cost from the store's (not durable).
        ...(kind === 'parley-memory' ? { store: new MemoryStore() } : {}),
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
        log: () => {},
      });
    } else {
      relay = await startBaseline({ port: 0, host: '127.0.0.1' });
    }
    const list = [];
    for (let i = 0; i < agents; i++) list.push(relay.addAgent(`Bench Agent ${i + 1}`));
    return { url: relay.url, agents: list, pid: process.pid };
  },
  rss,
  cpu() {
    return process.cpuUsage();
  },
  async stop() {
    if (relay) await relay.close();
    relay = null;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    dataDir = null;
    return true;
  },
});
