// Private PostgreSQL and Redis servers started from the system's binaries, for the tests
// (through the typed wrappers test/relay/postgres-server.ts and test/relay/redis-server.ts)
// and for the bench (bench/servers.mjs). It exists so that both use one recipe rather
// than two copies that drift apart; it is plain .mjs because the bench runs under bare
// Node, with its types in local-servers.d.mts for the TypeScript that imports it.
//
// Every server listens on 127.0.0.1 on a free port and lives in a temporary folder (or
// keeps nothing on disk, for Redis). PostgreSQL refuses to run as root: then its binaries
// run as the `postgres` user (`runuser -u postgres --`). Servers are stopped by `stop()`
// or, as a last resort, when this process exits; `exitOnSignals()` makes SIGINT, SIGTERM
// and SIGHUP count as an exit for that purpose. The only difference between callers is
// durability: the tests run PostgreSQL with `fsync=off` and `initdb --no-sync` (nothing
// has to survive a power cut), the bench with fsync and synchronous_commit on (it
// measures durable acks).
import { execFile, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export const NOT_INSTALLED_POSTGRES =
  'PostgreSQL is not installed: install the Debian package postgresql (apt-get install -y postgresql)';
export const NOT_INSTALLED_REDIS =
  'Redis is not installed: install the Debian package redis-server (apt-get install -y redis-server)';

/** @returns {string[]} the folders on PATH */
const pathFolders = () => (process.env.PATH ?? '').split(delimiter).filter(Boolean);

/**
 * The folder holding `initdb` and `pg_ctl`: the newest under /usr/lib/postgresql, else on PATH.
 * @returns {string | null} null when PostgreSQL is not installed
 */
export function postgresBinaries() {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+(\.\d+)?$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  const dirs = [...versions.map((v) => join(root, v, 'bin')), ...pathFolders()];
  return dirs.find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl'))) ?? null;
}

/**
 * The `redis-server` on PATH.
 * @returns {string | null} null when Redis is not installed
 */
export function redisBinary() {
  return pathFolders().map((d) => join(d, 'redis-server')).find((f) => existsSync(f)) ?? null;
}

/**
 * A port nobody listens on right now: the one the system gives a listener on port 0.
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

// ---- last-resort cleanup ------------------------------------------------------------

/** @type {Set<() => void>} synchronous stoppers of what is still running, run when this process exits */
const leftovers = new Set();
let hooked = false;

/**
 * Runs `fn` when this process exits, unless the returned function is called first.
 * @param {() => void} fn
 * @returns {() => void} forgets `fn`
 */
function onExit(fn) {
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const f of leftovers) {
        try {
          f();
        } catch {
          // Best effort: the process is going anyway.
        }
      }
    });
  }
  leftovers.add(fn);
  return () => {
    leftovers.delete(fn);
  };
}

let signalsHooked = false;
/**
 * Turns SIGINT, SIGTERM and SIGHUP into an exit (code 128 + signal number), so that the
 * servers still running are stopped: a signal nobody catches ends Node without 'exit'
 * handlers. Signals that already have a listener are left alone.
 */
export function exitOnSignals() {
  if (signalsHooked) return;
  signalsHooked = true;
  /** @type {[NodeJS.Signals, number][]} */
  const signals = [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]];
  for (const [sig, n] of signals) {
    if (process.listenerCount(sig) === 0) process.once(sig, () => process.exit(128 + n));
  }
}

// ---- PostgreSQL ---------------------------------------------------------------------

/** PostgreSQL refuses to run as root: then its binaries run as the `postgres` user. */
const asRoot = () => process.getuid?.() === 0;

/**
 * The command line that runs `bin` with `args` as a user PostgreSQL accepts.
 * @param {string} bin
 * @param {string[]} args
 * @returns {[string, string[]]}
 */
const command = (bin, args) => (asRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args]);

/**
 * @typedef {object} PostgresOptions
 * @property {boolean} fsync true: fsync and synchronous_commit on (an ack survives a power
 *   cut); false: `fsync=off` and `initdb --no-sync` (faster; for tests)
 * @property {string[]} [settings] more server settings, each `name=value` (passed as `-c`)
 * @property {string} [folderPrefix] the temporary folder's name prefix (default `parley-pg-`)
 */

/**
 * @typedef {object} LocalPostgres
 * @property {string} url `postgres://parley@127.0.0.1:PORT/parley`
 * @property {string} dir the data folder (removed by `stop()`)
 * @property {() => number} pid the postmaster's process id; NaN once stopped
 * @property {() => Promise<void>} stop stops the server and removes its folder; idempotent
 */

/**
 * Starts a private PostgreSQL with a database `parley` that user `parley` may use without
 * a password.
 * @param {PostgresOptions} options
 * @returns {Promise<LocalPostgres>}
 */
export async function startPostgres({ fsync, settings = [], folderPrefix = 'parley-pg-' }) {
  const bin = postgresBinaries();
  if (!bin) throw new Error(NOT_INSTALLED_POSTGRES);
  const pgCtl = join(bin, 'pg_ctl');
  const dir = mkdtempSync(join(tmpdir(), folderPrefix));
  if (asRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  /** @type {(file: string, args: string[]) => Promise<unknown>} */
  const exec = (file, args) => {
    const [cmd, argv] = command(file, args);
    return run(cmd, argv, { cwd: dir });
  };
  const stopSync = () => {
    const [cmd, argv] = command(pgCtl, ['-D', dir, 'stop', '-m', 'immediate']);
    try {
      execFileSync(cmd, argv, { cwd: tmpdir(), stdio: 'ignore' });
    } catch {
      // Not running (any more).
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const forget = onExit(stopSync);
  const logTail = () => {
    try {
      return readFileSync(join(dir, 'server.log'), 'utf8').trim().split('\n').slice(-5).join(' | ');
    } catch {
      return '';
    }
  };
  const durability = fsync ? ['fsync=on', 'synchronous_commit=on'] : ['fsync=off'];
  const options = [...durability, ...settings].map((s) => ` -c ${s}`).join('');
  try {
    await exec(join(bin, 'initdb'), ['-D', dir, '-U', 'parley', '--auth=trust', '-E', 'UTF8', '--locale=C', ...(fsync ? [] : ['--no-sync'])]);
    const port = await freePort();
    // The server's output goes to a log file: a pipe left open would keep pg_ctl's caller waiting.
    await exec(pgCtl, ['-D', dir, '-l', join(dir, 'server.log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1${options}`, '-w', '-t', '60', 'start']).catch(
      (/** @type {Error} */ err) => {
        throw new Error(`pg_ctl start failed: ${String(err.message).split('\n')[0]} ${logTail()}`);
      },
    );
    const url = `postgres://parley@127.0.0.1:${port}/parley`;
    await createDatabase(url, 'parley');
    /** @type {Promise<void> | null} */
    let stopping = null;
    return {
      url,
      dir,
      pid() {
        try {
          return Number(readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
        } catch {
          return NaN;
        }
      },
      stop() {
        stopping ??= (async () => {
          forget();
          await exec(pgCtl, ['-D', dir, 'stop', '-m', 'immediate']).catch(() => {});
          rmSync(dir, { recursive: true, force: true });
        })();
        return stopping;
      },
    };
  } catch (err) {
    forget();
    stopSync();
    throw err;
  }
}

/**
 * Creates database `name` on the server of `url` (through its `postgres` database).
 * @param {string} url
 * @param {string} name
 * @returns {Promise<string>} the URL of the new database
 */
export async function createDatabase(url, name) {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  // A server stopped meanwhile (a spare database still being made at the end of a test
  // file) rejects the promises below; without a listener the 'error' event would also
  // end the process.
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const out = new URL(url);
  out.pathname = `/${name}`;
  return out.toString();
}

// ---- Redis --------------------------------------------------------------------------

/**
 * @typedef {object} LocalRedis
 * @property {string} url `redis://127.0.0.1:PORT`
 * @property {number} port
 * @property {() => number} pid the running server's process id; NaN while none runs
 * @property {() => Promise<void>} stop kills the server and waits until it has exited
 * @property {() => Promise<void>} restart stops the server and starts a new, empty one on the same port
 */

/**
 * Starts `redis-server` on a free loopback port, keeping nothing on disk, and resolves
 * once it answers PING.
 * @returns {Promise<LocalRedis>}
 */
export async function startRedis() {
  const port = await freePort();
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let child = await launchRedis(port);
  const stop = async () => {
    const running = child;
    child = undefined;
    if (running) await kill(running);
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: () => child?.pid ?? NaN,
    stop,
    async restart() {
      await stop();
      child = await launchRedis(port);
    },
  };
}

/**
 * Spawns `redis-server` on `port` and waits until it answers; kills it on failure.
 * @param {number} port
 * @returns {Promise<import('node:child_process').ChildProcess>}
 */
async function launchRedis(port) {
  const bin = redisBinary();
  if (!bin) throw new Error(NOT_INSTALLED_REDIS);
  const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tmpdir()], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const forget = onExit(() => child.kill('SIGKILL'));
  child.once('exit', forget);
  let output = '';
  /** @param {Buffer} chunk */
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-2000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  /** @type {Promise<never>} */
  const failed = new Promise((_, reject) => {
    child.once('error', (/** @type {NodeJS.ErrnoException} */ err) => reject(err.code === 'ENOENT' ? new Error(NOT_INSTALLED_REDIS) : err));
    child.once('exit', (code, signal) => reject(new Error(`redis-server exited (${signal ?? code}) before it answered: ${output.trim()}`)));
  });
  failed.catch(() => {}); // only read through the races below
  const deadline = Date.now() + 10_000;
  try {
    for (;;) {
      if (await Promise.race([ping(port), failed])) return child;
      if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING within 10 s`);
      await Promise.race([new Promise((r) => setTimeout(r, 25)), failed]);
    }
  } catch (err) {
    forget();
    await kill(child);
    throw err;
  }
}

/**
 * True when a server on `port` answers PING with PONG.
 * @param {number} port
 * @returns {Promise<boolean>}
 */
function ping(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    /** @param {boolean} ok */
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

/**
 * Kills the server and resolves once it has exited.
 * @param {import('node:child_process').ChildProcess} child
 * @returns {Promise<void>}
 */
function kill(child) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
