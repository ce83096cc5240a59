/**
 * `message.unseen` (docs/webhooks.md): agent messages the customer has not marked read
 * (`read`) `unseenAfterMs` after the first of them was logged are POSTed to the site,
 * signed, once: one delivery per conversation for all the messages then unread (a
 * batch); a later unread agent message makes a new batch. Messages the customer read
 * are never told, and a chat that ended still tells its last answer. The delay here is a
 * fraction of a second (the option `unseenAfterMs`), the sweep that looks every 25 ms.
 */
import { expect, it, vi } from 'vitest';
import { cid, Harness, TestSocket, type Frame } from './helpers.js';
import { signatureValid, startReceiver, useWebhookRelay, type Receiver } from './webhook-receiver.js';

const SECRET = 'whsec-test-0123456789';
const UNSEEN_MS = 400;

const web = useWebhookRelay();

async function relay(): Promise<Harness> {
  web.receiver = await startReceiver(() => 200);
  web.h = await Harness.start({ unseenAfterMs: UNSEEN_MS, sweepIntervalMs: 25, webhook: { url: web.receiver.url, secret: SECRET, pollMs: 50, retryMs: 100 } });
  return web.h;
}

/** The `message.unseen` deliveries received so far (for one conversation), bodies parsed. */
const unseen = (conversationId?: string) =>
  web.receiver!.received
    .filter((r) => r.headers['parley-event'] === 'message.unseen')
    .map((r) => ({ ...r, json: JSON.parse(r.body) }))
    .filter((r) => conversationId === undefined || r.json.data.conversationId === conversationId);

/** The agent answers in a chat it owns; resolves to the stored event. */
async function answer(agent: { s: TestSocket }, conversationId: string, text: string): Promise<Frame> {
  agent.s.send({ t: 'send', id: text, conversationId, clientId: cid(), text });
  const ack = await agent.s.next({ id: text });
  const [event] = await web.h!.relay.store.readEvents(conversationId, ack.seq - 1, 1);
  return event!;
}

it('tells the unread answers once, in one batch, after the delay; a later answer makes a new batch', async () => {
  await relay();
  const { visitor, agent } = await web.h!.activeChat();
  const id = visitor.conversationId;
  const first = await answer(agent, id, 'Hello Ann, let me look.');
  const second = await answer(agent, id, 'Your parcel left today.');
  await vi.waitFor(() => expect(unseen(id)).toHaveLength(1), { timeout: 5_000, interval: 20 });
  const [got] = unseen(id);
  expect(got!.at - Date.parse(first.at)).toBeGreaterThanOrEqual(UNSEEN_MS);
  expect(signatureValid(got!.headers['parley-signature'], got!.body, SECRET)).toBe(true);
  expect(got!.headers['parley-delivery']).toBe(got!.json.id);
  expect(got!.json).toMatchObject({ type: 'message.unseen', createdAt: expect.any(String) });
  expect(got!.json.data).toEqual({
    conversationId: id,
    status: 'active',
    visitor: { email: 'ann@example.com', name: null, verified: false },
    messages: [first, second].map((m) => ({ seq: m.seq, at: m.at, text: m.text, agent: { id: agent.id, name: 'Jane Doe' } })),
  });

  // Once: more sweeps and delays tell nothing more.
  await TestSocket.wait(UNSEEN_MS * 2);
  expect(unseen(id)).toHaveLength(1);

  // A customer message is no answer; a later agent message, unread, is a new batch of its own.
  visitor.s.send({ t: 'send', id: 'v', clientId: cid(), text: 'Thanks! And the invoice?' });
  await visitor.s.next({ id: 'v' });
  const third = await answer(agent, id, 'Attached to the parcel.');
  await vi.waitFor(() => expect(unseen(id)).toHaveLength(2), { timeout: 5_000, interval: 20 });
  const later = unseen(id)[1]!;
  expect(later.json.id).not.toBe(got!.json.id);
  expect(later.json.data.messages).toEqual([{ seq: third.seq, at: third.at, text: third.text, agent: { id: agent.id, name: 'Jane Doe' } }]);
  expect(await web.h!.relay.store.listUnseen('', '2999-01-01T00:00:00.000Z', 10)).toEqual([]);
});

it('tells nothing the customer read, and only what they have not', async () => {
  await relay();
  const agent = await web.h!.agent();
  const chats = [];
  for (const email of ['read@example.com', 'half@example.com', 'none@example.com']) {
    const v = await web.h!.visitor(email);
    agent.s.send({ t: 'claim', id: `c-${email}`, conversationId: v.conversationId });
    await agent.s.next({ id: `c-${email}` });
    chats.push(v);
  }
  const [read, half, none] = chats as [(typeof chats)[number], (typeof chats)[number], (typeof chats)[number]];
  // Each reads as soon as it is answered: the first all of it, the second its first answer only.
  for (const v of [read, half]) {
    await answer(agent, v.conversationId, `Hello ${v.conversationId}`);
    v.s.send({ t: 'read', upToSeq: 3 });
    await v.s.barrier();
  }
  const halfLater = await answer(agent, half.conversationId, 'One more thing.');
  await answer(agent, none.conversationId, 'Hello there.');
  await answer(agent, none.conversationId, 'Are you there?');

  await vi.waitFor(() => expect(unseen(none.conversationId)).toHaveLength(1), { timeout: 5_000, interval: 20 });
  await vi.waitFor(() => expect(unseen(half.conversationId)).toHaveLength(1), { timeout: 5_000, interval: 20 });
  expect(unseen(none.conversationId)[0]!.json.data.messages.map((m: Frame) => m.seq)).toEqual([3, 4]);
  expect(unseen(half.conversationId)[0]!.json.data.messages).toEqual([
    { seq: halfLater.seq, at: halfLater.at, text: 'One more thing.', agent: { id: agent.id, name: 'Jane Doe' } },
  ]);
  await TestSocket.wait(UNSEEN_MS * 2);
  expect(unseen(read.conversationId)).toEqual([]);
  expect(unseen()).toHaveLength(2);
});

it("tells the last answer of a chat that ended before the customer read it", async () => {
  await relay();
  const { visitor, agent } = await web.h!.activeChat();
  const last = await answer(agent, visitor.conversationId, 'Solved: the refund is on its way. Bye!');
  agent.s.send({ t: 'end', id: 'e', conversationId: visitor.conversationId });
  await agent.s.next({ id: 'e' });
  await vi.waitFor(() => expect(unseen(visitor.conversationId)).toHaveLength(1), { timeout: 5_000, interval: 20 });
  expect(unseen(visitor.conversationId)[0]!.json.data).toMatchObject({ status: 'ended', messages: [{ seq: last.seq, text: last.text }] });
});

it('stores nothing to tell without a webhook, and refuses a delay that is not positive', async () => {
  web.h = await Harness.start({ unseenAfterMs: 50, sweepIntervalMs: 20 });
  const { visitor, agent } = await web.h.activeChat();
  await answer(agent, visitor.conversationId, 'Hello?');
  await TestSocket.wait(200);
  expect(await web.h.relay.store.claimDeliveries('probe', '2999-01-01T00:00:00.000Z', '2999-01-02T00:00:00.000Z', 10)).toEqual([]);
  await expect(Harness.start({ unseenAfterMs: 0 })).rejects.toThrow(/unseenAfterMs/);
});
