/**
 * Messages left while nobody could answer, and `message.unseen`, on two relays sharing
 * one PostgreSQL and one Redis: a message left through one relay reaches an agent on the
 * other as a message left (`summary.offline`), is never offered there while a live chat
 * is, and is told to the webhook once; its answer, unread, is told once too, however
 * often both relays look, and the customer reads it by resuming on either relay.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { startRelay, type Relay } from '../../src/relay/index.js';
import { cid, TestSocket, type Frame } from './helpers.js';
import { freshDatabase, startPostgres, type PostgresServer } from './postgres-server.js';
import { startRedis, type TestRedis } from './redis-server.js';
import { startReceiver, type Receiver } from './webhook-receiver.js';

const UNSEEN_MS = 300;

let pgServer: PostgresServer;
let redis: TestRedis;
let receiver: Receiver;
const dirs: string[] = [];
const relays: Relay[] = [];
const sockets: TestSocket[] = [];

beforeAll(async () => {
  [pgServer, redis, receiver] = await Promise.all([startPostgres(), startRedis(), startReceiver(() => 200)]);
}, 60_000);
afterAll(async () => {
  for (const s of sockets) s.close();
  for (const r of relays) await r.close();
  await Promise.all([pgServer?.stop(), redis?.stop(), receiver?.close()]);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}, 30_000);

const connect = async (r: Relay, path: '/v1/visitor' | '/v1/agent'): Promise<TestSocket> => {
  const s = new TestSocket(new WebSocket(r.url.replace(/^http/, 'ws') + path));
  sockets.push(s);
  await s.opened;
  return s;
};
const ofType = (type: string) => receiver.received.filter((r) => r.headers['parley-event'] === type);

it('keeps a message left outside the live queue on both relays, and tells each thing once', async () => {
  const storeUrl = await freshDatabase(pgServer.url);
  for (let i = 0; i < 2; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-left-two-'));
    dirs.push(dataDir);
    relays.push(
      await startRelay({
        port: 0,
        dataDir,
        storeUrl,
        busUrl: redis.url,
        heartbeatMs: 200,
        pingIntervalMs: 60_000,
        routing: 'auto',
        routingTickMs: 30,
        sweepIntervalMs: 25,
        unseenAfterMs: UNSEEN_MS,
        webhook: { url: receiver.url, secret: 'whsec-test-0123456789', pollMs: 50, retryMs: 100 },
      }),
    );
  }
  const [a, b] = relays as [Relay, Relay];
  const jane = await b.addAgent('Jane Doe');
  const agent = await connect(b, '/v1/agent');
  agent.send({ t: 'hello', id: 'h', token: jane.token });
  await agent.next({ t: 'welcome' });

  const customer = await connect(a, '/v1/visitor');
  customer.send({ t: 'hello', id: 'h', email: 'ann@example.com', message: 'Do you ship to Norway?' });
  const welcome = await customer.next({ id: 'h' });
  const id = welcome.conversation.id as string;
  expect(welcome.conversation.queuePosition).toBeUndefined();
  const told = await agent.next((f) => f.t === 'conversation' && f.summary.id === id, 5_000);
  expect(told.summary).toMatchObject({ status: 'queued', offline: true });
  customer.close();

  // A live chat asked for later through the same relay is offered to Jane; the message left never is.
  const live = await connect(a, '/v1/visitor');
  live.send({ t: 'hello', id: 'h', email: 'bo@example.com' });
  const liveId = (await live.next({ id: 'h' })).conversation.id as string;
  await agent.next((f: Frame) => f.t === 'conversation' && f.summary.id === liveId && f.summary.offer?.agentId === jane.id, 5_000);
  expect(agent.frames.some((f) => f.t === 'conversation' && f.summary.id === id && f.summary.offer)).toBe(false);

  agent.send({ t: 'claim', id: 'c', conversationId: id });
  expect(await agent.next({ id: 'c' })).toEqual({ t: 'ok', id: 'c' });
  agent.send({ t: 'send', id: 's', conversationId: id, clientId: cid(), text: 'Yes, in 3 to 5 days.' });
  const { seq } = await agent.next({ id: 's' });

  await vi.waitFor(() => expect(ofType('message.unseen')).toHaveLength(1), { timeout: 5_000, interval: 20 });
  // Both relays went on looking for several delays: still one of each.
  await TestSocket.wait(UNSEEN_MS * 3);
  expect(ofType('message.unseen')).toHaveLength(1);
  expect(ofType('conversation.offline_message')).toHaveLength(1);
  expect(JSON.parse(ofType('conversation.offline_message')[0]!.body).data.conversationId).toBe(id);
  expect(JSON.parse(ofType('message.unseen')[0]!.body).data).toMatchObject({ conversationId: id, messages: [{ seq, text: 'Yes, in 3 to 5 days.' }] });

  // The customer comes back through the other relay and reads the answer.
  const back = await connect(b, '/v1/visitor');
  back.send({ t: 'resume', id: 'r', token: welcome.token, conversationId: id, afterSeq: 2 });
  const resumed = await back.next({ id: 'r' });
  expect(resumed.conversation).toEqual({ id, status: 'active' });
  expect(resumed.events.at(-1)).toMatchObject({ seq, type: 'message', from: 'agent', text: 'Yes, in 3 to 5 days.' });
}, 20_000);
