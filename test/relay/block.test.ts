import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Harness, TestSocket } from './helpers.js';

/** A visitor socket from another loopback address (Linux routes all of 127.0.0.0/8 to this host). */
async function visitorFrom(h: Harness, localAddress: string, email: string) {
  const s = new TestSocket(new WebSocket(`${h.wsUrl}/v1/visitor`, { localAddress }));
  h.sockets.push(s);
  await s.opened;
  s.send({ t: 'hello', id: 'h1', email });
  const welcome = await s.next({ t: 'welcome' });
  return { s, welcome, conversationId: welcome.conversation.id as string, token: welcome.token as string };
}

describe('agent block', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(() => h.cleanup());

  it('ends the chat as blocked, closes the visitor 4403, and refuses that email from that address again, in any case', async () => {
    const { visitor, agent } = await h.activeChat();
    agent.s.send({ t: 'block', id: 'b', conversationId: visitor.conversationId, comment: 'spam' });
    expect(await agent.s.next({ id: 'b' })).toMatchObject({ t: 'ok', id: 'b', blockId: expect.any(String) });
    const ended = await visitor.s.next((f) => f.t === 'event' && f.event.type === 'ended');
    expect(ended.event).toMatchObject({ by: 'agent', reason: 'blocked', agent: { id: agent.id } });
    expect((await visitor.s.closed).code).toBe(4403);

    for (const email of ['ann@example.com', 'ANN@example.com', 'Ann@Example.com']) {
      const again = await h.connect('/v1/visitor');
      again.send({ t: 'hello', id: 'h', email });
      expect(await again.next({ t: 'error' })).toMatchObject({ id: 'h', code: 'blocked' });
      expect((await again.closed).code).toBe(4403);
    }
  });

  it('by default leaves others behind the same address alone; by address (the choice) refuses them too', async () => {
    const { visitor, agent } = await h.activeChat();
    agent.s.send({ t: 'block', id: 'b', conversationId: visitor.conversationId });
    await agent.s.next({ id: 'b' });
    const colleague = await h.visitor('someone-else@example.org');
    expect(colleague.welcome.t).toBe('welcome');

    const second = await h.visitor('mallory@example.net');
    agent.s.send({ t: 'claim', id: 'c2', conversationId: second.conversationId });
    await agent.s.next({ id: 'c2' });
    agent.s.send({ t: 'block', id: 'b2', conversationId: second.conversationId, byAddress: true });
    await agent.s.next({ id: 'b2' });
    const other = await h.connect('/v1/visitor');
    other.send({ t: 'hello', id: 'h', email: 'third@example.org' });
    expect(await other.next({ t: 'error' })).toMatchObject({ code: 'blocked' });
    expect((await other.closed).code).toBe(4403);
    // Chats already open behind that address go on.
    colleague.s.send({ t: 'ping', id: 'p' });
    expect(await colleague.s.next({ t: 'pong' })).toEqual({ t: 'pong', id: 'p' });
  });

  it("ends the same person's other open chats (same email, same address) and refuses their resume with blocked + 4403", async () => {
    const second = await h.visitor('Ann@example.com'); // the same person in another tab
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

  it('lists blocks in force for agents, with an expiry 30 days out, and lifts one', async () => {
    const { visitor, agent } = await h.activeChat();
    agent.s.send({ t: 'block', id: 'b', conversationId: visitor.conversationId, comment: 'abuse' });
    const { blockId } = await agent.s.next({ id: 'b' });
    agent.s.send({ t: 'blocks', id: 'l' });
    const list = await agent.s.next({ id: 'l' });
    expect(list.blocks).toHaveLength(1);
    const [b] = list.blocks;
    expect(b).toMatchObject({ id: blockId, email: 'ann@example.com', address: '127.0.0.1', byAddress: false, comment: 'abuse', conversationId: visitor.conversationId });
    const days = (Date.parse(b.expiresAt) - Date.parse(b.at)) / 86_400_000;
    expect(days).toBe(30);

    agent.s.send({ t: 'unblock', id: 'u', blockId });
    expect(await agent.s.next({ id: 'u' })).toEqual({ t: 'ok', id: 'u' });
    agent.s.send({ t: 'unblock', id: 'u2', blockId });
    expect(await agent.s.next({ id: 'u2' })).toMatchObject({ t: 'error', code: 'not_found' });
    const back = await h.visitor('ann@example.com');
    expect(back.welcome.t).toBe('welcome');
  });

  it("a typed email is not an identity: blocking someone who typed a customer's email leaves that customer's chats alone", async () => {
    const customer = await visitorFrom(h, '127.0.0.2', 'carol@example.com');
    const attacker = await h.visitor('Carol@example.com');
    const agent = await h.agent();
    agent.s.send({ t: 'claim', id: 'c', conversationId: attacker.conversationId });
    await agent.s.next({ id: 'c' });
    agent.s.send({ t: 'block', id: 'b', conversationId: attacker.conversationId });
    await agent.s.next({ id: 'b' });
    expect((await attacker.s.closed).code).toBe(4403);

    // The customer's open chat goes on, resumes, and a new chat from them is welcome.
    customer.s.send({ t: 'ping', id: 'p' });
    expect(await customer.s.next({ t: 'pong' })).toEqual({ t: 'pong', id: 'p' });
    expect(customer.s.frames.some((f) => f.t === 'event' && f.event.type === 'ended')).toBe(false);
    const tab = new TestSocket(new WebSocket(`${h.wsUrl}/v1/visitor`, { localAddress: '127.0.0.2' }));
    h.sockets.push(tab);
    await tab.opened;
    tab.send({ t: 'resume', id: 'r', token: customer.token, conversationId: customer.conversationId, afterSeq: 0 });
    expect(await tab.next({ id: 'r' })).toMatchObject({ t: 'welcome' });
    const later = await visitorFrom(h, '127.0.0.2', 'carol@example.com');
    expect(later.welcome.t).toBe('welcome');
    // The attacker, from where it was blocked, is still refused.
    const retry = await h.connect('/v1/visitor');
    retry.send({ t: 'hello', id: 'h', email: 'CAROL@example.com' });
    expect(await retry.next({ t: 'error' })).toMatchObject({ code: 'blocked' });
  });

  it('lists blocks a page at a time (newest first), saying when older ones exist', async () => {
    await h.cleanup();
    h = await Harness.start({ helloRate: { count: 1000, windowMs: 60_000 } });
    const agent = await h.agent();
    const comment = '😀'.repeat(1000);
    for (let i = 0; i < 40; i++) {
      const v = await h.visitor(`spam${i}@example.com`);
      agent.s.send({ t: 'claim', id: `c${i}`, conversationId: v.conversationId });
      await agent.s.next({ id: `c${i}` });
      agent.s.send({ t: 'block', id: `b${i}`, conversationId: v.conversationId, comment });
      await agent.s.next({ id: `b${i}` });
    }
    agent.s.send({ t: 'blocks', id: 'l' });
    const page = await agent.s.next({ id: 'l' });
    expect(page.more).toBe(true);
    expect(page.blocks.length).toBeLessThan(40);
    expect(page.blocks[0].email).toBe('spam39@example.com');
    expect(Buffer.byteLength(JSON.stringify(page))).toBeLessThanOrEqual(130 * 1024);
  });
});

