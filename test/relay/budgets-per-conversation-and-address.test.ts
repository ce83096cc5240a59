/**
 * One customer cannot starve others: sockets per conversation and per address,
 * `resume` per address, and bytes of messages per address are budgeted; the relay's
 * registries keep nothing for sockets that are gone, and a block reads only the
 * conversations it concerns. Each of these was unbounded before.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { MAX_SOCKETS_PER_CONVERSATION } from '../../src/protocol/index.js';
import { HTTP_HEADROOM } from '../../src/relay/address-sockets.js';
import { SqliteStore, type Store } from '../../src/relay/index.js';
import { cid, Harness, TestSocket } from './helpers.js';

describe('budgets', () => {
  let h: Harness;
  afterEach(() => h.cleanup());

  it(`a conversation takes at most ${MAX_SOCKETS_PER_CONVERSATION} visitor sockets; the next resume is refused 4429`, async () => {
    h = await Harness.start();
    const v = await h.visitor();
    const tabs: TestSocket[] = [];
    for (let i = 1; i < MAX_SOCKETS_PER_CONVERSATION; i++) {
      const s = await h.connect('/v1/visitor');
      s.send({ t: 'resume', id: 'r', token: v.token, conversationId: v.conversationId, afterSeq: 0 });
      expect(await s.next({ id: 'r' })).toMatchObject({ t: 'welcome' });
      tabs.push(s);
    }
    const extra = await h.connect('/v1/visitor');
    extra.send({ t: 'resume', id: 'r', token: v.token, conversationId: v.conversationId, afterSeq: 0 });
    expect(await extra.next({ id: 'r' })).toMatchObject({ t: 'error', code: 'rate_limited' });
    expect((await extra.closed).code).toBe(4429);
    // A tab closes: there is room again.
    tabs[0]!.close();
    await tabs[0]!.closed;
    await TestSocket.wait(50);
    const again = await h.connect('/v1/visitor');
    again.send({ t: 'resume', id: 'r', token: v.token, conversationId: v.conversationId, afterSeq: 0 });
    expect(await again.next({ id: 'r' })).toMatchObject({ t: 'welcome' });
  });

  it('an address holds a bounded number of sockets (HTTP 429 past it); others and /healthz are unaffected', async () => {
    h = await Harness.start({ maxSocketsPerAddress: 5 });
    const mine: TestSocket[] = [];
    for (let i = 0; i < 5; i++) mine.push(await h.connect('/v1/visitor'));
    await expect(h.connect('/v1/visitor')).rejects.toThrow('HTTP 429');
    await expect(h.connect('/v1/agent')).rejects.toThrow('HTTP 429');
    const elsewhere = new TestSocket(new WebSocket(`${h.wsUrl}/v1/visitor`, { localAddress: '127.0.0.2' }));
    h.sockets.push(elsewhere);
    await elsewhere.opened;
    expect((await fetch(`${h.relay.url}/healthz`)).status).toBe(200);
    mine[0]!.close();
    await mine[0]!.closed;
    await TestSocket.wait(50);
    await h.connect('/v1/visitor');
  });

  it('plain HTTP connections count too: half-sent requests cannot hold the relay open past the budget', async () => {
    h = await Harness.start({ maxSocketsPerAddress: 5 });
    const { port } = new URL(h.relay.url);
    const held: Socket[] = [];
    for (let i = 0; i < 5 + HTTP_HEADROOM; i++) {
      const s = connect({ host: '127.0.0.1', port: Number(port), localAddress: '127.0.0.5' });
      await new Promise((r) => s.once('connect', r));
      s.write('POST /v1/uploads/x HTTP/1.1\r\nHost: relay\r\n'); // and never the rest
      held.push(s);
    }
    const extra = new TestSocket(new WebSocket(`${h.wsUrl}/v1/visitor`, { localAddress: '127.0.0.5' }));
    await expect(extra.opened).rejects.toThrow();
    const other = new TestSocket(new WebSocket(`${h.wsUrl}/v1/visitor`, { localAddress: '127.0.0.6' }));
    h.sockets.push(other);
    await other.opened;
    for (const s of held) s.destroy();
  });

  it('resume is rate-limited per address (4429 past the budget)', async () => {
    h = await Harness.start({ resumeRate: { count: 3, windowMs: 60_000 } });
    const v = await h.visitor();
    for (let i = 0; i < 3; i++) {
      const s = await h.connect('/v1/visitor');
      s.send({ t: 'resume', id: 'r', token: v.token, conversationId: v.conversationId, afterSeq: 0 });
      expect(await s.next({ id: 'r' })).toMatchObject({ t: 'welcome' });
      s.close();
      await s.closed;
    }
    const s = await h.connect('/v1/visitor');
    s.send({ t: 'resume', id: 'r', token: v.token, conversationId: v.conversationId, afterSeq: 0 });
    expect(await s.next({ id: 'r' })).toMatchObject({ t: 'error', code: 'rate_limited' });
    expect((await s.closed).code).toBe(4429);
  });

  it('bytes of messages are budgeted per address, across all its chats', async () => {
    h = await Harness.start({ visitorBytesRate: { count: 40_000, windowMs: 60_000 } });
    const a = await h.visitor('a@example.com');
    const b = await h.visitor('b@example.com');
    const text = 'x'.repeat(3900);
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 20; i++) {
      const s = i % 2 ? a.s : b.s;
      s.send({ t: 'send', id: `m${i}`, clientId: cid(), text });
      const r = await s.next({ id: `m${i}` });
      if (r.t === 'ack') accepted++;
      else {
        expect(r).toMatchObject({ t: 'error', code: 'rate_limited' });
        refused++;
      }
    }
    expect(accepted).toBe(10);
    expect(refused).toBe(10);
    // Someone else, from another address, still writes.
    const other = new TestSocket(new WebSocket(`${h.wsUrl}/v1/visitor`, { localAddress: '127.0.0.3' }));
    h.sockets.push(other);
    await other.opened;
    other.send({ t: 'hello', id: 'h', email: 'c@example.com' });
    await other.next({ id: 'h' });
    other.send({ t: 'send', id: 's', clientId: cid(), text });
    expect(await other.next({ id: 's' })).toMatchObject({ t: 'ack' });
  });

  it('a block reads only the conversations it concerns, not every one ever stored', async () => {
    const store = new SqliteStore(':memory:');
    const listed: string[][] = [];
    const spy = new Proxy(store, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (prop === 'listConversations') return (statuses: string[]) => (listed.push(statuses), (v as Store['listConversations']).call(target, statuses as never));
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    try {
      h = await Harness.start({ store: spy });
      const { visitor, agent } = await h.activeChat();
      listed.length = 0;
      agent.s.send({ t: 'block', id: 'b', conversationId: visitor.conversationId });
      await agent.s.next({ id: 'b' });
      expect(listed.filter((s) => s.includes('ended'))).toEqual([]);
    } finally {
      await h.cleanup();
      await store.close();
    }
  });
});

describe('typing and read from a visitor', () => {
  let h: Harness;
  afterEach(() => h.cleanup());

  it('are relayed at most 10 a second per conversation; the rest are dropped', async () => {
    h = await Harness.start();
    const { visitor, agent } = await h.activeChat();
    for (let i = 0; i < 200; i++) visitor.s.send({ t: 'typing', on: i % 2 === 0 });
    // Every typing frame was handled before the visitor's pong; what they relayed is ahead of the agent's.
    await visitor.s.barrier();
    await agent.s.barrier();
    const relayed = agent.s.frames.filter((f) => f.t === 'typing').length;
    expect(relayed).toBeGreaterThan(0);
    expect(relayed).toBeLessThanOrEqual(20); // 10 a second, and the burst may straddle a second
  });
});

describe('open chats per address', () => {
  let h: Harness;
  afterEach(() => h.cleanup());

  it('are capped (4429 past it); an ended chat makes room; other addresses are unaffected', async () => {
    h = await Harness.start({ maxOpenChatsPerAddress: 3 });
    const open = [await h.visitor('a@example.com'), await h.visitor('b@example.com'), await h.visitor('c@example.com')];
    const extra = await h.connect('/v1/visitor');
    extra.send({ t: 'hello', id: 'h', email: 'd@example.com' });
    expect(await extra.next({ id: 'h' })).toMatchObject({ t: 'error', code: 'rate_limited' });
    expect((await extra.closed).code).toBe(4429);
    // Resuming an open chat is not a new one.
    const tab = await h.connect('/v1/visitor');
    tab.send({ t: 'resume', id: 'r', token: open[0]!.token, conversationId: open[0]!.conversationId, afterSeq: 0 });
    expect(await tab.next({ id: 'r' })).toMatchObject({ t: 'welcome' });
    // Someone elsewhere starts a chat.
    const other = new TestSocket(new WebSocket(`${h.wsUrl}/v1/visitor`, { localAddress: '127.0.0.7' }));
    h.sockets.push(other);
    await other.opened;
    other.send({ t: 'hello', id: 'h', email: 'e@example.com' });
    expect(await other.next({ id: 'h' })).toMatchObject({ t: 'welcome' });
    // One ends: there is room again.
    open[1]!.s.send({ t: 'end', id: 'e' });
    await open[1]!.s.next({ id: 'e' });
    const again = await h.visitor('d@example.com');
    expect(again.welcome.t).toBe('welcome');
  });
});
