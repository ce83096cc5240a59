import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { SqliteStore } from '../../src/relay/store-sqlite.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureRelayBuilt, ROOT } from './build-relay.js';
import { cid, TestSocket } from './helpers.js';

/** Starts the built `parley-relay` bin on port 0 and resolves with its URL once it prints `listening on`. */
function spawnRelay(dataDir: string, ...extra: string[]): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [CLI, '--port', '0', '--data', dataDir, ...extra], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`relay did not start: ${out}`)), 15_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)\n/.exec(out);
      if (m && (!extra.includes('--demo') || /agent token: \S+\n/.test(out))) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, output: () => out });
      }
    });
    child.once('exit', (code) => reject(new Error(`relay exited ${code}: ${out}`)));
  });
}

async function open(url: string): Promise<TestSocket> {
  const s = new TestSocket(new WebSocket(url.replace(/^http/, 'ws') + '/v1/visitor'));
  await s.opened;
  return s;
}

// One file for everything that runs the built CLI, so it is built at most once.
beforeAll(() => ensureRelayBuilt(), 120_000);

const children: ChildProcess[] = [];
const sockets: TestSocket[] = [];
afterAll(() => {
  for (const s of sockets) s.close();
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('durability (SQLite, synchronous=FULL)', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'parley-kill-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps every acknowledged message, exactly once, across kill -9 and a restart', async () => {
    const first = await spawnRelay(dataDir);
    children.push(first.child);
    const v = await open(first.url);
    sockets.push(v);
    v.send({ t: 'hello', id: 'h', email: 'durable@example.com' });
    const welcome = await v.next({ t: 'welcome' });
    const sent: { clientId: string; text: string }[] = [];
    for (let i = 0; i < 15; i++) {
      const m = { clientId: cid(), text: `message ${i}` };
      sent.push(m);
      v.send({ t: 'send', ...m });
    }
    const acks = new Map<string, number>();
    while (acks.size < sent.length) {
      const a = await v.next({ t: 'ack' });
      acks.set(a.clientId, a.seq);
    }
    const exited = new Promise((r) => first.child.once('exit', r));
    first.child.kill('SIGKILL');
    await exited;

    const second = await spawnRelay(dataDir);
    children.push(second.child);
    const again = await open(second.url);
    sockets.push(again);
    again.send({ t: 'resume', id: 'r', token: welcome.token, conversationId: welcome.conversation.id, afterSeq: 0 });
    const w = await again.next({ t: 'welcome' });
    const messages = w.events.filter((e: any) => e.type === 'message');
    expect(w.events.map((e: any) => e.seq)).toEqual(Array.from({ length: w.events.length }, (_, i) => i + 1));
    for (const m of sent) {
      const copies = messages.filter((e: any) => e.clientId === m.clientId);
      expect(copies).toHaveLength(1);
      expect(copies[0].text).toBe(m.text);
      expect(copies[0].seq).toBe(acks.get(m.clientId));
    }
    // Re-sending every message after the restart appends nothing.
    for (const m of sent) again.send({ t: 'send', ...m });
    for (const m of sent) expect((await again.next({ t: 'ack' })).seq).toBe(acks.get(m.clientId));
    // SIGTERM closes sockets with 1001 and exits cleanly.
    const exit = new Promise<number | null>((r) => second.child.once('exit', (code) => r(code)));
    second.child.kill('SIGTERM');
    expect((await again.closed).code).toBe(1001);
    expect(await exit).toBe(0);
  }, 60_000);
});

const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 15_000 });

describe('parley-relay CLI', () => {
  let data: string;
  beforeAll(() => {
    data = mkdtempSync(join(tmpdir(), 'parley-cli-'));
  });
  afterAll(() => rmSync(data, { recursive: true, force: true }));

  it('adds an agent and prints its token alone on the last line; lists and removes it', () => {
    const add = run('agent', 'add', '--name', 'Jane Doe', '--data', data);
    expect(add.status).toBe(0);
    const lines = add.stdout.trim().split('\n');
    expect(lines[lines.length - 1]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const list = run('agent', 'list', '--data', data);
    expect(list.stdout).toContain('Jane Doe');
    const id = list.stdout.trim().split('\t')[0]!;
    const rm = run('agent', 'remove', id, '--data', data);
    expect(rm.status).toBe(0);
    expect(run('agent', 'list', '--data', data).stdout).not.toContain('Jane Doe');
    expect(run('agent', 'remove', id, '--data', data).status).toBe(1);
  });

  it('lists blocks in force and removes one by id', async () => {
    const store = new SqliteStore(join(data, 'parley.db'));
    const at = new Date().toISOString();
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    await store.addBlock({ id: 'blk1', email: 'mal@example.com', address: '203.0.113.9', byAddress: false, conversationId: 'c', agentId: 'a', comment: 'spam', at, expiresAt });
    await store.addBlock({ id: 'blk2', email: 'x@example.com', address: '2001:db8:1:2::/64', byAddress: true, conversationId: 'd', agentId: 'a', at, expiresAt });
    await store.addBlock({ id: 'old', email: 'y@example.com', address: '198.51.100.1', byAddress: false, conversationId: 'e', agentId: 'a', at, expiresAt: at });
    await store.close();
    const list = run('block', 'list', '--data', data);
    expect(list.status).toBe(0);
    expect(list.stdout).toContain('blk1\tmal@example.com at 203.0.113.9\tuntil');
    expect(list.stdout).toContain('blk2\teveryone at 2001:db8:1:2::/64');
    expect(list.stdout).not.toContain('old'); // expired
    expect(run('block', 'remove', 'blk1', '--data', data).status).toBe(0);
    expect(run('block', 'list', '--data', data).stdout).not.toContain('blk1');
    expect(run('block', 'remove', 'blk1', '--data', data).status).toBe(1);
    expect(run('block', 'frobnicate', '--data', data).status).toBe(2);
  });

  it('refuses unknown flags with a clear message and exit code 2', () => {
    const r = run('--prot', '8080');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown option --prot');
    expect(run('agent', 'add', '--data', data).status).toBe(2);
  });

  it('with --demo prints the console, demo page and a fresh Demo Agent token each start', async () => {
    const tokens: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await spawnRelay(data, '--demo');
      const out = r.output();
      expect(out).toContain(`console: ${r.url}/console`);
      expect(out).toContain(`demo page: ${r.url}/`);
      tokens.push(/agent token: (\S+)/.exec(out)![1]!);
      const exit = new Promise((res) => r.child.once('exit', res));
      if (i === 1) {
        for (const [token, expected] of [[tokens[0]!, 'error'], [tokens[1]!, 'welcome']] as const) {
          const s = new TestSocket(new WebSocket(r.url.replace(/^http/, 'ws') + '/v1/agent'));
          await s.opened;
          s.send({ t: 'hello', id: 'h', token });
          expect((await s.next()).t).toBe(expected);
          s.close();
        }
      }
      r.child.kill('SIGTERM');
      await exit;
    }
    expect(tokens[0]).not.toBe(tokens[1]);
    expect(run('agent', 'list', '--data', data).stdout.match(/Demo Agent/g)).toHaveLength(1);
  });

  it('disconnects (4401) a signed-in agent removed with `agent remove` while the relay runs', async () => {
    const add = run('agent', 'add', '--name', 'Temp Tom', '--data', data);
    const token = add.stdout.trim().split('\n').pop()!;
    const id = run('agent', 'list', '--data', data).stdout.split('\n').find((l) => l.includes('Temp Tom'))!.split('\t')[0]!;
    const r = await spawnRelay(data);
    children.push(r.child);
    const s = new TestSocket(new WebSocket(r.url.replace(/^http/, 'ws') + '/v1/agent'));
    sockets.push(s);
    await s.opened;
    s.send({ t: 'hello', id: 'h', token });
    await s.next({ t: 'welcome' });
    expect(run('agent', 'remove', id, '--data', data).status).toBe(0);
    const started = Date.now();
    expect((await s.closed).code).toBe(4401);
    expect(Date.now() - started).toBeLessThan(5000);
    const exit = new Promise((res) => r.child.once('exit', res));
    r.child.kill('SIGTERM');
    await exit;
  });

  it('prints usage for --help', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('parley-relay agent add --name');
  });
});
