/**
 * The webhook from outside: when a chat ends, the relay POSTs the signed transcript
 * (docs/webhooks.md); a receiver that fails gets the same delivery again until it
 * answers 2xx, one that hangs is timed out, and neither holds up the chat. Without a
 * webhook nothing is stored for one.
 */
import { describe, expect, it, vi } from 'vitest';
import { cid, Harness } from './helpers.js';
import { signatureValid, startReceiver, useWebhookRelay, type Receiver } from './webhook-receiver.js';

const SECRET = 'whsec-test-0123456789';
const FAR = ['2999-01-01T00:00:00.000Z', '2999-01-02T00:00:00.000Z'] as const;

const web = useWebhookRelay();

async function relayWith(answer: Receiver['answer'], timings: { retryMs?: number; timeoutMs?: number; giveUpMs?: number } = {}): Promise<Harness> {
  web.receiver = await startReceiver(answer);
  web.h = await Harness.start({ webhook: { url: web.receiver.url, secret: SECRET, pollMs: 50, retryMs: 100, ...timings } });
  return web.h;
}

describe('webhook', () => {
  it('POSTs conversation.ended with the transcript and its events, signed with the secret', async () => {
    const relay = await relayWith(() => 204);
    const { visitor, agent } = await relay.activeChat();
    visitor.s.send({ t: 'send', id: 's1', clientId: cid(), text: 'my order is late' });
    expect((await visitor.s.next({ id: 's1' })).t).toBe('ack');
    agent.s.send({ t: 'end', id: 'e', conversationId: visitor.conversationId });
    await agent.s.next({ id: 'e' });
    await vi.waitFor(() => expect(web.receiver!.received).toHaveLength(1), { timeout: 5_000 });
    const [got] = web.receiver!.received;
    const body = JSON.parse(got!.body);
    expect(got!.headers['content-type']).toBe('application/json');
    expect(got!.headers['parley-event']).toBe('conversation.ended');
    expect(got!.headers['parley-delivery']).toBe(body.id);
    expect(body).toMatchObject({ type: 'conversation.ended', data: { transcript: { conversationId: visitor.conversationId, status: 'completed', endedBy: 'agent' } } });
    expect(Date.parse(body.createdAt)).not.toBeNaN();
    expect(body.data.transcript.events.map((e: { type: string }) => e.type)).toEqual(['requested', 'claimed', 'message', 'ended']);
    // The signature verifies with the secret, and with nothing else.
    expect(signatureValid(got!.headers['parley-signature'], got!.body, SECRET)).toBe(true);
    expect(signatureValid(got!.headers['parley-signature'], got!.body, 'another-secret')).toBe(false);
    expect(signatureValid(got!.headers['parley-signature'], got!.body.replace('late', 'fine'), SECRET)).toBe(false);
    const t = Number(/t=(\d+)/.exec(String(got!.headers['parley-signature']))![1]);
    expect(Math.abs(t - Date.now() / 1000)).toBeLessThan(60);
    // Sent: nothing is left to deliver.
    expect(await relay.relay.store.claimDeliveries('probe', ...FAR, 10)).toEqual([]);
  });

  it('sends the same delivery again after a 500, until a 2xx, then stops', async () => {
    const relay = await relayWith((i) => (i === 0 ? 500 : 200));
    const v = await relay.visitor();
    v.s.send({ t: 'end', id: 'e' });
    await v.s.next({ id: 'e' });
    await vi.waitFor(() => expect(web.receiver!.received).toHaveLength(2), { timeout: 5_000 });
    const ids = web.receiver!.received.map((r) => r.headers['parley-delivery']);
    expect(ids[0]).toBe(ids[1]);
    expect(web.receiver!.received[0]!.body).toBe(web.receiver!.received[1]!.body);
    await vi.waitFor(async () => expect(await relay.relay.store.claimDeliveries('probe', ...FAR, 10)).toEqual([]));
    expect(JSON.parse(web.receiver!.received[0]!.body).data.transcript.status).toBe('missed');
  });

  it('never holds up the chat: a web.receiver that hangs is timed out and tried again', async () => {
    const relay = await relayWith((i) => (i < 2 ? 'hang' : 200), { timeoutMs: 300 });
    const { visitor, agent } = await relay.activeChat();
    visitor.s.send({ t: 'end', id: 'e' });
    expect(await visitor.s.next({ id: 'e' })).toEqual({ t: 'ok', id: 'e' });
    // The chat goes on being served while the webhook waits: a new chat opens at once.
    visitor.s.send({ t: 'hello', id: 'h2', email: 'ann@example.com' });
    expect((await visitor.s.next({ id: 'h2' })).t).toBe('welcome');
    await vi.waitFor(() => expect(web.receiver!.received.length).toBeGreaterThanOrEqual(3), { timeout: 8_000 });
    expect(new Set(web.receiver!.received.map((r) => r.headers['parley-delivery'])).size).toBe(1);
    expect(agent.s.frames.some((f) => f.t === 'error')).toBe(false);
  });

  it('gives a delivery up once its time is over, and stores none without a webhook', async () => {
    const relay = await relayWith(() => 503, { giveUpMs: 400 });
    const v = await relay.visitor();
    v.s.send({ t: 'end', id: 'e' });
    await v.s.next({ id: 'e' });
    await vi.waitFor(async () => {
      expect(web.receiver!.received.length).toBeGreaterThanOrEqual(1);
      expect(await relay.relay.store.claimDeliveries('probe', ...FAR, 10)).toEqual([]);
    });
    const plain = await Harness.start();
    try {
      const w = await plain.visitor();
      w.s.send({ t: 'end', id: 'e' });
      await w.s.next({ id: 'e' });
      expect(await plain.relay.store.claimDeliveries('probe', ...FAR, 10)).toEqual([]);
    } finally {
      await plain.cleanup();
    }
  });

  it('refuses a webhook URL that is not http(s) and one without a secret', async () => {
    await expect(Harness.start({ webhook: { url: 'ftp://example.com/', secret: SECRET } })).rejects.toThrow(/webhook.url must be a URL/);
    await expect(Harness.start({ webhook: { url: 'https://example.com/', secret: '' } })).rejects.toThrow(/webhook.secret/);
  });
});
