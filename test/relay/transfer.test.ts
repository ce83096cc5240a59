import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cid, Harness } from './helpers.js';

describe('agent transfer', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(() => h.cleanup());

  it('to an agent: a request the receiver accepts; then transferred and claimed, and the customer hears only who joined', async () => {
    const { visitor, agent } = await h.activeChat();
    const bo = await h.agent('Bo');
    const conversationId = visitor.conversationId;
    agent.s.send({ t: 'transfer', id: 't', conversationId, toAgentId: bo.id, note: 'billing question' });
    expect(await agent.s.next({ id: 't' })).toEqual({ t: 'ok', id: 't' });
    // The receiver's tile carries the request, with the note, though Bo watches nothing.
    const asked = await bo.s.next((f) => f.t === 'conversation' && f.summary.transferRequest);
    expect(asked.summary.transferRequest).toMatchObject({ from: { id: agent.id }, to: { id: bo.id }, note: 'billing question' });
    // The customer's log goes on without a gap; the request is for agents only.
    const hidden = await visitor.s.next((f) => f.t === 'event' && f.event.seq === 3);
    expect(hidden.event).toEqual({ type: 'internal', seq: 3, at: expect.any(String) });
    // Until Bo answers, the chat is still Jane's.
    agent.s.send({ t: 'send', id: 'a0', conversationId, clientId: cid(), text: 'one moment' });
    expect(await agent.s.next({ id: 'a0' })).toMatchObject({ t: 'ack', seq: 4 });
    bo.s.send({ t: 'accept', id: 'y', conversationId });
    expect(await bo.s.next({ id: 'y' })).toEqual({ t: 'ok', id: 'y' });
    const tr = await visitor.s.next((f) => f.t === 'event' && f.event.type === 'transferred');
    expect(tr.event).toMatchObject({ seq: 5, from: { id: agent.id }, to: { agent: { id: bo.id, name: 'Bo' } } });
    // The note is for the receiving agent: it reaches agents, never the customer.
    expect(tr.event.note).toBeUndefined();
    const heard = await bo.s.next((f) => f.t === 'event' && f.event.type === 'transferred');
    expect(heard.event.note).toBe('billing question');
    const cl = await visitor.s.next((f) => f.t === 'event' && f.event.type === 'claimed');
    expect(cl.event).toMatchObject({ seq: 6, agent: { id: bo.id } });
    bo.s.send({ t: 'send', id: 'b', conversationId, clientId: cid(), text: 'Bo here' });
    expect(await bo.s.next({ id: 'b' })).toMatchObject({ t: 'ack', seq: 7 });
    agent.s.send({ t: 'send', id: 'a', conversationId, clientId: cid(), text: 'still me?' });
    expect(await agent.s.next({ id: 'a' })).toMatchObject({ t: 'error', code: 'forbidden' });
  });

  it('to the queue: the conversation is queued again with a queue position, and claimable', async () => {
    const { visitor, agent } = await h.activeChat();
    const conversationId = visitor.conversationId;
    agent.s.send({ t: 'transfer', id: 't', conversationId });
    await agent.s.next({ id: 't', t: 'ok' });
    const tr = await visitor.s.next((f) => f.t === 'event' && f.event.type === 'transferred');
    expect(tr.event.to).toEqual({ queue: true });
    expect(await visitor.s.next({ t: 'queue' })).toEqual({ t: 'queue', position: 1 });
    const summary = await agent.s.next((f) => f.t === 'conversation' && f.summary.status === 'queued');
    expect(summary.summary.ownerId).toBeUndefined();
    const bo = await h.agent('Bo');
    expect(bo.welcome.conversations.map((c: any) => c.id)).toContain(conversationId);
    bo.s.send({ t: 'claim', id: 'c', conversationId });
    expect(await bo.s.next({ id: 'c' })).toEqual({ t: 'ok', id: 'c' });
  });

  it('refuses an unknown target agent with not_found', async () => {
    const { visitor, agent } = await h.activeChat();
    agent.s.send({ t: 'transfer', id: 't', conversationId: visitor.conversationId, toAgentId: 'nobody' });
    expect(await agent.s.next({ id: 't' })).toMatchObject({ t: 'error', code: 'not_found', field: 'toAgentId' });
  });
});
