import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness } from './helpers.js';

describe('visitor hello', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(() => h.cleanup());

  it('answers welcome with a token, a queued conversation and the whole log', async () => {
    const { welcome } = await h.visitor('Ann@Example.COM', { name: 'Ann', page: { url: 'https://shop.example/cart', title: 'Cart' } });
    expect(welcome.id).toBe('h1');
    expect(welcome.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(welcome.conversation).toMatchObject({ status: 'queued', queuePosition: 1 });
    expect(welcome.conversation.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(welcome.events).toHaveLength(1);
    expect(welcome.events[0]).toMatchObject({
      seq: 1,
      type: 'requested',
      visitor: { email: 'Ann@example.com', name: 'Ann' },
      page: { url: 'https://shop.example/cart', title: 'Cart' },
    });
    expect(new Date(welcome.events[0].at).toISOString()).toBe(welcome.events[0].at);
  });

  it('refuses a bad email with invalid and the field name, keeping the socket open', async () => {
    const s = await h.connect('/v1/visitor');
    s.send({ t: 'hello', id: 'x', email: 'not an email' });
    const err = await s.next({ t: 'error' });
    expect(err).toMatchObject({ id: 'x', code: 'invalid', field: 'email' });
    s.send({ t: 'ping', id: 'p' });
    expect(await s.next({ t: 'pong' })).toEqual({ t: 'pong', id: 'p' });
  });

  it('refuses conversation frames before hello with unauthorized', async () => {
    const s = await h.connect('/v1/visitor');
    s.send({ t: 'send', id: 's', clientId: '6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f', text: 'hi' });
    expect(await s.next({ t: 'error' })).toMatchObject({ id: 's', code: 'unauthorized' });
  });

  it('issues different conversations and tokens to different hellos', async () => {
    const a = await h.visitor('a@example.com');
    const b = await h.visitor('b@example.com');
    expect(a.conversationId).not.toBe(b.conversationId);
    expect(a.token).not.toBe(b.token);
    expect(b.welcome.conversation.queuePosition).toBe(2);
  });

  it('tells signed-in agents about the new conversation with a summary', async () => {
    const agent = await h.agent();
    const { conversationId } = await h.visitor('c@example.com', { name: 'Cy' });
    const f = await agent.s.next((x) => x.t === 'conversation' && x.summary.id === conversationId);
    expect(f.summary).toMatchObject({
      id: conversationId,
      status: 'queued',
      visitor: { email: 'c@example.com', name: 'Cy' },
      lastSeq: 1,
      unread: 0,
    });
    expect(typeof f.summary.requestedAt).toBe('string');
  });

  it('stores only a hash of the visitor token', async () => {
    const { conversationId, token } = await h.visitor();
    const rec = (await h.relay.store.getConversation(conversationId))!;
    expect(rec.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(rec.tokenHash).not.toContain(token);
  });
});
