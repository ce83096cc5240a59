/**
 * `POST /v1/rating`: the customer rates the ended chat over HTTP with their visitor
 * token (the client closes its socket at the end): 204 once, then 409; 409 before the
 * end; 401 without a good token; 400 for a body the `rate` frame would refuse; 413 past
 * 8 KB; CORS like the uploads. The rating is the `rated` event, as the frame's.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Harness } from './helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await Harness.start();
});
afterEach(() => h.cleanup());

const rate = (token: string | null, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${h.relay.url}/v1/rating`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

it('answers 204 after the end, puts `rated` in the log for the agents, and 409 to a second rating', async () => {
  const { visitor, agent } = await h.activeChat();
  visitor.s.send({ t: 'end', id: 'e' });
  await visitor.s.next({ id: 'e' });
  visitor.s.close();
  const res = await rate(visitor.token, { value: 'down', comment: '  Took too long  ' });
  expect(res.status).toBe(204);
  expect(await res.text()).toBe('');
  const rated = await agent.s.next((f) => f.t === 'event' && f.event.type === 'rated');
  expect(rated.event).toMatchObject({ value: 'down', comment: 'Took too long', seq: 4 });
  expect((await h.relay.store.readEvents(visitor.conversationId, 3)).map((e) => e.type)).toEqual(['rated']);
  const again = await rate(visitor.token, { value: 'up' });
  expect(again.status).toBe(409);
  expect(await again.json()).toEqual({ error: { code: 'conflict', message: expect.stringContaining('rated already') } });
  // The frame says the same of a chat rated over HTTP.
  const back = await h.connect('/v1/visitor');
  back.send({ t: 'resume', id: 'r', token: visitor.token, conversationId: visitor.conversationId, afterSeq: 4 });
  await back.next({ t: 'welcome' });
  back.send({ t: 'rate', id: 'x', value: 'up' });
  expect(await back.next({ id: 'x' })).toMatchObject({ t: 'error', code: 'conflict' });
});

it('answers 409 before the end, 401 without a good token, 400 for a bad value or body, 413 for a large body', async () => {
  const v = (await h.activeChat()).visitor;
  const early = await rate(v.token, { value: 'up' });
  expect(early.status).toBe(409);
  expect((await early.json()).error).toMatchObject({ code: 'conflict', message: expect.stringContaining('once it has ended') });
  v.s.send({ t: 'end', id: 'e' });
  await v.s.next({ id: 'e' });

  const unknown = await rate('jixgc3HxlbfvO27yLUw-SEgEzyA24S0QHe92iwH5yCk', { value: 'up' });
  expect(unknown.status).toBe(401);
  expect((await unknown.json()).error.code).toBe('unauthorized');
  expect((await rate(null, { value: 'up' })).status).toBe(401);
  expect((await rate('not a token', { value: 'up' })).status).toBe(401);

  const meh = await rate(v.token, { value: 'meh' });
  expect(meh.status).toBe(400);
  expect(await meh.json()).toEqual({ error: { code: 'invalid', message: 'value must be up or down' } });
  expect((await rate(v.token, { value: 'up', comment: 'x'.repeat(1001) })).status).toBe(400);
  expect((await rate(v.token, '{"value": "up"')).status).toBe(400);
  expect((await rate(v.token, '["up"]')).status).toBe(400);
  const large = await rate(v.token, { value: 'up', comment: 'x'.repeat(9000) });
  expect(large.status).toBe(413);
  expect((await large.json()).error.code).toBe('too_large');
  expect((await fetch(`${h.relay.url}/v1/rating`)).status).toBe(405);

  // Refusals store nothing: the chat can still be rated.
  expect((await rate(v.token, { value: 'up' })).status).toBe(204);
});

it('answers a preflight with the Authorization and Content-Type headers, and the rating with CORS headers', async () => {
  const origin = 'https://shop.example';
  const pre = await fetch(`${h.relay.url}/v1/rating`, {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, content-type' },
  });
  expect(pre.status).toBe(204);
  expect(pre.headers.get('access-control-allow-origin')).toBe(origin);
  expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
  expect(pre.headers.get('access-control-allow-headers')).toBe('Authorization, Content-Type');
  const v = await h.visitor();
  const res = await rate(v.token, { value: 'up' }, { Origin: origin });
  expect(res.status).toBe(409);
  expect(res.headers.get('access-control-allow-origin')).toBe(origin);
});
