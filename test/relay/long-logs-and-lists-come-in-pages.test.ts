/**
 * One customer's backlog cannot disconnect agents: logs and lists come in pages of at
 * most `MAX_PAGE_BYTES`, whatever was written (to a resuming visitor, the rest of the
 * log after the welcome's first page is pushed as event frames), and a log that reaches its limit ends
 * the chat (`log_full`). Before paging, one `watch` of 132 messages of 4,000 emoji was
 * a 2 MiB frame, and 360 queued chats with maximal fields made every `welcome` fail.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_LOG_BYTES, MAX_LOG_EVENTS, MAX_PAGE_BYTES } from '../../src/protocol/index.js';
import { cid, Harness, type Frame, type TestSocket } from './helpers.js';

const EMOJI_MESSAGE = '😀'.repeat(4000);
/** Frame overhead on top of a page (ids, field names). */
const SLACK = 1024;
const roomy = { visitorMessageRate: { count: 10_000, windowMs: 1000 }, visitorBytesRate: { count: 1e9, windowMs: 1000 }, helloRate: { count: 10_000, windowMs: 1000 }, maxOpenChatsPerAddress: 10_000 };

/** Sends `n` big messages and waits for every ack (or the first refusal). */
async function flood(s: TestSocket, n: number): Promise<Frame[]> {
  const replies: Frame[] = [];
  for (let i = 0; i < n; i++) {
    s.send({ t: 'send', id: `m${i}`, clientId: cid(), text: EMOJI_MESSAGE });
    const r = await s.next({ id: `m${i}` }, 10_000);
    replies.push(r);
    if (r.t === 'error') break;
  }
  return replies;
}

const bytes = (f: Frame) => Buffer.byteLength(JSON.stringify(f));

describe('pages', () => {
  let h: Harness;
  afterEach(() => h.cleanup());

  it('the largest emoji backlog (132 messages of 4,000 emoji, cut by the log limit) reaches an agent and a resuming visitor in pages, and nobody is cut off', async () => {
    h = await Harness.start(roomy);
    const { visitor, agent } = await h.activeChat();
    // As much as the log takes: 132 such messages pass its limit, which ends the chat.
    await flood(visitor.s, 132);

    const watcher = await h.agent('Bo');
    let afterSeq = 0;
    let pages = 0;
    const got: number[] = [];
    for (;;) {
      watcher.s.send({ t: 'watch', id: `w${pages}`, conversationId: visitor.conversationId, afterSeq });
      const ok = await watcher.s.next({ id: `w${pages}` }, 10_000);
      expect(ok.t).toBe('ok');
      expect(bytes(ok)).toBeLessThanOrEqual(MAX_PAGE_BYTES + SLACK);
      got.push(...ok.events.map((e: Frame) => e.seq));
      pages++;
      afterSeq = got[got.length - 1]!;
      if (!ok.more) break;
    }
    expect(pages).toBeGreaterThan(10);
    expect(got).toEqual(Array.from({ length: got.length }, (_, i) => i + 1));
    expect(got.length).toBe((await h.relay.store.readEvents(visitor.conversationId, 0)).length);
    expect(got.length).toBeGreaterThan(120);

    // A visitor resuming from 0: the welcome holds the first page, the rest follows as
    // event frames, each small, in order, before anything live.
    const tab = await h.connect('/v1/visitor');
    tab.send({ t: 'resume', id: 'r', token: visitor.token, conversationId: visitor.conversationId, afterSeq: 0 });
    const welcome = await tab.next({ id: 'r' });
    expect(bytes(welcome)).toBeLessThanOrEqual(MAX_PAGE_BYTES + SLACK);
    expect(welcome.events.length).toBeLessThan(got.length);
    const last = got[got.length - 1]!;
    await tab.next((f) => f.t === 'event' && f.event.seq === last, 10_000);
    const seen: number[] = [...welcome.events.map((e: Frame) => e.seq), ...tab.frames.filter((f) => f.t === 'event').map((f) => f.event.seq)];
    expect(seen).toEqual(got);
    for (const f of tab.frames) expect(bytes(f)).toBeLessThanOrEqual(MAX_PAGE_BYTES + SLACK);

    // Everyone is still connected and answering.
    for (const s of [agent.s, watcher.s, tab, visitor.s]) {
      s.send({ t: 'ping', id: 'alive' });
      expect(await s.next({ t: 'pong' })).toEqual({ t: 'pong', id: 'alive' });
    }
  }, 60_000);

  it("400 queued chats with maximal fields: an agent's welcome is one page with `next`, and `list` pages bring all of them, in queue order", async () => {
    h = await Harness.start(roomy);
    const s = await h.connect('/v1/visitor');
    const ids: string[] = [];
    const page = { url: `https://shop.example/${'p'.repeat(2000)}`, title: 'T'.repeat(300) };
    for (let i = 0; i < 400; i++) {
      s.send({ t: 'hello', id: `h${i}`, email: `${'x'.repeat(60)}${i}@${'d'.repeat(60)}.example`, name: 'N'.repeat(100), page });
      ids.push((await s.next({ id: `h${i}` })).conversation.id);
    }
    const agent = await h.agent();
    expect(bytes(agent.welcome)).toBeLessThanOrEqual(MAX_PAGE_BYTES + 4 * SLACK);
    expect(agent.welcome.next).toEqual(expect.any(String));
    const listed: string[] = agent.welcome.conversations.map((c: Frame) => c.id);
    let cursor: string | undefined = agent.welcome.next;
    for (let i = 0; cursor; i++) {
      agent.s.send({ t: 'list', id: `l${i}`, cursor });
      const ok = await agent.s.next({ id: `l${i}` });
      expect(bytes(ok)).toBeLessThanOrEqual(MAX_PAGE_BYTES + SLACK);
      listed.push(...ok.conversations.map((c: Frame) => c.id));
      cursor = ok.next;
    }
    // Queue order is oldest request first, then by id (the same on every relay): hellos
    // made within one millisecond stand in the queue by id, not by arrival.
    const createdAt = new Map((await h.relay.store.listConversations(['queued'])).map((c) => [c.id, c.createdAt]));
    expect([...createdAt.keys()].sort()).toEqual([...ids].sort());
    const rank = (id: string): string => `${createdAt.get(id)!}.${id}`;
    const inQueueOrder = [...ids].sort((x, y) => (rank(x) < rank(y) ? -1 : rank(x) > rank(y) ? 1 : 0));
    expect(listed).toEqual(inQueueOrder);
  }, 60_000);

  it(`a log that reaches its limit (${MAX_LOG_EVENTS} events or ${MAX_LOG_BYTES} bytes) ends the chat with reason log_full`, async () => {
    h = await Harness.start(roomy);
    const { visitor, agent } = await h.activeChat();
    const replies = await flood(visitor.s, 400);
    const last = replies[replies.length - 1]!;
    expect(last).toMatchObject({ t: 'error', code: 'ended' });
    const ended = await agent.s.next((f) => f.t === 'event' && f.event.type === 'ended', 10_000);
    expect(ended.event).toMatchObject({ by: 'system', reason: 'log_full' });
    const stored = await h.relay.store.readEvents(visitor.conversationId, 0);
    const size = stored.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)), 0);
    expect(size).toBeLessThanOrEqual(MAX_LOG_BYTES);
    expect(stored.length).toBeLessThanOrEqual(MAX_LOG_EVENTS);
    expect(stored[stored.length - 1]).toMatchObject({ type: 'ended', reason: 'log_full' });
  }, 60_000);
});
