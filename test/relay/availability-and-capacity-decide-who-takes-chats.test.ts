/**
 * Availability and capacity, as a support floor has them: an away agent takes no chat
 * (`unavailable`) and is asked for none; nobody owns more chats than their capacity
 * (`at_capacity`), checked in the store's own transaction so that claims at once cannot
 * both take the last place; and an agent without a console for `agentGoneMs` has their
 * chats handed back to the queue at their place, the customer told they wait.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cid, Harness } from './helpers.js';

let h: Harness;
afterEach(() => h.cleanup());

describe('availability and capacity', () => {
  it('refuses a claim by an away agent with unavailable, and takes it once online again', async () => {
    h = await Harness.start();
    const v = await h.visitor();
    const jane = await h.agent('Jane Doe');
    jane.s.send({ t: 'status', id: 's', value: 'away' });
    await jane.s.next({ id: 's' });
    jane.s.send({ t: 'claim', id: 'c', conversationId: v.conversationId });
    expect(await jane.s.next({ id: 'c' })).toMatchObject({ t: 'error', code: 'unavailable', message: expect.stringContaining('away') });
    jane.s.send({ t: 'status', id: 's2', value: 'online' });
    await jane.s.next({ id: 's2' });
    jane.s.send({ t: 'claim', id: 'c2', conversationId: v.conversationId });
    expect(await jane.s.next({ id: 'c2' })).toEqual({ t: 'ok', id: 'c2' });
  });

  it('refuses a claim past capacity with at_capacity, also for claims sent at once', async () => {
    h = await Harness.start();
    const jane = await h.agent('Jane Doe');
    expect(jane.welcome.agent).toEqual({ id: jane.id, name: 'Jane Doe', capacity: 3 });
    expect(await h.relay.store.setAgentCapacity(jane.id, 2)).toBe(true);
    const visitors = await Promise.all(['a', 'b', 'c', 'd'].map((x) => h.visitor(`${x}@example.com`)));
    // A second console of the same agent claims at the same moment as the first.
    const other = await h.connect('/v1/agent');
    other.send({ t: 'hello', id: 'h', token: jane.token });
    await other.next({ t: 'welcome' });
    visitors.forEach((v, i) => (i % 2 ? other : jane.s).send({ t: 'claim', id: `c${i}`, conversationId: v.conversationId }));
    const answers = await Promise.all(visitors.map((_, i) => (i % 2 ? other : jane.s).next({ id: `c${i}` })));
    expect(answers.filter((a) => a.t === 'ok')).toHaveLength(2);
    expect(answers.filter((a) => a.t === 'error').map((a) => a.code)).toEqual(['at_capacity', 'at_capacity']);
    expect(await h.relay.store.listActiveOwnedBy(jane.id)).toHaveLength(2);
  });

  it('asks no away, offline or full agent to take a chat over, and refuses an accept past capacity', async () => {
    h = await Harness.start();
    const { visitor, agent } = await h.activeChat();
    const id = visitor.conversationId;
    const bo = await h.agent('Bo Stone');
    const gone = await h.relay.addAgent('Olga Offline');
    agent.s.send({ t: 'transfer', id: 't1', conversationId: id, toAgentId: gone.id });
    expect(await agent.s.next({ id: 't1' })).toMatchObject({ t: 'error', code: 'unavailable', message: expect.stringContaining('Olga Offline is offline') });
    bo.s.send({ t: 'status', id: 's', value: 'away' });
    await bo.s.next({ id: 's' });
    agent.s.send({ t: 'invite', id: 't2', conversationId: id, toAgentId: bo.id });
    expect(await agent.s.next({ id: 't2' })).toMatchObject({ t: 'error', code: 'unavailable' });
    bo.s.send({ t: 'status', id: 's2', value: 'online' });
    await bo.s.next({ id: 's2' });
    await h.relay.store.setAgentCapacity(bo.id, 1);
    const other = await h.visitor('other@example.com');
    bo.s.send({ t: 'claim', id: 'c', conversationId: other.conversationId });
    await bo.s.next({ id: 'c' });
    agent.s.send({ t: 'transfer', id: 't3', conversationId: id, toAgentId: bo.id });
    expect(await agent.s.next({ id: 't3' })).toMatchObject({ t: 'error', code: 'at_capacity', message: expect.stringContaining('1 of 1') });
    // Asked while Bo had room; full by the time he accepts: the accept is refused and the chat stays.
    await h.relay.store.setAgentCapacity(bo.id, 2);
    agent.s.send({ t: 'transfer', id: 't4', conversationId: id, toAgentId: bo.id });
    expect(await agent.s.next({ id: 't4' })).toEqual({ t: 'ok', id: 't4' });
    await h.relay.store.setAgentCapacity(bo.id, 1);
    bo.s.send({ t: 'accept', id: 'y', conversationId: id });
    expect(await bo.s.next({ id: 'y' })).toMatchObject({ t: 'error', code: 'at_capacity' });
    agent.s.send({ t: 'send', id: 'm', conversationId: id, clientId: cid(), text: 'still here' });
    expect((await agent.s.next({ id: 'm' })).t).toBe('ack');
  });

  it('hands the chats of an agent gone for agentGoneMs back to the queue at their place', async () => {
    h = await Harness.start({ agentGoneMs: 300, routingTickMs: 50 });
    const { visitor, agent } = await h.activeChat();
    const later = await h.visitor('later@example.com');
    expect(later.welcome.queuePosition ?? 1).toBe(1);
    agent.s.close();
    const back = await visitor.s.next((f) => f.t === 'event' && f.event.type === 'transferred', 5_000);
    expect(back.event).toMatchObject({ from: { id: agent.id }, to: { queue: true }, reason: 'offline' });
    // Asked for first, it is first in line again, ahead of the chat asked for after it.
    expect(await visitor.s.next({ t: 'queue' })).toEqual({ t: 'queue', position: 1 });
    expect(await later.s.next({ t: 'queue' })).toEqual({ t: 'queue', position: 2 });
  });

  it('leaves the chats of an agent who comes back in time with them', async () => {
    h = await Harness.start({ agentGoneMs: 400, routingTickMs: 50 });
    const { visitor, agent } = await h.activeChat();
    agent.s.close();
    const again = await h.connect('/v1/agent');
    again.send({ t: 'hello', id: 'h', token: agent.token });
    await again.next({ t: 'welcome' });
    await new Promise((r) => setTimeout(r, 700));
    const state = await h.relay.store.getConversation(visitor.conversationId);
    expect(state).toMatchObject({ status: 'active', ownerId: agent.id });
  });
});
