/**
 * Three relays on one PostgreSQL and one Redis act as one: a customer on relay A, an
 * agent on relay B sees the chat and claims it while an agent on relay C claims at the
 * same moment (exactly one wins), messages go both ways, the customer's socket moves
 * to relay C with `resume`, relay A is killed with SIGKILL and everything goes on; a
 * file uploaded through one relay downloads through another; Redis restarts and the
 * chat still goes on. A relay that would share
 * the database without a bus refuses to start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type Relay, type RelayOptions } from '../../src/relay/index.js';
import { cid, TestSocket, type Frame } from './helpers.js';
import { freshDatabase, startPostgres, type PostgresServer } from './postgres-server.js';
import { spawnRelay, type ChildRelay } from './proofs-relay-child.js';
import { startRedis, type TestRedis } from './redis-server.js';

const ROOMY = { count: 10_000, windowMs: 60_000 };

describe('three relays on one PostgreSQL and one Redis', () => {
  let pgServer: PostgresServer;
  let redis: TestRedis;
  let storeUrl: string;
  const dirs: string[] = [];
  const relays: Relay[] = [];
  const sockets: TestSocket[] = [];
  let a: ChildRelay | null = null;

  const options = (): RelayOptions & { dataDir: string } => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-three-'));
    dirs.push(dataDir);
    return { port: 0, dataDir, storeUrl, busUrl: redis.url, heartbeatMs: 300, pingIntervalMs: 60_000, helloRate: ROOMY, resumeRate: ROOMY };
  };

  const connect = async (url: string, path: '/v1/visitor' | '/v1/agent'): Promise<TestSocket> => {
    const s = new TestSocket(new WebSocket(url.replace(/^http/, 'ws') + path));
    sockets.push(s);
    await s.opened;
    return s;
  };

  const signIn = async (url: string, token: string): Promise<TestSocket> => {
    const s = await connect(url, '/v1/agent');
    s.send({ t: 'hello', id: 'h', token });
    await s.next({ t: 'welcome' });
    return s;
  };

  const isEvent = (type: string, extra: (f: Frame) => boolean = () => true) => (f: Frame) => f.t === 'event' && f.event.type === type && extra(f);

  beforeAll(async () => {
    [pgServer, redis] = await Promise.all([startPostgres(), startRedis()]);
    storeUrl = await freshDatabase(pgServer.url);
  }, 60_000);

  afterAll(async () => {
    for (const s of sockets) s.close();
    await a?.kill();
    for (const r of relays) await r.close();
    await Promise.all([pgServer?.stop(), redis?.stop()]);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }, 30_000);

  it('serves one chat across them, with a claim race, a move, a killed relay and a file', async () => {
    a = await spawnRelay(options());
    const b = await startRelay(options());
    const c = await startRelay(options());
    relays.push(b, c);
    const jane = await b.addAgent('Jane Doe');
    const bob = await c.addAgent('Bob Stone');
    const onB = await signIn(b.url, jane.token);
    const onC = await signIn(c.url, bob.token);

    // A customer on relay A; the agent on relay B sees the new chat.
    const visitor = await connect(a.url, '/v1/visitor');
    visitor.send({ t: 'hello', id: 'v1', email: 'ann@example.com', name: 'Ann Lee' });
    const welcome = await visitor.next({ t: 'welcome' });
    const conversationId: string = welcome.conversation.id;
    const tile = await onB.next((f) => f.t === 'conversation' && f.summary.id === conversationId, 5000);
    expect(tile.summary.status).toBe('queued');
    await onC.next((f) => f.t === 'conversation' && f.summary.id === conversationId, 5000);

    // Both claim at once, on two relays: exactly one wins.
    onB.send({ t: 'claim', id: 'cb', conversationId });
    onC.send({ t: 'claim', id: 'cc', conversationId });
    const [rb, rc] = await Promise.all([onB.next((f) => f.id === 'cb'), onC.next((f) => f.id === 'cc')]);
    const wins = [rb, rc].filter((f) => f.t === 'ok');
    expect(wins).toHaveLength(1);
    expect([rb, rc].find((f) => f.t !== 'ok')).toMatchObject({ t: 'error', code: 'conflict' });
    const [owner, ownerSocket, ownerRelay] = rb.t === 'ok' ? [jane, onB, b] : [bob, onC, c];
    const claimed = await visitor.next(isEvent('claimed'), 5000);
    expect(claimed.event.agent.id).toBe(owner.id);

    // Messages both ways, across relays.
    visitor.send({ t: 'send', id: 's1', clientId: cid(), text: 'hello from relay A' });
    await visitor.next({ t: 'ack', id: 's1' });
    await ownerSocket.next(isEvent('message', (f) => f.event.text === 'hello from relay A'), 5000);
    ownerSocket.send({ t: 'send', id: 'o1', conversationId, clientId: cid(), text: 'hi, how can I help?' });
    await ownerSocket.next({ t: 'ack', id: 'o1' });
    const answer = await visitor.next(isEvent('message', (f) => f.event.text === 'hi, how can I help?'), 5000);

    // The customer's socket moves to relay C and resumes where it was.
    visitor.close();
    ownerSocket.send({ t: 'send', id: 'o2', conversationId, clientId: cid(), text: 'sent while you moved' });
    await ownerSocket.next({ t: 'ack', id: 'o2' });
    const moved = await connect(c.url, '/v1/visitor');
    moved.send({ t: 'resume', id: 'r1', conversationId, token: welcome.token, afterSeq: answer.event.seq });
    const back = await moved.next({ t: 'welcome' });
    expect(back.events.map((e: Frame) => e.text)).toContain('sent while you moved');

    // Relay A dies; the chat goes on through B and C.
    await a.kill();
    a = null;
    const sent = cid();
    moved.send({ t: 'send', id: 's2', clientId: sent, text: 'still there?' });
    const ack = await moved.next({ t: 'ack', id: 's2' });
    const heard = await ownerSocket.next(isEvent('message', (f) => f.event.clientId === sent), 5000);
    expect(heard.event.seq).toBe(ack.seq);

    // A file uploaded through relay C downloads, byte for byte, through relay B.
    ownerSocket.send({ t: 'request_upload', id: 'ru', conversationId, note: 'a screenshot please' });
    const { requestId } = await ownerSocket.next({ t: 'ok', id: 'ru' });
    await moved.next(isEvent('upload_requested'), 5000);
    const bytes = randomBytes(1024 * 1024);
    const up = await fetch(`${c.url}/v1/uploads/${requestId}?name=shot.png`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${welcome.token}`, 'Content-Type': 'image/png' },
      body: bytes,
    });
    expect(up.status).toBe(201);
    const { fileId } = (await up.json()) as { fileId: string };
    const down = await fetch(`${b.url}/v1/files/${fileId}`, { headers: { Authorization: `Bearer ${owner.token}` } });
    expect(down.status).toBe(200);
    expect(Buffer.from(await down.arrayBuffer()).equals(bytes)).toBe(true);
    await ownerSocket.next(isEvent('file', (f) => f.event.fileId === fileId), 5000);

    // Redis restarts mid-chat (losing everything it held): messages still cross relays,
    // and nothing acknowledged is lost.
    await redis.restart();
    const after = cid();
    moved.send({ t: 'send', id: 's3', clientId: after, text: 'after the bus came back' });
    await moved.next({ t: 'ack', id: 's3' }, 5000);
    await ownerSocket.next(isEvent('message', (f) => f.event.clientId === after), 10_000);
    ownerSocket.send({ t: 'send', id: 'o3', conversationId, clientId: cid(), text: 'and back to you' });
    await moved.next(isEvent('message', (f) => f.event.text === 'and back to you'), 10_000);

    // The log has every seq once, in order.
    const log = await ownerRelay.store.readEvents(conversationId, 0);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
  }, 60_000);

  it('refuses to start a relay without a bus on a database other relays use', async () => {
    const b = await startRelay(options());
    relays.push(b);
    const { busUrl: _bus, ...noBus } = options();
    await expect(startRelay(noBus)).rejects.toMatchObject({ code: 'store_shared_without_bus', message: expect.stringContaining('--bus') });
  }, 30_000);
});
