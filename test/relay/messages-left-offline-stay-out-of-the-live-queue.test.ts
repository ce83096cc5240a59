/**
 * A message left while nobody could answer is outside the live queue: its customer gets
 * no place and no `queue` frames, it moves nobody's place, auto routing never offers it,
 * and agents list it after the live queue with `summary.offline`. An agent may claim it;
 * sent back to the queue it is a message left again, still outside the live queue.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Harness, type Frame } from './helpers.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.cleanup();
  h = null;
});

const LEFT = { message: 'Please call me back about my invoice.' };
const summaryOf = (id: string) => (f: Frame) => f.t === 'conversation' && f.summary.id === id;

describe('messages left offline', () => {
  it('get no place and no queue frames, and move nobody in the live queue', async () => {
    h = await Harness.start();
    const first = await h.visitor('first@example.com');
    const left = await h.visitor('left@example.com', LEFT);
    const second = await h.visitor('second@example.com');
    expect(first.welcome.conversation.queuePosition).toBe(1);
    expect(left.welcome.conversation.queuePosition).toBeUndefined();
    expect(left.welcome.conversation.queueWait).toBeUndefined();
    // The message left, older than the second live chat, is not ahead of it.
    expect(second.welcome.conversation.queuePosition).toBe(2);

    const agent = await h.agent();
    agent.s.send({ t: 'claim', id: 'c', conversationId: first.conversationId });
    await agent.s.next({ id: 'c' });
    expect(await second.s.next({ t: 'queue' })).toMatchObject({ position: 1 });
    // A queue frame for the message left would have been written before the second's.
    await left.s.barrier();
    expect(left.s.all({ t: 'queue' })).toEqual([]);

    // Resumed, it still has no place.
    const again = await h.connect('/v1/visitor');
    again.send({ t: 'resume', id: 'r', token: left.token, conversationId: left.conversationId, afterSeq: 2 });
    const welcome = await again.next({ id: 'r' });
    expect(welcome.conversation).toEqual({ id: left.conversationId, status: 'queued' });
  });

  it('are listed for agents after the live queue, with summary.offline', async () => {
    h = await Harness.start();
    const watching = await h.agent('Bo Stone');
    const left = await h.visitor('left@example.com', { ...LEFT, name: 'Lee' });
    const told = await watching.s.next(summaryOf(left.conversationId));
    expect(told.summary).toMatchObject({ status: 'queued', offline: true, visitor: { email: 'left@example.com', name: 'Lee' }, lastSeq: 2, unread: 1 });
    const live = await h.visitor('live@example.com');
    expect((await watching.s.next(summaryOf(live.conversationId))).summary.offline).toBeUndefined();

    const jane = await h.agent('Jane Doe');
    const list = jane.welcome.conversations as Frame[];
    expect(list.map((c) => c.id)).toEqual([live.conversationId, left.conversationId]);
    expect(list.map((c) => c.offline)).toEqual([undefined, true]);
  });

  it('are never offered by auto routing, while a live chat behind them is', async () => {
    h = await Harness.start({ routing: 'auto', routingTickMs: 20 });
    const jane = await h.agent('Jane Doe');
    const left = await h.visitor('left@example.com', LEFT);
    // Routing ticks meanwhile: the older message left would be offered first if it could be.
    await new Promise((r) => setTimeout(r, 150));
    const live = await h.visitor('live@example.com');
    await jane.s.next((f) => summaryOf(live.conversationId)(f) && f.summary.offer?.agentId === jane.id, 5_000);
    await new Promise((r) => setTimeout(r, 150));
    expect((await h.relay.store.readEvents(left.conversationId, 0)).map((e) => e.type)).toEqual(['requested', 'message']);
    expect(jane.s.frames.some((f) => summaryOf(left.conversationId)(f) && f.summary.offer)).toBe(false);
    // An agent still takes it by hand.
    jane.s.send({ t: 'claim', id: 'c', conversationId: left.conversationId });
    expect(await jane.s.next({ id: 'c' })).toEqual({ t: 'ok', id: 'c' });
  });

  it('go back to the messages left when an agent sends them back to the queue', async () => {
    h = await Harness.start();
    const jane = await h.agent('Jane Doe');
    const live = await h.visitor('live@example.com');
    const left = await h.visitor('left@example.com', LEFT);
    jane.s.send({ t: 'claim', id: 'c', conversationId: left.conversationId });
    await jane.s.next({ id: 'c' });
    await left.s.next((f) => f.t === 'event' && f.event.type === 'claimed');

    jane.s.send({ t: 'transfer', id: 't', conversationId: left.conversationId });
    expect(await jane.s.next({ id: 't' })).toEqual({ t: 'ok', id: 't' });
    const back = await jane.s.next((f) => summaryOf(left.conversationId)(f) && f.summary.status === 'queued');
    expect(back.summary.offline).toBe(true);
    await left.s.next((f) => f.t === 'event' && f.event.type === 'transferred');
    await left.s.barrier();
    await live.s.barrier();
    // Neither the message left nor the live chat behind which it was made hear of a place.
    expect(left.s.all({ t: 'queue' })).toEqual([]);
    expect(live.s.all({ t: 'queue' })).toEqual([]);

    const bo = await h.agent('Bo Stone');
    expect((bo.welcome.conversations as Frame[]).map((c) => [c.id, c.status, c.offline])).toEqual([
      [live.conversationId, 'queued', undefined],
      [left.conversationId, 'queued', true],
    ]);
  });
});
