/**
 * A message left while nobody could answer waits for an agent however long that takes:
 * its customer is gone by design, so the sweep that ends a queued chat whose customer
 * left (`abandoned`) passes it over, also after an agent sent it back to the queue.
 */
import { afterEach, expect, it } from 'vitest';
import { Harness, TestSocket } from './helpers.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.cleanup();
  h = null;
});

const ABANDONED_MS = 120;

it('ends the live chat whose customer left as abandoned, and never the message left', async () => {
  h = await Harness.start({ abandonedAfterMs: ABANDONED_MS, sweepIntervalMs: 20 });
  const jane = await h.agent();
  const left = await h.visitor('left@example.com', { message: 'Call me back, please.' });
  const live = await h.visitor('live@example.com');
  // A message left that went to an agent and back to the queue is still one.
  const back = await h.visitor('back@example.com', { message: 'Is the shop open on Sunday?' });
  jane.s.send({ t: 'claim', id: 'c', conversationId: back.conversationId });
  await jane.s.next({ id: 'c' });
  jane.s.send({ t: 'transfer', id: 't', conversationId: back.conversationId });
  await jane.s.next({ id: 't' });
  for (const v of [left, live, back]) v.s.close();

  // The sweep runs and ends the live chat...
  const ended = await jane.s.next((f) => f.t === 'conversation' && f.summary.id === live.conversationId && f.summary.status === 'ended', 3_000);
  expect(ended.summary.status).toBe('ended');
  expect((await h.relay.store.readEvents(live.conversationId, 0)).at(-1)).toMatchObject({ type: 'ended', by: 'system', reason: 'abandoned' });
  // ...and, over many more sweeps and abandon times, not the messages left.
  await TestSocket.wait(ABANDONED_MS * 4);
  expect(await h.relay.store.getConversation(left.conversationId)).toMatchObject({ status: 'queued', lastSeq: 2 });
  expect(await h.relay.store.getConversation(back.conversationId)).toMatchObject({ status: 'queued', lastSeq: 4 });
  expect(jane.s.frames.some((f) => f.t === 'event' && f.event.type === 'ended')).toBe(false);
});
