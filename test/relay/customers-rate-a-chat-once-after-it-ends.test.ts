/**
 * The customer's rating: thumbs up or down and an optional comment, accepted once the
 * chat has ended and only once (a second is refused, the first stands), stored as the
 * `rated` event the owner hears, and in the transcript record as `rating`. A chat no
 * agent took, or one that ended blocked, is not rated.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Harness } from './helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await Harness.start();
});
afterEach(() => h.cleanup());

it('takes one rating after the end, tells the agents, and puts it in the transcript', async () => {
  const { visitor, agent } = await h.activeChat();
  const id = visitor.conversationId;
  visitor.s.send({ t: 'rate', id: 'early', value: 'up' });
  expect(await visitor.s.next({ id: 'early' })).toMatchObject({ t: 'error', code: 'conflict', message: expect.stringContaining('once it has ended') });
  visitor.s.send({ t: 'end', id: 'e' });
  await visitor.s.next({ id: 'e' });
  visitor.s.send({ t: 'rate', id: 'r', value: 'down', comment: '  Took too long to answer  ' });
  expect(await visitor.s.next({ id: 'r' })).toEqual({ t: 'ok', id: 'r' });
  const rated = await visitor.s.next((f) => f.t === 'event' && f.event.type === 'rated');
  expect(rated.event).toMatchObject({ value: 'down', comment: 'Took too long to answer', seq: 4 });
  expect((await agent.s.next((f) => f.t === 'event' && f.event.type === 'rated')).event.value).toBe('down');
  visitor.s.send({ t: 'rate', id: 'r2', value: 'up' });
  expect(await visitor.s.next({ id: 'r2' })).toMatchObject({ t: 'error', code: 'conflict', message: expect.stringContaining('rated already') });
  const res = await fetch(`${h.relay.url}/v1/transcripts/${id}`, { headers: { Authorization: `Bearer ${agent.token}` } });
  const record = await res.json();
  expect(record.rating).toEqual({ value: 'down', comment: 'Took too long to answer', at: rated.event.at });
  expect(record.events.at(-1)).toMatchObject({ type: 'rated', internal: false });
});

it('refuses a rating that is not up or down, and a comment that is too long', async () => {
  const v = (await h.activeChat()).visitor;
  v.s.send({ t: 'end', id: 'e' });
  await v.s.next({ id: 'e' });
  v.s.send({ t: 'rate', id: 'a', value: 'meh' });
  expect(await v.s.next({ id: 'a' })).toMatchObject({ t: 'error', code: 'invalid', field: 'value' });
  v.s.send({ t: 'rate', id: 'b', value: 'up', comment: 'x'.repeat(1001) });
  expect(await v.s.next({ id: 'b' })).toMatchObject({ t: 'error', code: 'invalid', field: 'comment' });
  // Refusals store nothing: the chat can still be rated.
  v.s.send({ t: 'rate', id: 'c', value: 'up' });
  expect(await v.s.next({ id: 'c' })).toEqual({ t: 'ok', id: 'c' });
});

it('refuses to rate a chat no agent took, and one that ended blocked', async () => {
  const alone = await h.visitor();
  alone.s.send({ t: 'end', id: 'e' });
  await alone.s.next({ id: 'e' });
  alone.s.send({ t: 'rate', id: 'r', value: 'up', comment: 'nobody came' });
  expect(await alone.s.next({ id: 'r' })).toMatchObject({ t: 'error', code: 'conflict', message: expect.stringContaining('no agent took') });

  const { visitor, agent } = await h.activeChat();
  agent.s.send({ t: 'block', id: 'b', conversationId: visitor.conversationId });
  await agent.s.next({ id: 'b' });
  // The blocked customer's socket is closed: the rating would come over HTTP.
  const res = await fetch(`${h.relay.url}/v1/rating`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${visitor.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ value: 'down', comment: 'x'.repeat(1000) }),
  });
  expect(res.status).toBe(409);
  expect((await res.json()).error).toMatchObject({ code: 'conflict', message: expect.stringContaining('blocked') });
  const record = await (await fetch(`${h.relay.url}/v1/transcripts/${visitor.conversationId}`, { headers: { Authorization: `Bearer ${agent.token}` } })).json();
  expect(record.rating).toBeNull();
  expect(record.endReason).toBe('blocked');
});
