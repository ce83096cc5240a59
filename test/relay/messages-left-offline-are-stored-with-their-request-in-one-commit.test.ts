/**
 * A `hello` with `message` (the customer leaves a message while nobody can answer):
 * the relay stores `requested {offline: true}` and the customer's message as seq 1 and
 * 2, in the one write that creates the conversation (no append after it), and welcomes
 * the customer with both and no place in the queue. A `hello` without `message` is a
 * live chat as before.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { SqliteStore } from '../../src/relay/store-sqlite.js';
import { Harness } from './helpers.js';

let h: Harness | null = null;
let store: SqliteStore | null = null;
afterEach(async () => {
  await h?.cleanup();
  await store?.close();
  h = store = null;
});

const PAGE = { url: 'https://shop.example/orders', title: 'Orders' };

it('stores requested {offline} and the message in one write and welcomes the customer with both', async () => {
  store = new SqliteStore(':memory:');
  const creates = vi.spyOn(store, 'createConversation');
  const appends = vi.spyOn(store, 'append');
  h = await Harness.start({ store });
  const v = await h.visitor('Ann@Example.com', { name: 'Ann', page: PAGE, message: '  Where is my order 1234?  ' });

  expect(v.welcome.conversation).toEqual({ id: v.conversationId, status: 'queued' });
  const [requested, message] = v.welcome.events;
  expect(v.welcome.events).toHaveLength(2);
  expect(requested).toMatchObject({ seq: 1, type: 'requested', offline: true, visitor: { email: 'Ann@example.com', name: 'Ann' }, page: PAGE });
  expect(message).toMatchObject({ seq: 2, type: 'message', from: 'visitor', text: 'Where is my order 1234?', clientId: expect.any(String) });
  expect(message.at).toBe(requested.at);

  // One write made the conversation with both events; nothing was appended to it.
  expect(creates).toHaveBeenCalledTimes(1);
  expect(creates.mock.calls[0]![3]?.then).toHaveLength(1);
  expect(appends).not.toHaveBeenCalled();
  expect(await store.readEvents(v.conversationId, 0)).toEqual(v.welcome.events);
  expect(await store.getConversation(v.conversationId)).toMatchObject({ status: 'queued', lastSeq: 2, offline: true });

  // The message counts as the customer's: a resend of its clientId is the same message.
  v.s.send({ t: 'send', id: 's', clientId: message.clientId, text: 'Where is my order 1234?' });
  expect(await v.s.next({ id: 's' })).toEqual({ t: 'ack', id: 's', clientId: message.clientId, seq: 2 });
  // And the customer may add to it.
  v.s.send({ t: 'send', id: 's2', clientId: '0b5e3f4a-8c1d-4e2f-9a7b-6c5d4e3f2a1b', text: 'It was a blue vase.' });
  expect(await v.s.next({ id: 's2' })).toMatchObject({ t: 'ack', seq: 3 });
});

it('keeps a hello without message a live chat, with its place in the queue', async () => {
  h = await Harness.start();
  const live = await h.visitor('bo@example.com');
  expect(live.welcome.conversation).toEqual({ id: live.conversationId, status: 'queued', queuePosition: 1 });
  expect(live.welcome.events).toHaveLength(1);
  expect(live.welcome.events[0].offline).toBeUndefined();
  expect((await h.relay.store.getConversation(live.conversationId))!.offline).toBeUndefined();
});

it('refuses an empty or oversized message with invalid, and starts nothing', async () => {
  h = await Harness.start();
  const s = await h.connect('/v1/visitor');
  s.send({ t: 'hello', id: 'h1', email: 'ann@example.com', message: '   ' });
  expect(await s.next({ id: 'h1' })).toMatchObject({ t: 'error', code: 'invalid', field: 'message' });
  s.send({ t: 'hello', id: 'h2', email: 'ann@example.com', message: 'x'.repeat(4001) });
  expect(await s.next({ id: 'h2' })).toMatchObject({ t: 'error', code: 'invalid', field: 'message' });
  expect(await h.relay.store.listConversations(['queued'])).toEqual([]);
});
