/**
 * Messages left while nobody could answer never end by themselves, so an address may
 * keep only a few waiting for an agent (`MAX_LEFT_MESSAGES_PER_ADDRESS`), far fewer than
 * its open chats: live chats from a shared address are never crowded out by them. The
 * limits hold when hellos race (each holds its place before anything waits), and a block
 * of the whole address ends the messages it left.
 */
import { afterEach, expect, it } from 'vitest';
import { MAX_LEFT_MESSAGES_PER_ADDRESS } from '../../src/protocol/index.js';
import { Harness, type TestSocket } from './helpers.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.cleanup();
  h = null;
});

/** Opens a socket and sends a hello (with `message` when given); resolves to the socket and its answer. */
async function hello(email: string, message?: string): Promise<{ s: TestSocket; answer: Record<string, any> }> {
  const s = await h!.connect('/v1/visitor');
  s.send({ t: 'hello', id: 'h', email, ...(message ? { message } : {}) });
  return { s, answer: await s.next({ id: 'h' }) };
}

const left = async () => (await h!.relay.store.listConversations(['queued'])).filter((c) => c.offline);

it(`keeps ${MAX_LEFT_MESSAGES_PER_ADDRESS} messages left per address waiting, and still lets live chats in`, async () => {
  h = await Harness.start();
  for (let i = 0; i < MAX_LEFT_MESSAGES_PER_ADDRESS; i++) expect((await hello(`c${i}@example.com`, 'Call me back')).answer.t).toBe('welcome');
  const over = await hello('next@example.com', 'Me too');
  expect(over.answer).toMatchObject({ t: 'error', code: 'rate_limited', message: expect.stringContaining('messages left') });
  expect((await over.s.closed).code).toBe(4429);
  expect(await left()).toHaveLength(MAX_LEFT_MESSAGES_PER_ADDRESS);
  // A live chat from the same address is not crowded out.
  expect((await hello('live@example.com')).answer.t).toBe('welcome');

  // Once an agent takes one, the address may leave another.
  const agent = await h.agent();
  agent.s.send({ t: 'claim', id: 'c', conversationId: (await left())[0]!.id });
  await agent.s.next({ id: 'c' });
  expect((await hello('later@example.com', 'Hello?')).answer.t).toBe('welcome');
});

it('holds the open chats limit when hellos from one address race', async () => {
  h = await Harness.start({ maxOpenChatsPerAddress: 3, helloRate: { count: 100, windowMs: 60_000 } });
  const sockets = await Promise.all(Array.from({ length: 8 }, () => h!.connect('/v1/visitor')));
  sockets.forEach((s, i) => s.send({ t: 'hello', id: 'h', email: `racer${i}@example.com` }));
  const answers = await Promise.all(sockets.map((s) => s.next({ id: 'h' })));
  expect(answers.filter((a) => a.t === 'welcome')).toHaveLength(3);
  expect(answers.filter((a) => a.t === 'error' && a.code === 'rate_limited')).toHaveLength(5);
  expect(await h.relay.store.listConversations(['queued', 'active'])).toHaveLength(3);
});

it('holds the messages left limit when hellos from one address race', async () => {
  h = await Harness.start({ helloRate: { count: 100, windowMs: 60_000 } });
  const sockets = await Promise.all(Array.from({ length: 8 }, () => h!.connect('/v1/visitor')));
  sockets.forEach((s, i) => s.send({ t: 'hello', id: 'h', email: `racer${i}@example.com`, message: 'Anyone?' }));
  const answers = await Promise.all(sockets.map((s) => s.next({ id: 'h' })));
  expect(answers.filter((a) => a.t === 'welcome')).toHaveLength(MAX_LEFT_MESSAGES_PER_ADDRESS);
  expect(await left()).toHaveLength(MAX_LEFT_MESSAGES_PER_ADDRESS);
});

it('ends the messages left from an address with a block of that address, and leaves live chats there alone', async () => {
  h = await Harness.start();
  const spam = [await hello('a@example.com', 'Buy now'), await hello('b@example.com', 'Buy now')];
  const colleague = await hello('colleague@example.com');
  const { visitor, agent } = await h.activeChat();
  agent.s.send({ t: 'block', id: 'b', conversationId: visitor.conversationId, byAddress: true });
  await agent.s.next({ id: 'b' });
  for (const { s } of spam) {
    const ended = await s.next((f) => f.t === 'event' && f.event.type === 'ended');
    expect(ended.event).toMatchObject({ by: 'system', reason: 'blocked' });
    expect((await s.closed).code).toBe(4403);
  }
  expect(await left()).toEqual([]);
  // Their tokens no longer open them, not even to write into them.
  const again = await h.connect('/v1/visitor');
  again.send({ t: 'resume', id: 'r', token: spam[0]!.answer.token, conversationId: spam[0]!.answer.conversation.id, afterSeq: 0 });
  expect(await again.next({ id: 'r' })).toMatchObject({ t: 'error', code: 'blocked' });
  // The colleague's live chat at that address goes on.
  colleague.s.send({ t: 'ping', id: 'p' });
  expect(await colleague.s.next({ t: 'pong' })).toEqual({ t: 'pong', id: 'p' });
});
