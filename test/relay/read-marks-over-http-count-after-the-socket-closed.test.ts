/**
 * `POST /v1/read`: the `read` frame's mark over HTTP, for when the visitor's socket is
 * closed (the chat has ended, or it is reconnecting). An answer read that way is read:
 * `message.unseen` never tells it. The token opens only its own chat, and the body is
 * read by the frame's rules.
 */
import { expect, it, vi } from 'vitest';
import { cid, Harness, type TestSocket } from './helpers.js';
import { startReceiver, useWebhookRelay, type Receiver } from './webhook-receiver.js';

const UNSEEN_MS = 300;

const web = useWebhookRelay();

const read = (token: string | null, body: unknown) =>
  fetch(`${web.h!.relay.url}/v1/read`, {
    method: 'POST',
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** An agent answers in a chat it owns and ends it; resolves to the answer's seq. */
async function answerAndEnd(agent: { s: TestSocket }, conversationId: string): Promise<number> {
  agent.s.send({ t: 'send', id: 'a', conversationId, clientId: cid(), text: 'Your parcel left today.' });
  const { seq } = await agent.s.next({ id: 'a' });
  agent.s.send({ t: 'end', id: 'e', conversationId });
  await agent.s.next({ id: 'e' });
  return seq;
}

it('counts a read mark sent over HTTP after the end: the answer read is not told unseen', async () => {
  web.receiver = await startReceiver(() => 200);
  web.h = await Harness.start({ unseenAfterMs: UNSEEN_MS, sweepIntervalMs: 25, webhook: { url: web.receiver.url, secret: 'whsec-0123456789', pollMs: 50, retryMs: 100 } });
  const readChat = await web.h.activeChat();
  const unreadChat = await web.h.activeChat();
  await answerAndEnd(readChat.agent, readChat.visitor.conversationId);
  await answerAndEnd(unreadChat.agent, unreadChat.visitor.conversationId);
  // The client closes its socket at the end; the mark comes over HTTP.
  readChat.visitor.s.close();
  const res = await read(readChat.visitor.token, { upToSeq: 99 });
  expect(res.status).toBe(204);

  // The chat nobody read is told; by then the other would have been told too.
  const told = () => web.receiver!.received.filter((r) => r.headers['parley-event'] === 'message.unseen').map((r) => JSON.parse(r.body).data.conversationId);
  await vi.waitFor(() => expect(told()).toContain(unreadChat.visitor.conversationId), { timeout: 5_000, interval: 20 });
  expect(told()).not.toContain(readChat.visitor.conversationId);
});

it('answers 401 without the chat token, 400 for a body that is no read mark, 405 for a GET', async () => {
  web.h = await Harness.start();
  const { visitor } = await web.h.activeChat();
  expect((await read(null, { upToSeq: 1 })).status).toBe(401);
  expect((await read('jixgc3HxlbfvO27yLUw-SEgEzyA24S0QHe92iwH5yCk', { upToSeq: 1 })).status).toBe(401);
  const bad = await read(visitor.token, { upToSeq: -1 });
  expect(bad.status).toBe(400);
  expect((await bad.json()).error).toMatchObject({ code: 'invalid', message: expect.stringContaining('upToSeq') });
  expect((await read(visitor.token, '{"upToSeq":')).status).toBe(400);
  expect((await fetch(`${web.h.relay.url}/v1/read`)).status).toBe(405);
  expect((await read(visitor.token, { upToSeq: 2 })).status).toBe(204);
});
