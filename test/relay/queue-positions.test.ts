import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness } from './helpers.js';

describe('queue positions', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(() => h.cleanup());

  it('orders queued conversations oldest first and pushes a queue frame when a position changes', async () => {
    const v1 = await h.visitor('one@example.com');
    const v2 = await h.visitor('two@example.com');
    const v3 = await h.visitor('three@example.com');
    expect([v1, v2, v3].map((v) => v.welcome.conversation.queuePosition)).toEqual([1, 2, 3]);
    const agent = await h.agent();
    expect(agent.welcome.conversations.map((c: any) => c.id)).toEqual([v1.conversationId, v2.conversationId, v3.conversationId]);
    agent.s.send({ t: 'claim', id: 'c', conversationId: v1.conversationId });
    await agent.s.next({ id: 'c' });
    expect(await v2.s.next({ t: 'queue' })).toEqual({ t: 'queue', position: 1 });
    expect(await v3.s.next({ t: 'queue' })).toEqual({ t: 'queue', position: 2 });
    // The claim was answered: a queue frame it caused for v1 would be ahead of v1's pong.
    await v1.s.barrier();
    expect(v1.s.all({ t: 'queue' })).toHaveLength(0);
    // A visitor ending the chat in front moves the one behind.
    v2.s.send({ t: 'end', id: 'e' });
    expect(await v3.s.next({ t: 'queue' })).toEqual({ t: 'queue', position: 1 });
  });

  it('does not send a queue frame when nothing moved', async () => {
    const v1 = await h.visitor('one@example.com');
    await h.visitor('two@example.com');
    // The second hello was welcomed: a queue frame it caused for v1 would be ahead of v1's pong.
    await v1.s.barrier();
    expect(v1.s.all({ t: 'queue' })).toHaveLength(0);
  });
});
