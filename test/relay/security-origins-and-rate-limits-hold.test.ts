/**
 * Security proof for the front door: the origin allow-list holds on both WebSocket
 * endpoints and the HTTP API, and both rate limits let exactly the allowed traffic
 * through a flood and recover once their window has passed.
 */
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { Harness, TestSocket, cid } from './helpers.js';

const SHOP = 'https://shop.example';

/** Opens a socket and reports the HTTP status of a refused upgrade, or 101. */
function upgradeStatus(url: string, origin?: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.once('open', () => {
      ws.terminate();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.once('error', () => resolve(-1));
  });
}

describe('origin allow-list', () => {
  let h: Harness;
  afterEach(() => h.cleanup());

  it('refuses other origins with 403 at upgrade on both endpoints and admits the listed one', async () => {
    h = await Harness.start({ allowedOrigins: [SHOP] });
    for (const path of ['/v1/visitor', '/v1/agent']) {
      const url = h.wsUrl + path;
      for (const evil of ['https://evil.example', 'https://shop.example.evil.example', 'http://shop.example', 'https://shop.example:444', 'null', 'https://SHOP.example.']) {
        expect(await upgradeStatus(url, evil)).toBe(403);
      }
      expect(await upgradeStatus(url, SHOP)).toBe(101);
    }
  });

  it('refuses other origins on the HTTP API (uploads, files, preflights) without CORS headers', async () => {
    h = await Harness.start({ allowedOrigins: [SHOP] });
    const chat = await h.activeChat();
    chat.agent.s.send({ t: 'request_upload', id: 'r', conversationId: chat.visitor.conversationId });
    const { requestId } = await chat.agent.s.next({ id: 'r' });
    const auth = { Authorization: `Bearer ${chat.visitor.token}` };
    const evil = { Origin: 'https://evil.example' };
    const post = await fetch(`${h.relay.url}/v1/uploads/${requestId}?name=a.txt`, { method: 'POST', headers: { ...auth, ...evil }, body: 'stolen upload' });
    expect(post.status).toBe(403);
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await fetch(`${h.relay.url}/v1/uploads/${requestId}`, { method: 'OPTIONS', headers: { ...evil, 'Access-Control-Request-Method': 'POST' } });
    expect(pre.status).toBe(403);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    expect((await h.relay.store.readEvents(chat.visitor.conversationId, 0)).some((e) => e.type === 'file')).toBe(false);
    // The listed origin may upload and download, and gets CORS headers for itself only.
    const ok = await fetch(`${h.relay.url}/v1/uploads/${requestId}?name=a.txt`, { method: 'POST', headers: { ...auth, Origin: SHOP }, body: 'fine' });
    expect(ok.status).toBe(201);
    expect(ok.headers.get('access-control-allow-origin')).toBe(SHOP);
    const { fileId } = (await ok.json()) as { fileId: string };
    const evilGet = await fetch(`${h.relay.url}/v1/files/${fileId}`, { headers: { ...auth, ...evil } });
    expect(evilGet.status).toBe(403);
    expect(await evilGet.text()).not.toContain('fine');
  });
});

describe('rate limits under a flood', () => {
  let h: Harness;
  afterEach(() => h.cleanup());

  it('lets exactly the allowed visitor messages through a flood of 200, then recovers after the window', async () => {
    const rate = { count: 5, windowMs: 1_500 };
    h = await Harness.start({ visitorMessageRate: rate });
    const v = await h.visitor();
    const ids = Array.from({ length: 200 }, () => cid());
    for (const clientId of ids) v.s.send({ t: 'send', id: clientId, clientId, text: 'flood' });
    const replies = await Promise.all(ids.map((id) => v.s.next({ id }, 5_000)));
    const acks = replies.filter((r) => r.t === 'ack');
    const limited = replies.filter((r) => r.t === 'error' && r.code === 'rate_limited');
    expect(acks).toHaveLength(rate.count);
    expect(limited).toHaveLength(200 - rate.count);
    const messages = async () => (await h.relay.store.readEvents(v.conversationId, 0)).filter((e) => e.type === 'message');
    expect(await messages()).toHaveLength(rate.count);
    // The socket survives the flood; a refused message can be sent again after the window.
    await TestSocket.wait(rate.windowMs + 50);
    v.s.send({ t: 'send', id: 'again', clientId: ids[199], text: 'flood' });
    expect(await v.s.next({ id: 'again' })).toMatchObject({ t: 'ack' });
    expect(await messages()).toHaveLength(rate.count + 1);
  });

  it('keeps one conversation flooding from slowing another down', async () => {
    h = await Harness.start({ visitorMessageRate: { count: 3, windowMs: 10_000 } });
    const a = await h.visitor('a@example.com');
    const b = await h.visitor('b@example.com');
    for (let i = 0; i < 30; i++) a.s.send({ t: 'send', clientId: cid(), text: `a${i}` });
    b.s.send({ t: 'send', id: 'b', clientId: cid(), text: 'b' });
    expect(await b.s.next({ id: 'b' })).toMatchObject({ t: 'ack' });
  });

  it('closes 4429 after the allowed hellos per address, on every socket, and lets hellos in again after the window', async () => {
    const rate = { count: 4, windowMs: 2_000 };
    h = await Harness.start({ helloRate: rate });
    const welcomes: { token: string; conversation: { id: string } }[] = [];
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const s = await h.connect('/v1/visitor');
        s.send({ t: 'hello', id: 'h', email: `flood${i}@example.com` });
        const first = await s.next();
        if (first.t === 'welcome') {
          welcomes.push(first as (typeof welcomes)[number]);
          return 'welcome';
        }
        expect(first).toMatchObject({ t: 'error', code: 'rate_limited' });
        expect((await s.closed).code).toBe(4429);
        return 'limited';
      }),
    );
    expect(outcomes.filter((o) => o === 'welcome')).toHaveLength(rate.count);
    expect(outcomes.filter((o) => o === 'limited')).toHaveLength(20 - rate.count);
    // Resuming an existing chat is not a new chat and is not limited.
    const w = welcomes[0]!;
    const resume = await h.connect('/v1/visitor');
    resume.send({ t: 'resume', id: 'r', token: w.token, conversationId: w.conversation.id, afterSeq: 0 });
    expect(await resume.next()).toMatchObject({ t: 'welcome', conversation: { id: w.conversation.id } });
    const still = await h.connect('/v1/visitor');
    still.send({ t: 'hello', id: 'h', email: 'still@example.com' });
    expect(await still.next()).toMatchObject({ t: 'error', code: 'rate_limited' });
    await TestSocket.wait(rate.windowMs + 50);
    const later = await h.connect('/v1/visitor');
    later.send({ t: 'hello', id: 'h', email: 'later@example.com' });
    expect(await later.next()).toMatchObject({ t: 'welcome' });
  });
});
