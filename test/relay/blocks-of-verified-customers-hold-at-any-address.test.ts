/**
 * A block of a verified customer (the site's identity signature) holds for that email
 * at any address, for verified chats: a later verified chat from another address is
 * refused, and their other open verified chats anywhere end. A typed email still proves
 * nothing: an unverified chat with that email from another address is neither refused
 * nor ended, and a block of an unverified chat refuses no verified one elsewhere.
 */
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Harness, TestSocket, type Frame } from './helpers.js';

const SECRET = 'identity-secret-for-tests-0123';
const sign = (email: string) => createHmac('sha256', SECRET).update(email.trim().toLowerCase()).digest('hex');
const EMAIL = 'ann@example.com';

let h: Harness;
beforeEach(async () => {
  h = await Harness.start({ identitySecret: SECRET });
});
afterEach(() => h.cleanup());

/** A hello from another loopback address (Linux routes all of 127.0.0.0/8 to this host); verified with the signature. */
async function hello(localAddress: string, verified: boolean, email = EMAIL): Promise<{ s: TestSocket; answer: Frame }> {
  const s = new TestSocket(new WebSocket(`${h.wsUrl}/v1/visitor`, { localAddress }));
  h.sockets.push(s);
  await s.opened;
  s.send({ t: 'hello', id: 'h', email, ...(verified ? { signature: sign(email) } : {}) });
  return { s, answer: await s.next({ id: 'h' }) };
}

/** An agent claims the chat of `answer` and blocks it; resolves to the agent's socket. */
async function claimAndBlock(answer: Frame): Promise<TestSocket> {
  const agent = await h.agent();
  agent.s.send({ t: 'claim', id: 'c', conversationId: answer.conversation.id });
  await agent.s.next({ id: 'c' });
  agent.s.send({ t: 'block', id: 'b', conversationId: answer.conversation.id });
  await agent.s.next({ id: 'b' });
  return agent.s;
}

it('refuses a verified chat with the email from another address, not an unverified one, and lists the block as verified', async () => {
  const blocked = await hello('127.0.0.2', true);
  const agent = await claimAndBlock(blocked.answer);
  const elsewhere = await hello('127.0.0.3', true, 'ANN@example.com');
  expect(elsewhere.answer).toMatchObject({ t: 'error', code: 'blocked' });
  expect((await elsewhere.s.closed).code).toBe(4403);
  const typed = await hello('127.0.0.3', false);
  expect(typed.answer.t).toBe('welcome');
  // At the blocked address the email is refused verified or not, as before.
  expect((await hello('127.0.0.2', false)).answer).toMatchObject({ code: 'blocked' });
  agent.send({ t: 'blocks', id: 'l' });
  expect((await agent.next({ id: 'l' })).blocks).toEqual([expect.objectContaining({ email: EMAIL, address: '127.0.0.2', byAddress: false, verified: true })]);
});

it("ends the person's other open verified chats from any address, and not unverified ones elsewhere", async () => {
  const otherVerified = await hello('127.0.0.3', true);
  const otherTyped = await hello('127.0.0.4', false);
  const sameAddressTyped = await hello('127.0.0.2', false);
  const blocked = await hello('127.0.0.2', true);
  await claimAndBlock(blocked.answer);
  for (const other of [otherVerified, sameAddressTyped]) {
    expect((await other.s.next((f) => f.t === 'event' && f.event.type === 'ended')).event).toMatchObject({ by: 'system', reason: 'blocked' });
    expect((await other.s.closed).code).toBe(4403);
  }
  otherTyped.s.send({ t: 'ping', id: 'p' });
  expect(await otherTyped.s.next({ id: 'p' })).toEqual({ t: 'pong', id: 'p' });
  expect(otherTyped.s.frames.some((f) => f.t === 'event' && f.event.type === 'ended')).toBe(false);
  expect((await h.relay.store.getConversation(otherTyped.answer.conversation.id))?.status).toBe('queued');
});

it('a block of an unverified chat refuses no verified chat from another address and ends none', async () => {
  const otherVerified = await hello('127.0.0.3', true);
  const blocked = await hello('127.0.0.2', false);
  const agent = await claimAndBlock(blocked.answer);
  expect((await hello('127.0.0.4', true)).answer.t).toBe('welcome');
  otherVerified.s.send({ t: 'ping', id: 'p' });
  expect(await otherVerified.s.next({ id: 'p' })).toEqual({ t: 'pong', id: 'p' });
  agent.send({ t: 'blocks', id: 'l' });
  expect((await agent.next({ id: 'l' })).blocks[0]).not.toHaveProperty('verified');
});
