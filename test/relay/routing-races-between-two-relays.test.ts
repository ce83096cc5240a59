/**
 * Routing's races between two relays (in one process, on one PostgreSQL and one
 * Redis): an agent signed in on both accepts one offer twice at once (one wins), a
 * receiver accepts a transfer request at the moment its owner withdraws it (one of the
 * two, never both), and an agent with one place left is handed a transfer on one relay
 * while claiming on the other (the store's guard lets only one through).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startRelay, type Relay, type RelayOptions } from '../../src/relay/index.js';
import { TestSocket, type Frame } from './helpers.js';
import { freshDatabase, startPostgres, type PostgresServer } from './postgres-server.js';
import { startRedis, type TestRedis } from './redis-server.js';

const ROOMY = { count: 10_000, windowMs: 60_000 };

describe('routing races between two relays', () => {
  let pgServer: PostgresServer;
  let redis: TestRedis;
  const dirs: string[] = [];
  const relays: Relay[] = [];
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    [pgServer, redis] = await Promise.all([startPostgres(), startRedis()]);
  }, 60_000);
  afterAll(async () => {
    for (const s of sockets) s.close();
    for (const r of relays) await r.close();
    await Promise.all([pgServer?.stop(), redis?.stop()]);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }, 30_000);

  /** Two relays on a fresh database. */
  const pair = async (extra: RelayOptions = {}): Promise<[Relay, Relay]> => {
    const storeUrl = await freshDatabase(pgServer.url);
    const options = (): RelayOptions => {
      const dataDir = mkdtempSync(join(tmpdir(), 'parley-races-'));
      dirs.push(dataDir);
      return { port: 0, dataDir, storeUrl, busUrl: redis.url, heartbeatMs: 200, pingIntervalMs: 60_000, helloRate: ROOMY, resumeRate: ROOMY, routingTickMs: 50, ...extra };
    };
    const a = await startRelay(options());
    const b = await startRelay(options());
    relays.push(a, b);
    return [a, b];
  };
  const connect = async (r: Relay, path: '/v1/visitor' | '/v1/agent'): Promise<TestSocket> => {
    const s = new TestSocket(new WebSocket(r.url.replace(/^http/, 'ws') + path));
    sockets.push(s);
    await s.opened;
    return s;
  };
  const signIn = async (r: Relay, token: string): Promise<TestSocket> => {
    const s = await connect(r, '/v1/agent');
    s.send({ t: 'hello', id: 'h', token });
    await s.next({ t: 'welcome' });
    return s;
  };
  const visitor = async (r: Relay, email: string): Promise<string> => {
    const s = await connect(r, '/v1/visitor');
    s.send({ t: 'hello', id: 'h', email });
    return (await s.next({ t: 'welcome' })).conversation.id;
  };
  const answers = (frames: Frame[]): string[] => frames.map((f) => (f.t === 'ok' ? 'ok' : f.code)).sort();

  it('lets one of two accepts of one offer win', async () => {
    const [a, b] = await pair({ routing: 'auto' });
    const jane = await a.addAgent('Jane Doe');
    const [onA, onB] = [await signIn(a, jane.token), await signIn(b, jane.token)];
    const id = await visitor(a, 'offer@example.com');
    await vi.waitFor(async () => expect((await a.store.readEvents(id, 0)).map((e) => e.type)).toContain('offered'), { timeout: 5_000 });
    onA.send({ t: 'accept', id: 'x', conversationId: id });
    onB.send({ t: 'accept', id: 'x', conversationId: id });
    expect(answers([await onA.next({ id: 'x' }), await onB.next({ id: 'x' })])).toEqual(['not_found', 'ok']);
    expect((await a.store.readEvents(id, 0)).filter((e) => e.type === 'claimed')).toHaveLength(1);
  });

  it('never both withdraws and accepts one transfer request', async () => {
    const [a, b] = await pair();
    const jane = await a.addAgent('Jane Doe');
    const bo = await a.addAgent('Bo Stone');
    await Promise.all([a.store.setAgentCapacity(bo.id, 10), a.store.setAgentCapacity(jane.id, 10)]);
    const [janeA, boB] = [await signIn(a, jane.token), await signIn(b, bo.token)];
    for (let round = 0; round < 5; round++) {
      const id = await visitor(a, `race${round}@example.com`);
      janeA.send({ t: 'claim', id: `c${round}`, conversationId: id });
      await janeA.next({ id: `c${round}` });
      janeA.send({ t: 'transfer', id: `t${round}`, conversationId: id, toAgentId: bo.id });
      await janeA.next({ id: `t${round}` });
      await vi.waitFor(async () => expect((await b.store.getConversation(id))?.lastSeq).toBe(3));
      janeA.send({ t: 'withdraw', id: `w${round}`, conversationId: id });
      boB.send({ t: 'accept', id: `y${round}`, conversationId: id });
      const [w, y] = [await janeA.next({ id: `w${round}` }), await boB.next({ id: `y${round}` })];
      const owner = (await a.store.getConversation(id))!.ownerId;
      // Exactly one of the two went through, and the owner says which.
      expect([w.t, y.t].filter((t) => t === 'ok')).toHaveLength(1);
      expect(owner).toBe(y.t === 'ok' ? bo.id : jane.id);
    }
  });

  it('lets a transfer on one relay and a claim on the other not both take the last place', async () => {
    const [a, b] = await pair();
    const jane = await a.addAgent('Jane Doe');
    const bo = await a.addAgent('Bo Stone');
    await a.store.setAgentCapacity(bo.id, 2);
    const [janeA, boA, boB] = [await signIn(a, jane.token), await signIn(a, bo.token), await signIn(b, bo.token)];
    const owned = await visitor(a, 'owned@example.com');
    boA.send({ t: 'claim', id: 'c0', conversationId: owned });
    expect(await boA.next({ id: 'c0' })).toEqual({ t: 'ok', id: 'c0' });
    const handed = await visitor(a, 'handed@example.com');
    janeA.send({ t: 'claim', id: 'c1', conversationId: handed });
    await janeA.next({ id: 'c1' });
    janeA.send({ t: 'transfer', id: 't', conversationId: handed, toAgentId: bo.id });
    await janeA.next({ id: 't' });
    const queued = await visitor(b, 'queued@example.com');
    await vi.waitFor(async () => expect((await b.store.getConversation(handed))?.lastSeq).toBe(3));
    // One place left: the accept on relay A and the claim on relay B at once.
    boA.send({ t: 'accept', id: 'y', conversationId: handed });
    boB.send({ t: 'claim', id: 'c2', conversationId: queued });
    expect(answers([await boA.next({ id: 'y' }), await boB.next({ id: 'c2' })])).toEqual(['at_capacity', 'ok']);
    expect(await a.store.listActiveOwnedBy(bo.id)).toHaveLength(2);
  });
});
