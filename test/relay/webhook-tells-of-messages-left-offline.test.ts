/**
 * `conversation.offline_message` (docs/webhooks.md): when a customer leaves a message
 * while nobody can answer, the relay POSTs who left it, from which page, and the
 * message, signed like `conversation.ended` and delivered by the same machinery (stored
 * with the message, sent again after a failure with the same delivery id). A live chat
 * makes no such delivery.
 */
import { expect, it, vi } from 'vitest';
import { Harness } from './helpers.js';
import { signatureValid, startReceiver, useWebhookRelay, type Receiver } from './webhook-receiver.js';

const SECRET = 'whsec-test-0123456789';
const FAR = ['2999-01-01T00:00:00.000Z', '2999-01-02T00:00:00.000Z'] as const;
const PAGE = { url: 'https://shop.example/contact', title: 'Contact' };

const web = useWebhookRelay();

async function relayWith(answer: Receiver['answer']): Promise<Harness> {
  web.receiver = await startReceiver(answer);
  web.h = await Harness.start({ webhook: { url: web.receiver.url, secret: SECRET, pollMs: 50, retryMs: 100 } });
  return web.h;
}

const ofType = (type: string) => web.receiver!.received.filter((r) => r.headers['parley-event'] === type);

it('POSTs the message left, signed, with the customer and the page', async () => {
  const relay = await relayWith(() => 200);
  const left = await relay.visitor('Ann@Example.com', { name: 'Ann', page: PAGE, message: 'Do you engrave mugs?' });
  await vi.waitFor(() => expect(web.receiver!.received).toHaveLength(1), { timeout: 5_000 });
  const [got] = web.receiver!.received;
  const body = JSON.parse(got!.body);
  expect(got!.headers['parley-event']).toBe('conversation.offline_message');
  expect(got!.headers['parley-delivery']).toBe(body.id);
  expect(got!.headers['content-type']).toBe('application/json');
  expect(signatureValid(got!.headers['parley-signature'], got!.body, SECRET)).toBe(true);
  expect(signatureValid(got!.headers['parley-signature'], got!.body, 'another-secret')).toBe(false);
  const message = left.welcome.events[1];
  expect(body).toEqual({
    id: body.id,
    type: 'conversation.offline_message',
    createdAt: message.at,
    data: {
      conversationId: left.conversationId,
      visitor: { email: 'Ann@example.com', name: 'Ann', verified: false },
      page: PAGE,
      message: { seq: 2, at: message.at, text: 'Do you engrave mugs?' },
    },
  });
  // Sent: nothing is left to deliver.
  await vi.waitFor(async () => expect(await relay.relay.store.claimDeliveries('probe', ...FAR, 10)).toEqual([]));
});

it('sends it again after a failure with the same delivery id, and makes none for a live chat', async () => {
  const relay = await relayWith((i) => (i === 0 ? 500 : 200));
  const live = await relay.visitor('bo@example.com');
  await relay.visitor('ann@example.com', { message: 'Hello?' });
  await vi.waitFor(() => expect(ofType('conversation.offline_message')).toHaveLength(2), { timeout: 5_000 });
  const [first, second] = ofType('conversation.offline_message');
  expect(first!.headers['parley-delivery']).toBe(second!.headers['parley-delivery']);
  expect(first!.body).toBe(second!.body);
  // The live chat's only delivery is its end.
  live.s.send({ t: 'end', id: 'e' });
  await live.s.next({ id: 'e' });
  await vi.waitFor(() => expect(ofType('conversation.ended')).toHaveLength(1), { timeout: 5_000 });
  expect(JSON.parse(ofType('conversation.ended')[0]!.body).data.transcript.conversationId).toBe(live.conversationId);
  expect(ofType('conversation.offline_message')).toHaveLength(2);
});

it('stores no delivery without a webhook', async () => {
  web.h = await Harness.start();
  await web.h.visitor('ann@example.com', { message: 'Hello?' });
  expect(await web.h.relay.store.claimDeliveries('probe', ...FAR, 10)).toEqual([]);
});
