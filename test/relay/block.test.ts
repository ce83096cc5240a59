import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness } from './helpers.js';

describe('agent block', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(() => h.cleanup());

  it('ends the chat as blocked, closes the visitor 4403, and refuses later hellos with blocked + 4403', async () => {
    const { visitor, agent } = await h.activeChat();
    agent.s.send({ t: 'block', id: 'b', conversationId: visitor.conversationId, comment: 'spam' });
    expect(await agent.s.next({ id: 'b' })).toEqual({ t: 'ok', id: 'b' });
    const ended = await visitor.s.next((f) => f.t === 'event' && f.event.type === 'ended');
    expect(ended.event).toMatchObject({ by: 'agent', reason: 'blocked', agent: { id: agent.id } });
    expect((await visitor.s.closed).code).toBe(4403);

    const again = await h.connect('/v1/visitor');
    again.send({ t: 'hello', id: 'h', email: 'ann@example.com' });
    expect(await again.next({ t: 'error' })).toMatchObject({ id: 'h', code: 'blocked' });
    expect((await again.closed).code).toBe(4403);
    expect(h.relay.store.isBlocked('ann@example.com', '203.0.113.9')).toBe(true);
  });

  it('blocks the IP address too: a hello with another email from it is refused', async () => {
    const { visitor, agent } = await h.activeChat();
    agent.s.send({ t: 'block', id: 'b', conversationId: visitor.conversationId });
    await agent.s.next({ id: 'b' });
    const other = await h.connect('/v1/visitor');
    other.send({ t: 'hello', id: 'h', email: 'someone-else@example.org' });
    expect(await other.next({ t: 'error' })).toMatchObject({ code: 'blocked' });
    expect((await other.closed).code).toBe(4403);
    expect(h.relay.store.isBlocked('nobody@example.net', '127.0.0.1')).toBe(true);
  });

  it("ends the visitor's other open chats as blocked, and refuses their resume with blocked + 4403", async () => {
    const second = await h.visitor('ann@example.com'); // the same person in another tab
    const { visitor, agent } = await h.activeChat();
    agent.s.send({ t: 'block', id: 'b', conversationId: visitor.conversationId });
    await agent.s.next({ id: 'b' });
    const ended = await second.s.next((f) => f.t === 'event' && f.event.type === 'ended');
    expect(ended.event).toMatchObject({ by: 'system', reason: 'blocked' });
    expect((await second.s.closed).code).toBe(4403);

    const again = await h.connect('/v1/visitor');
    again.send({ t: 'resume', id: 'r', token: second.token, conversationId: second.conversationId, afterSeq: 0 });
    expect(await again.next({ t: 'error' })).toMatchObject({ id: 'r', code: 'blocked' });
    expect((await again.closed).code).toBe(4403);
    expect(again.frames.some((f) => f.t === 'welcome')).toBe(false);
  });
});
