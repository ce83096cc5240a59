/**
 * The webhook's delivery is durable: it is stored in the commit that ends the chat, so a
 * relay killed with SIGKILL right after a chat ended (before the receiver could take it)
 * sends it once started again, with the same delivery id.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { TestSocket } from './helpers.js';
import { spawnRelay, type ChildRelay } from './proofs-relay-child.js';
import { signatureValid, startReceiver, type Receiver } from './webhook-receiver.js';

const SECRET = 'restart-secret-42';
let dataDir: string;
let receiver: Receiver;
const relays: ChildRelay[] = [];
const sockets: TestSocket[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'parley-webhook-kill-'));
  // Down until the relay has been killed: the first relay cannot deliver.
  receiver = await startReceiver(() => 503);
}, 120_000);
afterAll(async () => {
  for (const s of sockets) s.close();
  for (const r of relays) await r.kill();
  await receiver.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it('sends the delivery of a chat that ended just before a SIGKILL once the relay is back', async () => {
  const webhook = { url: receiver.url, secret: SECRET, retryMs: 200, pollMs: 200 };
  const first = await spawnRelay({ port: 0, dataDir, webhook });
  relays.push(first);
  const s = new TestSocket(new WebSocket(first.url.replace(/^http/, 'ws') + '/v1/visitor'));
  sockets.push(s);
  await s.opened;
  s.send({ t: 'hello', id: 'h', email: 'kill@example.com' });
  const welcome = await s.next({ t: 'welcome' });
  s.send({ t: 'end', id: 'e' });
  await s.next({ id: 'e' });
  await first.kill();
  // Whatever the first relay tried was refused.
  const triedBefore = receiver.received.length;

  receiver.answer = () => 200;
  const second = await spawnRelay({ port: 0, dataDir, webhook });
  relays.push(second);
  await vi.waitFor(() => expect(receiver.received.length).toBeGreaterThan(triedBefore), { timeout: 10_000 });
  const last = receiver.received.at(-1)!;
  const body = JSON.parse(last.body);
  expect(body).toMatchObject({ type: 'conversation.ended', data: { transcript: { conversationId: welcome.conversation.id } } });
  expect(signatureValid(last.headers['parley-signature'], last.body, SECRET)).toBe(true);
  expect(new Set(receiver.received.map((r) => r.headers['parley-delivery'])).size).toBe(1);
}, 60_000);
