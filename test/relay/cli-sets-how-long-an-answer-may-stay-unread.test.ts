/**
 * `parley-relay --unseen-seconds N`: how long an agent's answer may stay unread before
 * the webhook tells of it (`message.unseen`, 600 s unless set), in whole seconds and
 * checked strictly. Run for real: a relay started with 1 s tells of an unread answer
 * within a few seconds.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { CLI, ensureRelayBuilt, ROOT } from './build-relay.js';
import { TestSocket } from './helpers.js';
import { startReceiver, type Receiver } from './webhook-receiver.js';

let data: string;
let child: ChildProcess | null = null;
let receiver: Receiver | null = null;
const sockets: TestSocket[] = [];
beforeAll(() => {
  ensureRelayBuilt();
  data = mkdtempSync(join(tmpdir(), 'parley-cli-unseen-'));
}, 120_000);
afterAll(async () => {
  for (const s of sockets) s.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  await receiver?.close();
  rmSync(data, { recursive: true, force: true });
});

const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });

it('takes whole seconds from 1 to 86400, lists the flag in --help', () => {
  expect(run('--unseen-seconds', '0', '--data', data)).toMatchObject({ status: 2, stderr: expect.stringContaining('--unseen-seconds must be a whole number of seconds') });
  expect(run('--unseen-seconds', '10m', '--data', data).status).toBe(2);
  expect(run('--help').stdout).toContain('--unseen-seconds N');
});

it('tells the webhook of an answer left unread for that long', async () => {
  receiver = await startReceiver(() => 200);
  const args = ['--port', '0', '--demo', '--data', data, '--unseen-seconds', '1', '--webhook', receiver.url, '--webhook-secret', 'whsec-0123456789abcdef'];
  child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  await vi.waitFor(() => expect(out).toMatch(/agent token: \S+\n/), { timeout: 15_000, interval: 50 });
  const url = /listening on (http:\/\/\S+)\n/.exec(out)![1]!.replace(/^http/, 'ws');
  const token = /agent token: (\S+)\n/.exec(out)![1]!;

  const open = async (path: string) => {
    const s = new TestSocket(new WebSocket(url + path));
    sockets.push(s);
    await s.opened;
    return s;
  };
  const visitor = await open('/v1/visitor');
  visitor.send({ t: 'hello', id: 'h', email: 'ann@example.com', message: 'Can you call me back?' });
  const { conversation } = await visitor.next({ t: 'welcome' });
  visitor.close();
  const agent = await open('/v1/agent');
  agent.send({ t: 'hello', id: 'a', token });
  await agent.next({ t: 'welcome' });
  agent.send({ t: 'claim', id: 'c', conversationId: conversation.id });
  await agent.next({ id: 'c' });
  agent.send({ t: 'send', id: 's', conversationId: conversation.id, clientId: crypto.randomUUID(), text: 'Sure, at 3 pm.' });
  const { seq } = await agent.next({ id: 's' });

  const told = () => receiver!.received.filter((r) => r.headers['parley-event'] === 'message.unseen').map((r) => JSON.parse(r.body).data);
  await vi.waitFor(() => expect(told()).toHaveLength(1), { timeout: 8_000, interval: 50 });
  expect(told()[0]).toMatchObject({ conversationId: conversation.id, messages: [{ seq, text: 'Sure, at 3 pm.' }] });
}, 30_000);
