import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cid, Harness, TestSocket, type Frame } from './helpers.js';

describe('conversation summaries', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(() => h.cleanup());

  const of = (id: string) => (f: Frame) => f.t === 'conversation' && f.summary.id === id;

  it('tells the owner about messages in one summary a moment later, other agents not at all, and everyone about a status change', async () => {
    const { visitor, agent } = await h.activeChat();
    const other = await h.agent('Bo');
    const id = visitor.conversationId;
    const ownerBefore = agent.s.frames.filter(of(id)).length;
    for (const text of ['one', 'two', 'three']) {
      visitor.s.send({ t: 'send', clientId: cid(), text });
      await visitor.s.next({ t: 'ack' });
    }
    const summary = await agent.s.next((f) => of(id)(f) && f.summary.unread === 3);
    expect(summary.summary).toMatchObject({ status: 'active', lastSeq: 5, ownerId: agent.id });
    await TestSocket.wait(200);
    expect(agent.s.frames.filter(of(id)).length - ownerBefore).toBe(1);
    expect(other.s.frames.filter(of(id))).toHaveLength(0);
    // A status change reaches every agent at once.
    agent.s.send({ t: 'end', id: 'e', conversationId: id });
    expect((await other.s.next(of(id))).summary.status).toBe('ended');
  });
});
