/**
 * Who hears what about a conversation's list entry: new messages as one small
 * `activity` frame a moment later (the owner of an active chat; every agent for a
 * queued one, whose tile is on every list), and a status change as a whole summary to
 * everyone at once. A busy queue costs agents a few bytes per chat, not whole tiles.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cid, Harness, TestSocket, type Frame } from './helpers.js';

describe('conversation summaries and activity', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(() => h.cleanup());

  const summaryOf = (id: string) => (f: Frame) => f.t === 'conversation' && f.summary.id === id;
  const activityOf = (id: string) => (f: Frame) => f.t === 'activity' && f.conversationId === id;

  it('tells the owner about messages in one activity frame a moment later, other agents not at all, and everyone about a status change', async () => {
    const { visitor, agent } = await h.activeChat();
    const other = await h.agent('Bo');
    const id = visitor.conversationId;
    const summariesBefore = agent.s.frames.filter(summaryOf(id)).length;
    for (const text of ['one', 'two', 'three']) {
      visitor.s.send({ t: 'send', clientId: cid(), text });
      await visitor.s.next({ t: 'ack' });
    }
    const activity = await agent.s.next((f) => activityOf(id)(f) && f.unread === 3);
    expect(activity).toEqual({ t: 'activity', conversationId: id, lastSeq: 5, unread: 3 });
    await TestSocket.wait(200);
    expect(agent.s.frames.filter(activityOf(id))).toHaveLength(1);
    expect(agent.s.frames.filter(summaryOf(id)).length).toBe(summariesBefore);
    expect(other.s.frames.filter(activityOf(id))).toHaveLength(0);
    // A status change reaches every agent at once, as a whole summary.
    agent.s.send({ t: 'end', id: 'e', conversationId: id });
    expect((await other.s.next(summaryOf(id))).summary.status).toBe('ended');
  });

  it("tells every agent about a queued chat's messages, in a frame of under 100 bytes whatever the tile holds", async () => {
    const page = { url: `https://shop.example/${'p'.repeat(2000)}`, title: '😀'.repeat(300) };
    const visitor = await h.visitor('ann@example.com', { name: 'N'.repeat(100), page });
    const [jane, bo] = [await h.agent('Jane'), await h.agent('Bo')];
    visitor.s.send({ t: 'send', id: 's', clientId: cid(), text: 'hello?' });
    await visitor.s.next({ id: 's' });
    for (const a of [jane, bo]) {
      const f = await a.s.next(activityOf(visitor.conversationId));
      expect(f).toMatchObject({ lastSeq: 2, unread: 1 });
      expect(Buffer.byteLength(JSON.stringify(f))).toBeLessThan(100);
    }
  });
});
