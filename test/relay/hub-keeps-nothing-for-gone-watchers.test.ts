import { afterEach, describe, expect, it } from 'vitest';
import { Harness, TestSocket } from './helpers.js';

describe('the socket registry', () => {
  let h: Harness;
  afterEach(() => h.cleanup());

  it('unwatch and a closed agent socket leave no empty watcher entries', async () => {
    h = await Harness.start();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await h.visitor(`v${i}@example.com`)).conversationId);
    const agent = await h.agent();
    for (const id of ids) {
      agent.s.send({ t: 'watch', id: `w-${id}`, conversationId: id, afterSeq: 0 });
      await agent.s.next({ id: `w-${id}` });
    }
    expect(h.relay.stats().watchedConversations).toBe(3);
    agent.s.send({ t: 'unwatch', id: 'u', conversationId: ids[0] });
    expect(await agent.s.next({ id: 'u' })).toEqual({ t: 'ok', id: 'u' });
    expect(h.relay.stats().watchedConversations).toBe(2);
    agent.s.close();
    await agent.s.closed;
    await TestSocket.wait(50);
    expect(h.relay.stats().watchedConversations).toBe(0);
    expect(h.relay.stats().agentSockets).toBe(0);
  });
});
