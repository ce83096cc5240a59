import { afterEach, describe, expect, it } from 'vitest';
import { cid, Harness, TestSocket } from './helpers.js';

const MINUTE = 60_000;
/** Lets the relay's sweep timer (every 20 ms here) run about `n` times. */
const sweeps = (n: number) => TestSocket.wait(20 * n + 10);

describe('time-based endings', () => {
  let h: Harness;
  afterEach(() => h.cleanup());

  it('ends a queued conversation whose visitor left as abandoned', async () => {
    h = await Harness.start({ abandonedAfterMs: 150, sweepIntervalMs: 25 });
    const agent = await h.agent();
    const v = await h.visitor();
    agent.s.send({ t: 'watch', id: 'w', conversationId: v.conversationId, afterSeq: 0 });
    await agent.s.next({ id: 'w' });
    v.s.close();
    const ended = await agent.s.next((f) => f.t === 'event' && f.event.type === 'ended');
    expect(ended.event).toMatchObject({ by: 'system', reason: 'abandoned', seq: 2 });
  });

  it('keeps a queued conversation while its visitor stays connected', async () => {
    h = await Harness.start({ abandonedAfterMs: 50, sweepIntervalMs: 20 });
    const v = await h.visitor();
    await TestSocket.wait(200);
    expect((await h.relay.store.getConversation(v.conversationId))!.status).toBe('queued');
    expect(v.s.all({ t: 'event' })).toHaveLength(0);
  });

  it('ends an active conversation with no messages as idle by the relay\'s clock, and a message postpones it', async () => {
    // The relay's clock is injected: minutes pass by stepping it, not by waiting.
    let now = Date.parse('2026-03-02T09:00:00Z');
    h = await Harness.start({ now: () => now, idleAfterMs: 10 * MINUTE, sweepIntervalMs: 20 });
    const { visitor } = await h.activeChat();
    expect((await h.relay.store.readEvents(visitor.conversationId, 0)).map((e) => e.at)).toEqual(['2026-03-02T09:00:00.000Z', '2026-03-02T09:00:00.000Z']);
    now += 9 * MINUTE;
    visitor.s.send({ t: 'send', clientId: cid(), text: 'still here' });
    await visitor.s.next({ t: 'ack' });
    now += 9 * MINUTE; // 18 minutes after the claim, 9 after the message
    await sweeps(3);
    expect((await h.relay.store.getConversation(visitor.conversationId))!.status).toBe('active');
    now += 2 * MINUTE;
    const ended = await visitor.s.next((f) => f.t === 'event' && f.event.type === 'ended', 2000);
    expect(ended.event).toMatchObject({ by: 'system', reason: 'idle', at: '2026-03-02T09:20:00.000Z' });
  });
});
