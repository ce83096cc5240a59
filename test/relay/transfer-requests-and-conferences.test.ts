/**
 * Hand-offs that wait for an answer: a transfer request the receiver declines, the
 * owner withdraws, or nobody answers in time (the chat stays with its owner each
 * time); and conferences: an invited agent joins, both write, the customer sees who
 * joined and who left with full names, and an owner who leaves hands the chat to the
 * guest. Requests are for agents: the customer's log shows them only as `internal`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cid, Harness, type Frame } from './helpers.js';

let h: Harness;
afterEach(() => h.cleanup());

const eventOf = (type: string) => (f: Frame) => f.t === 'event' && f.event.type === type;

describe('transfer requests', () => {
  it('a decline leaves the chat with its owner; the owner hears it', async () => {
    h = await Harness.start();
    const { visitor, agent } = await h.activeChat();
    const bo = await h.agent('Bo Stone');
    const id = visitor.conversationId;
    agent.s.send({ t: 'transfer', id: 't', conversationId: id, toAgentId: bo.id, note: 'VIP' });
    await agent.s.next({ id: 't' });
    bo.s.send({ t: 'decline', id: 'n', conversationId: id });
    expect(await bo.s.next({ id: 'n' })).toEqual({ t: 'ok', id: 'n' });
    const told = await agent.s.next(eventOf('transfer_declined'));
    expect(told.event).toMatchObject({ from: { id: agent.id }, to: { id: bo.id }, reason: 'declined' });
    const tile = await agent.s.next((f) => f.t === 'conversation' && f.summary.id === id && !f.summary.transferRequest);
    expect(tile.summary).toMatchObject({ status: 'active', ownerId: agent.id });
    // A second answer finds nothing waiting.
    bo.s.send({ t: 'accept', id: 'y', conversationId: id });
    expect(await bo.s.next({ id: 'y' })).toMatchObject({ t: 'error', code: 'not_found' });
    await visitor.s.next((f) => f.t === 'event' && f.event.seq === 4);
    expect(visitor.s.frames.filter(eventOf('internal')).map((f) => f.event.seq)).toEqual([3, 4]);
  });

  it('a withdrawn request cannot be accepted; one request at a time', async () => {
    h = await Harness.start();
    const { visitor, agent } = await h.activeChat();
    const bo = await h.agent('Bo Stone');
    const cy = await h.agent('Cy Young');
    const id = visitor.conversationId;
    agent.s.send({ t: 'transfer', id: 't', conversationId: id, toAgentId: bo.id });
    await agent.s.next({ id: 't' });
    agent.s.send({ t: 'invite', id: 'i', conversationId: id, toAgentId: cy.id });
    expect(await agent.s.next({ id: 'i' })).toMatchObject({ t: 'error', code: 'conflict' });
    // The withdraw and the accept race: whichever the log takes first wins, the other is refused.
    agent.s.send({ t: 'withdraw', id: 'w', conversationId: id });
    expect(await agent.s.next({ id: 'w' })).toEqual({ t: 'ok', id: 'w' });
    bo.s.send({ t: 'accept', id: 'y', conversationId: id });
    expect(await bo.s.next({ id: 'y' })).toMatchObject({ t: 'error', code: 'not_found' });
    expect((await agent.s.next(eventOf('transfer_declined'))).event.reason).toBe('canceled');
    expect(await h.relay.store.getConversation(id)).toMatchObject({ ownerId: agent.id });
    agent.s.send({ t: 'withdraw', id: 'w2', conversationId: id });
    expect(await agent.s.next({ id: 'w2' })).toMatchObject({ t: 'error', code: 'not_found' });
  });

  it('runs out unanswered after requestTimeoutMs; the owner keeps the chat', async () => {
    h = await Harness.start({ requestTimeoutMs: 300, routingTickMs: 50 });
    const { visitor, agent } = await h.activeChat();
    const bo = await h.agent('Bo Stone');
    const id = visitor.conversationId;
    agent.s.send({ t: 'transfer', id: 't', conversationId: id, toAgentId: bo.id });
    await agent.s.next({ id: 't' });
    const out = await agent.s.next(eventOf('transfer_declined'), 5_000);
    expect(out.event.reason).toBe('timeout');
    bo.s.send({ t: 'accept', id: 'y', conversationId: id });
    expect(await bo.s.next({ id: 'y' })).toMatchObject({ t: 'error', code: 'not_found' });
    expect(await h.relay.store.getConversation(id)).toMatchObject({ status: 'active', ownerId: agent.id });
  });
});

describe('conferences', () => {
  it('an invited agent joins; both write; the customer sees joins and leaves by full name', async () => {
    h = await Harness.start();
    const { visitor, agent } = await h.activeChat();
    const bo = await h.agent('Bo Stone');
    const id = visitor.conversationId;
    agent.s.send({ t: 'invite', id: 'i', conversationId: id, toAgentId: bo.id });
    expect(await agent.s.next({ id: 'i' })).toEqual({ t: 'ok', id: 'i' });
    const asked = await bo.s.next((f) => f.t === 'conversation' && f.summary.invite);
    expect(asked.summary.invite).toMatchObject({ from: { name: 'Jane Doe' }, to: { id: bo.id } });
    bo.s.send({ t: 'accept', id: 'y', conversationId: id });
    expect(await bo.s.next({ id: 'y' })).toEqual({ t: 'ok', id: 'y' });
    expect((await visitor.s.next(eventOf('joined'))).event.agent).toEqual({ id: bo.id, name: 'Bo Stone' });
    // Bo's list has the chat now, and both may write; each message names its author.
    const again = await h.connect('/v1/agent');
    again.send({ t: 'hello', id: 'h', token: bo.token });
    const w = await again.next({ t: 'welcome' });
    expect(w.conversations.find((c: Frame) => c.id === id)).toMatchObject({ ownerId: agent.id, guests: [{ id: bo.id, name: 'Bo Stone' }] });
    bo.s.send({ t: 'send', id: 'b', conversationId: id, clientId: cid(), text: 'Bo from billing here' });
    expect((await bo.s.next({ id: 'b' })).t).toBe('ack');
    agent.s.send({ t: 'send', id: 'a', conversationId: id, clientId: cid(), text: 'Jane still here' });
    expect((await agent.s.next({ id: 'a' })).t).toBe('ack');
    const said = [await visitor.s.next((f) => eventOf('message')(f) && f.event.text.startsWith('Bo')), await visitor.s.next((f) => eventOf('message')(f) && f.event.text.startsWith('Jane'))];
    expect(said.map((f) => f.event.agent.name)).toEqual(['Bo Stone', 'Jane Doe']);
    // Only the owner ends, blocks or transfers.
    bo.s.send({ t: 'end', id: 'e', conversationId: id });
    expect(await bo.s.next({ id: 'e' })).toMatchObject({ t: 'error', code: 'forbidden' });
    // The owner leaves: Bo owns the chat now, and the customer sees Jane leave.
    agent.s.send({ t: 'leave', id: 'l', conversationId: id });
    expect(await agent.s.next({ id: 'l' })).toEqual({ t: 'ok', id: 'l' });
    expect((await visitor.s.next(eventOf('left'))).event.agent).toEqual({ id: agent.id, name: 'Jane Doe' });
    expect(await h.relay.store.getConversation(id)).toMatchObject({ ownerId: bo.id });
    agent.s.send({ t: 'send', id: 'a2', conversationId: id, clientId: cid(), text: 'bye' });
    expect(await agent.s.next({ id: 'a2' })).toMatchObject({ t: 'error', code: 'forbidden' });
    bo.s.send({ t: 'leave', id: 'l2', conversationId: id });
    expect(await bo.s.next({ id: 'l2' })).toMatchObject({ t: 'error', code: 'conflict' });
  });

  it('a guest leaves on their own; an invitation can be declined, and not sent to someone inside', async () => {
    h = await Harness.start();
    const { visitor, agent } = await h.activeChat();
    const bo = await h.agent('Bo Stone');
    const id = visitor.conversationId;
    agent.s.send({ t: 'invite', id: 'i', conversationId: id, toAgentId: bo.id });
    await agent.s.next({ id: 'i' });
    bo.s.send({ t: 'decline', id: 'n', conversationId: id });
    await bo.s.next({ id: 'n' });
    expect((await agent.s.next(eventOf('invite_declined'))).event.reason).toBe('declined');
    agent.s.send({ t: 'invite', id: 'i2', conversationId: id, toAgentId: bo.id });
    await agent.s.next({ id: 'i2' });
    bo.s.send({ t: 'accept', id: 'y', conversationId: id });
    await bo.s.next({ id: 'y' });
    agent.s.send({ t: 'invite', id: 'i3', conversationId: id, toAgentId: bo.id });
    expect(await agent.s.next({ id: 'i3' })).toMatchObject({ t: 'error', code: 'conflict' });
    bo.s.send({ t: 'leave', id: 'l', conversationId: id });
    await bo.s.next({ id: 'l' });
    expect((await visitor.s.next(eventOf('left'))).event.agent.name).toBe('Bo Stone');
    expect(await h.relay.store.getConversation(id)).toMatchObject({ ownerId: agent.id });
    bo.s.send({ t: 'send', id: 'b', conversationId: id, clientId: cid(), text: 'still?' });
    expect(await bo.s.next({ id: 'b' })).toMatchObject({ t: 'error', code: 'forbidden' });
  });
});
