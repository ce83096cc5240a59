// The bench's private PostgreSQL and Redis, for the rows of two relays sharing them,
// started by scripts/local-servers.mjs (the recipe the tests use too), with one
// difference: PostgreSQL runs with fsync on (its default, and synchronous_commit on),
// because the bench measures durable acks and an ack must mean the event survives a
// power cut, as it does with the SQLite store (synchronous=FULL). Redis keeps nothing on
// disk: it carries news and rate limits, not data. What is the bench's own lives here:
// the CPU time the servers use (read from Linux /proc), starting both together, and the
// text of the rows when the binaries are missing. Both servers are stopped by `stop()`
// or, as a last resort, when this process exits (also on SIGINT, SIGTERM and SIGHUP,
// which are turned into an exit for that purpose).
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createDatabase, exitOnSignals, postgresBinaries, redisBinary, startPostgres, startRedis } from '../scripts/local-servers.mjs';

/** What the rows of the two relays say when the binaries are not there. */
export const NOT_INSTALLED = 'not run: install postgresql and redis-server';

/** The Debian packages missing for the two-relay rows (empty when both are installed). */
export function missingBinaries() {
  const out = [];
  if (!postgresBinaries()) out.push('postgresql');
  if (!redisBinary()) out.push('redis-server');
  return out;
}

// ---- CPU time of other processes (Linux /proc) ------------------------------------

let ticks = 0;
function clockTicks() {
  if (!ticks) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

/** Fields of /proc/PID/stat after the command name: [state, ppid, …]; null when unreadable. */
function stat(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/**
 * CPU time (user + system, µs) of `pid` and its live children, plus what its reaped
 * children used; NaN where /proc cannot be read.
 */
function treeCpuMicros(pid) {
  const root = stat(pid);
  if (!root) return NaN;
  // After the name: [0] state, [1] ppid, … [11] utime, [12] stime, [13] cutime, [14] cstime.
  let t = Number(root[11]) + Number(root[12]) + Number(root[13]) + Number(root[14]);
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === pid) continue;
    const f = stat(name);
    if (f && Number(f[1]) === pid) t += Number(f[11]) + Number(f[12]);
  }
  return (t * 1e6) / clockTicks();
}

// ---- the two servers -----------------------------------------------------------------

/**
 * A private PostgreSQL with fsync and synchronous_commit on, and a database `parley`.
 * @returns {Promise<{ url: string, dir: string, pid(): number, cpuMicros(): number, stop(): Promise<void> }>}
 */
async function benchPostgres() {
  const server = await startPostgres({ fsync: true, folderPrefix: 'parley-bench-pg-' });
  return {
    ...server,
    /** CPU time so far of the postmaster and all its processes (backends, WAL writer, checkpointer…), µs. */
    cpuMicros: () => treeCpuMicros(server.pid()),
  };
}

/**
 * A `redis-server` on a free loopback port that keeps nothing on disk.
 * @returns {Promise<{ url: string, port: number, pid: number, cpuMicros(): number, stop(): Promise<void> }>}
 */
async function benchRedis() {
  const server = await startRedis();
  const pid = server.pid();
  return { url: server.url, port: server.port, pid, cpuMicros: () => treeCpuMicros(pid), stop: server.stop };
}

let databases = 0;

/**
 * Starts PostgreSQL and Redis together, with a fresh database for the relays; if either
 * fails, stops the other before throwing.
 * @returns {Promise<{ pg: Awaited<ReturnType<typeof benchPostgres>>, redis: Awaited<ReturnType<typeof benchRedis>>, storeUrl: string, stop(): Promise<void> }>}
 */
export async function startBackends() {
  exitOnSignals();
  const [p, r] = await Promise.allSettled([benchPostgres(), benchRedis()]);
  const pgServer = p.status === 'fulfilled' ? p.value : null;
  const redis = r.status === 'fulfilled' ? r.value : null;
  const stop = async () => {
    await Promise.allSettled([pgServer?.stop(), redis?.stop()]);
  };
  try {
    if (p.status === 'rejected') throw p.reason;
    if (r.status === 'rejected') throw r.reason;
    const storeUrl = await createDatabase(pgServer.url, `parley_bench_${process.pid}_${++databases}`);
    return { pg: pgServer, redis, storeUrl, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
