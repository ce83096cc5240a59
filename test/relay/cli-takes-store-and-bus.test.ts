/**
 * The built `parley-relay` CLI on PostgreSQL and Redis: `agent add|list|remove` and
 * `block list` work on the database named by `--store` or `PARLEY_STORE`; a relay
 * started with `--store` and `--bus` (or the environment's `PARLEY_STORE` and
 * `PARLEY_BUS`) serves a chat; a second relay on the same database without a bus
 * refuses to start with a message that says what to do; bad URLs are usage errors.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureRelayBuilt, ROOT } from './build-relay.js';
import { TestSocket } from './helpers.js';
import { freshDatabase, startPostgres, type PostgresServer } from './postgres-server.js';
import { startRedis, type TestRedis } from './redis-server.js';

const children: ChildProcess[] = [];

/** Runs the CLI to the end; environment without PARLEY_* unless given. */
function run(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PARLEY_')));
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 20_000, env: { ...clean, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts a serving CLI; resolves with its URL once it listens, or rejects with what it printed when it exits. */
function serve(args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PARLEY_')));
  const child = spawn(process.execPath, [CLI, '--port', '0', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...clean, ...env } });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not start: ${out}`)), 20_000);
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${out}`));
    });
  });
}

describe('parley-relay with --store and --bus', () => {
  let pgServer: PostgresServer;
  let redis: TestRedis;
  let store: string;
  const data = mkdtempSync(join(tmpdir(), 'parley-cli-pg-'));

  beforeAll(async () => {
    ensureRelayBuilt();
    [pgServer, redis] = await Promise.all([startPostgres(), startRedis()]);
    store = await freshDatabase(pgServer.url);
  }, 120_000);

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await Promise.all([pgServer?.stop(), redis?.stop()]);
    rmSync(data, { recursive: true, force: true });
  }, 30_000);

  it('manages agents in the database that --store or PARLEY_STORE names', () => {
    const added = run(['agent', 'add', '--name', 'Jane Doe', '--store', store]);
    expect(added.status).toBe(0);
    expect(added.stdout).toMatch(/added agent Jane Doe \(id (\S+)\)/);
    const id = /\(id (\S+)\)/.exec(added.stdout)![1]!;
    const listed = run(['agent', 'list'], { PARLEY_STORE: store });
    expect(listed.stdout).toContain(`${id}\tJane Doe`);
    // The SQLite file of --data knows nothing of it.
    expect(run(['agent', 'list', '--data', data]).stdout).toContain('no agents');
    expect(run(['block', 'list', '--store', store]).stdout).toContain('no blocks');
    expect(run(['agent', 'remove', id, '--store', store]).stdout).toContain(`removed agent ${id}`);
    expect(run(['agent', 'list', '--store', store]).stdout).toContain('no agents');
  }, 60_000);

  it('serves on PostgreSQL and Redis from the environment, and refuses a second relay without a bus', async () => {
    const token = run(['agent', 'add', '--name', 'Bob Stone', '--store', store]).stdout.trim().split('\n').at(-1)!;
    const first = await serve(['--data', data, '--allowed-origins', 'https://shop.example'], { PARLEY_STORE: store, PARLEY_BUS: redis.url });
    const ws = new TestSocket(new WebSocket(first.url.replace(/^http/, 'ws') + '/v1/agent', { headers: { Origin: 'https://shop.example' } }));
    await ws.opened;
    ws.send({ t: 'hello', id: 'h', token });
    expect(await ws.next({ t: 'welcome' })).toMatchObject({ agent: { name: 'Bob Stone' } });
    ws.close();

    await expect(serve(['--data', data, '--store', store])).rejects.toThrow(/another relay is using this PostgreSQL database.*--bus redis:\/\//s);
  }, 60_000);

  it('calls a URL that is not PostgreSQL or Redis a usage error', () => {
    const bad = run(['--port', '0', '--store', 'mysql://db/parley']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('storeUrl must be a URL like postgres://USER:PASS@HOST:PORT/DB');
    const badBus = run(['--port', '0', '--bus', 'http://cache:6379']);
    expect(badBus.stderr).toContain('busUrl must be a URL like redis://HOST:PORT');
  }, 30_000);
});
