/**
 * One customer cannot starve others: sockets per conversation and per address,
 * `resume` per address, and bytes of messages per address are budgeted; the relay's
 * registries keep nothing for sockets that are gone, and a block reads only the
 * conversations it concerns. Each of these was unbounded before.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_SOCKETS_PER_CONVERSATION } from '../../src/protocol/index.js';
import { MemoryStore, type Store } from '../../src/relay/index.js';
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
    const store = new MemoryStore();
    const listed: string[][] = [];
    const spy = new Proxy(store, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (prop === 'listConversations') return (statuses: string[]) => (listed.push(statuses), (v as Store['listConversations']).call(target, statuses as never));
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    h = await Harness.start({ store: spy });
    const { visitor, agent } = await h.activeChat();
    listed.length = 0;
    agent.s.send({ t: 'block', id: 'b', conversationId: visitor.conversationId });
    await agent.s.next({ id: 'b' });
    expect(listed.filter((s) => s.includes('ended'))).toEqual([]);
  });
});
