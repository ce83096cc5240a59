import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore, startRelay, type Relay } from '../../src/relay/index.js';
import { QueueOrder } from '../../src/relay/queue-order.js';
import type { ConversationStatus } from '../../src/protocol/index.js';
import type { ConversationRecord } from '../../src/relay/store.js';
import { Harness, TestSocket } from './helpers.js';

/** An in-memory SQLite store that counts how often the relay lists conversations. */
class CountingStore extends SqliteStore {
  lists = 0;
  constructor() {
    super(':memory:');
  }
  override listConversations(statuses: readonly ConversationStatus[]): Promise<ConversationRecord[]> {
    this.lists++;
    return super.listConversations(statuses);
  }
}

describe('QueueOrder', () => {
  it('keeps queued conversations oldest first and reports exactly the positions that moved', () => {
    const q = new QueueOrder();
    // Created one after the other: a before b before c.
    ['a', 'b', 'c'].forEach((id, i) => q.created(id, new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString()));
    expect(q.enter('a')).toEqual([['a', 1]]);
    expect(q.enter('b')).toEqual([['b', 2]]);
    expect(q.enter('c')).toEqual([['c', 3]]);
    expect(q.leave('a')).toEqual([
      ['b', 1],
      ['c', 2],
    ]);
    expect(q.position('a')).toBeUndefined();
    // Back in the queue, the oldest request goes back in front.
    expect(q.enter('a')).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    expect(q.forget('c')).toEqual([]);
    expect(q.leave('b')).toEqual([]);
    expect(q.queued()).toEqual(['a']);
    expect(q.enter('a')).toEqual([]);
  });
});

describe('queue positions kept in memory', () => {
  let h: Harness | null = null;
  const relays: Relay[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    await h?.cleanup();
    h = null;
    for (const r of relays.splice(0)) await r.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('answers hellos without reading the queue from the store', async () => {
    const store = new CountingStore();
    try {
      h = await Harness.start({ store });
      store.lists = 0;
      const positions: number[] = [];
      for (let i = 0; i < 20; i++) positions.push((await h.visitor(`v${i}@example.com`)).welcome.conversation.queuePosition);
      expect(positions).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(store.lists).toBe(0);
    } finally {
      await h?.cleanup();
      h = null;
      await store.close();
    }
  });

  it('puts a conversation transferred back to the queue at its place by age and moves those behind it', async () => {
    h = await Harness.start();
    const v1 = await h.visitor('one@example.com');
    const v2 = await h.visitor('two@example.com');
    const v3 = await h.visitor('three@example.com');
    const agent = await h.agent();
    agent.s.send({ t: 'claim', id: 'c', conversationId: v1.conversationId });
    await agent.s.next({ id: 'c' });
    expect(await v2.s.next({ t: 'queue' })).toEqual({ t: 'queue', position: 1 });
    expect(await v3.s.next({ t: 'queue' })).toEqual({ t: 'queue', position: 2 });
    agent.s.send({ t: 'transfer', id: 't', conversationId: v1.conversationId });
    await agent.s.next({ id: 't' });
    expect(await v1.s.next({ t: 'queue' })).toEqual({ t: 'queue', position: 1 });
    expect(await v2.s.next({ t: 'queue' })).toEqual({ t: 'queue', position: 2 });
    expect(await v3.s.next({ t: 'queue' })).toEqual({ t: 'queue', position: 3 });
    const late = await h.agent('Late');
    expect(late.welcome.conversations.map((c: { id: string }) => c.id)).toEqual([v1.conversationId, v2.conversationId, v3.conversationId]);
  });

  it('rebuilds the queue from the store at start-up', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-queue-'));
    dirs.push(dataDir);
    const first = await startRelay({ port: 0, dataDir });
    relays.push(first);
    const ws = (r: Relay) => r.url.replace(/^http/, 'ws');
    const open = async (r: Relay, path: string) => {
      const { default: WebSocket } = await import('ws');
      const s = new TestSocket(new WebSocket(ws(r) + path));
      await s.opened;
      return s;
    };
    const visitors = [];
    for (const email of ['one@example.com', 'two@example.com', 'three@example.com']) {
      const s = await open(first, '/v1/visitor');
      s.send({ t: 'hello', id: 'h', email });
      visitors.push({ s, welcome: await s.next({ t: 'welcome' }) });
    }
    const a = await first.addAgent('Jane Doe');
    const agent = await open(first, '/v1/agent');
    agent.send({ t: 'hello', id: 'a', token: a.token });
    await agent.next({ t: 'welcome' });
    agent.send({ t: 'claim', id: 'c', conversationId: visitors[1]!.welcome.conversation.id });
    await agent.next({ id: 'c' });
    for (const v of visitors) v.s.close();
    agent.close();
    await first.close();

    const second = await startRelay({ port: 0, dataDir });
    relays.push(second);
    const back = await open(second, '/v1/visitor');
    const third = visitors[2]!.welcome;
    back.send({ t: 'resume', id: 'r', token: third.token, conversationId: third.conversation.id, afterSeq: 1 });
    expect((await back.next({ t: 'welcome' })).conversation).toEqual({ id: third.conversation.id, status: 'queued', queuePosition: 2 });
    back.close();
  });
});
