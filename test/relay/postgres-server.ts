/**
 * Test helper: a private PostgreSQL server for the store tests, started from the
 * system's binaries in a temp folder on 127.0.0.1 and a free port, with `fsync=off`
 * and `initdb --no-sync` (fine for tests: nothing has to survive a power cut) and a
 * short `deadlock_timeout` (so that a test of a deadlock does not wait a second). Tests
 * share one server per file and take a fresh database each (`freshDatabase`). Every
 * server is stopped by `stop()`, and, as a last resort, when the process exits.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface PostgresServer {
  /** `postgres://parley@127.0.0.1:PORT/parley` */
  url: string;
  stop(): Promise<void>;
}

const NOT_INSTALLED = 'PostgreSQL is not installed: install the Debian package postgresql (apt-get install -y postgresql)';

/** The folder holding `initdb` and `pg_ctl`: the newest under /usr/lib/postgresql, else on PATH. */
function binaries(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+(\.\d+)?$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  const dirs = [...versions.map((v) => join(root, v, 'bin')), ...(process.env.PATH ?? '').split(delimiter).filter(Boolean)];
  const found = dirs.find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl')));
  if (!found) throw new Error(NOT_INSTALLED);
  return found;
}

/** PostgreSQL refuses to run as root: then its binaries run as the `postgres` user. */
const asRoot = (): boolean => process.getuid?.() === 0;

/** The command line that runs `bin` with `args` as a user PostgreSQL accepts. */
function command(bin: string, args: string[]): [string, string[]] {
  return asRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Servers still running, stopped synchronously if the process exits with them. */
const running = new Map<string, string>();
let exitHook = false;

function stopNow(dir: string, pgCtl: string): void {
  const [cmd, args] = command(pgCtl, ['-D', dir, 'stop', '-m', 'immediate']);
  try {
    execFileSync(cmd, args, { cwd: tmpdir(), stdio: 'ignore' });
  } catch {
    // Already stopped.
  }
  rmSync(dir, { recursive: true, force: true });
}

/** Starts a private server with a database `parley` that user `parley` may use without a password. */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = binaries();
  const initdb = join(bin, 'initdb');
  const pgCtl = join(bin, 'pg_ctl');
  const dir = mkdtempSync(join(tmpdir(), 'parley-pg-'));
  if (asRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const [d, ctl] of running) stopNow(d, ctl);
    });
  }
  const exec = (file: string, args: string[]) => {
    const [cmd, argv] = command(file, args);
    return run(cmd, argv, { cwd: dir });
  };
  try {
    await exec(initdb, ['-D', dir, '-U', 'parley', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    const port = await freePort();
    running.set(dir, pgCtl);
    // The server's output goes to a log file: a pipe left open would keep pg_ctl's caller waiting.
    await exec(pgCtl, ['-D', dir, '-l', join(dir, 'server.log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c deadlock_timeout=100ms`, '-w', 'start']);
    const url = `postgres://parley@127.0.0.1:${port}/parley`;
    await createDatabase(url, 'parley');
    let stopped = false;
    return {
      url,
      async stop() {
        if (stopped) return;
        stopped = true;
        running.delete(dir);
        spares.delete(url);
        await exec(pgCtl, ['-D', dir, 'stop', '-m', 'immediate']).catch(() => {});
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    running.delete(dir);
    stopNow(dir, pgCtl);
    throw err;
  }
}

/** Creates database `name` on the server of `url` (through its `postgres` database). */
async function createDatabase(url: string, name: string): Promise<string> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
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

let databases = 0;
/** Per server, the next database, made while a test runs (CREATE DATABASE takes ~150 ms). */
const spares = new Map<string, Promise<string>>();

/** A new empty database on the server of `url`; returns its URL. */
export function freshDatabase(url: string): Promise<string> {
  const make = () => createDatabase(url, `parley_${process.pid}_${++databases}`);
  const next = spares.get(url) ?? make();
  const spare = next.then(make);
  // A spare still being made when the server stops is simply never used.
  spare.catch(() => {});
  spares.set(url, spare);
  return next;
}
