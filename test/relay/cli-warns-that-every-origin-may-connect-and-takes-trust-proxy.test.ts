/**
 * The built `parley-relay` CLI: without `--allowed-origins` (and without `--demo`) it
 * warns on stderr at start that every origin may connect, and says how to set the
 * list; with a list or with `--demo` it does not. `--trust-proxy` reaches the relay
 * (forwarded clients get their own hello budget) and a bad value is a usage error.
 * Relays listen on 127.0.0.1 port 0 and are stopped by each test.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { HELLO_RATE, MAX_OPEN_CHATS_PER_ADDRESS } from '../../src/protocol/index.js';
import { CLI, ensureRelayBuilt, ROOT } from './build-relay.js';
import { TestSocket, type Frame } from './helpers.js';

const WARNING = /warning: no --allowed-origins given, so pages on every origin may connect.*--allowed-origins https:\/\/shop\.example/s;

interface Running {
  child: ChildProcess;
  url: string;
  stderr: () => string;
}

const children: ChildProcess[] = [];

/** Starts the CLI on port 0; resolves once it printed `listening on` (and the demo token with --demo). */
function startCli(dataDir: string, ...extra: string[]): Promise<Running> {
  const child = spawn(process.execPath, [CLI, '--port', '0', '--data', dataDir, ...extra], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not start: ${out} ${err}`)), 15_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)\n/.exec(out);
      if (m && (!extra.includes('--demo') || /agent token: \S+\n/.test(out))) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, stderr: () => err });
      }
    });
    child.once('exit', (code) => reject(new Error(`relay exited ${code}: ${out} ${err}`)));
  });
}

async function stop(r: Running): Promise<void> {
  if (r.child.exitCode !== null) return;
  const exited = new Promise((res) => r.child.once('exit', res));
  r.child.kill('SIGTERM');
  await exited;
}

beforeAll(() => ensureRelayBuilt(), 120_000);

describe('parley-relay start-up', () => {
  let data: string;
  const sockets: TestSocket[] = [];
  beforeAll(() => {
    data = mkdtempSync(join(tmpdir(), 'parley-cli-origins-'));
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(data, { recursive: true, force: true });
  });

  it('warns on stderr that every origin may connect when no --allowed-origins is given', async () => {
    const r = await startCli(data);
    try {
      // Written before `listening on`, but stderr is another pipe: give it up to 5 s to arrive.
      await vi.waitFor(() => expect(r.stderr()).toMatch(WARNING), { timeout: 5000, interval: 100 });
    } finally {
      await stop(r);
    }
  });

  it('does not warn with --allowed-origins, nor with --demo', async () => {
    for (const flags of [['--allowed-origins', 'https://shop.example'], ['--demo']]) {
      const r = await startCli(data, ...flags);
      try {
        // Let anything printed right after start arrive.
        await TestSocket.wait(200);
        expect(r.stderr()).not.toMatch(/warning/);
      } finally {
        await stop(r);
      }
    }
  });

  it('lists --trust-proxy in --help and refuses a bad value with exit code 2, naming the flag', () => {
    const help = spawnSync(process.execPath, [CLI, '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 15_000 });
    expect(help.stdout).toContain('--trust-proxy');
    for (const bad of ['0', '10.0.0.0/33', 'proxy.example']) {
      const r = spawnSync(process.execPath, [CLI, '--port', '0', '--data', data, '--trust-proxy', bad], { cwd: ROOT, encoding: 'utf8', timeout: 15_000 });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/parley-relay: --trust-proxy/);
    }
  });

  it('passes --trust-proxy to the relay: clients forwarded by 127.0.0.1 get their own hello budget', async () => {
    const r = await startCli(data, '--allowed-origins', 'https://shop.example', '--trust-proxy', '127.0.0.1');
    try {
      let n = 0;
      const hello = async (forwardedFor: string): Promise<Frame> => {
        const s = new TestSocket(new WebSocket(`${r.url.replace(/^http/, 'ws')}/v1/visitor`, { headers: { 'X-Forwarded-For': forwardedFor } }));
        sockets.push(s);
        await s.opened;
        n++;
        s.send({ t: 'hello', id: `h${n}`, email: `v${n}@example.com` });
        const answer = await s.next((f) => f.t === 'welcome' || f.t === 'error');
        s.close();
        return answer;
      };
      // Whichever per-address budget comes first: new chats per minute, or open chats.
      const budget = Math.min(HELLO_RATE.count, MAX_OPEN_CHATS_PER_ADDRESS);
      for (let i = 0; i < budget; i++) expect((await hello('203.0.113.1')).t).toBe('welcome');
      expect(await hello('203.0.113.1')).toMatchObject({ t: 'error', code: 'rate_limited' });
      expect((await hello('203.0.113.2')).t).toBe('welcome');
    } finally {
      await stop(r);
    }
  }, 60_000);
});
