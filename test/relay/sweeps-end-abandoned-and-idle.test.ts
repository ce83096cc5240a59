import { afterEach, describe, expect, it } from 'vitest';
import { cid, Harness, TestSocket } from './helpers.js';

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

  it('ends an active conversation with no messages as idle, and a message postpones it', async () => {
    h = await Harness.start({ idleAfterMs: 300, sweepIntervalMs: 25 });
    const { visitor } = await h.activeChat();
    await TestSocket.wait(150);
    visitor.s.send({ t: 'send', clientId: cid(), text: 'still here' });
    await visitor.s.next({ t: 'ack' });
    await TestSocket.wait(200);
    expect((await h.relay.store.getConversation(visitor.conversationId))!.status).toBe('active');
    const ended = await visitor.s.next((f) => f.t === 'event' && f.event.type === 'ended', 2000);
    expect(ended.event).toMatchObject({ by: 'system', reason: 'idle' });
  });
});
