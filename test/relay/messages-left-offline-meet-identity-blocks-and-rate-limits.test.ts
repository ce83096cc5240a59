/**
 * A `hello` that leaves a message is a `hello`: `--require-identity` refuses it without
 * the site's signature, a block refuses it (4403), and the address's limits on new
 * chats, open chats and bytes of text refuse it (4429); each refusal stores nothing.
 */
import { createHmac } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { Harness, type TestSocket } from './helpers.js';

const SECRET = 'identity-secret-for-tests-0123';
const sign = (email: string) => createHmac('sha256', SECRET).update(email.trim().toLowerCase()).digest('hex');
const MESSAGE = 'Please call me back about my invoice.';

let h: Harness | null = null;
afterEach(async () => {
  await h?.cleanup();
  h = null;
});

/** Sends a hello with a message on a new socket; resolves to its answer. */
async function leave(email: string, extra: Record<string, unknown> = {}): Promise<{ s: TestSocket; answer: Record<string, any> }> {
  const s = await h!.connect('/v1/visitor');
  s.send({ t: 'hello', id: 'h', email, message: MESSAGE, ...extra });
  return { s, answer: await s.next({ id: 'h' }) };
}

const open = () => h!.relay.store.listConversations(['queued', 'active']);

it('needs the site signature with requireIdentity, and marks the message left verified with it', async () => {
  h = await Harness.start({ identitySecret: SECRET, requireIdentity: true });
  const bare = await leave('ann@example.com');
  expect(bare.answer).toMatchObject({ t: 'error', code: 'unverified' });
  expect(await open()).toEqual([]);
  const signed = await leave('ann@example.com', { signature: sign('ann@example.com') });
  expect(signed.answer.t).toBe('welcome');
  expect(signed.answer.events[0]).toMatchObject({ type: 'requested', offline: true, visitor: { email: 'ann@example.com', verified: true } });
});

it('refuses a blocked customer with blocked and 4403', async () => {
  h = await Harness.start();
  const { visitor, agent } = await h.activeChat();
  agent.s.send({ t: 'block', id: 'b', conversationId: visitor.conversationId });
  await agent.s.next({ id: 'b' });
  const again = await leave('ann@example.com');
  expect(again.answer).toMatchObject({ t: 'error', code: 'blocked' });
  expect((await again.s.closed).code).toBe(4403);
  expect(await open()).toEqual([]);
  // Someone else at the address may still leave one.
  expect((await leave('bo@example.com')).answer.t).toBe('welcome');
});

it('counts against the new chats per address', async () => {
  h = await Harness.start({ helloRate: { count: 1, windowMs: 60_000 } });
  expect((await leave('ann@example.com')).answer.t).toBe('welcome');
  const second = await leave('bo@example.com');
  expect(second.answer).toMatchObject({ t: 'error', code: 'rate_limited' });
  expect((await second.s.closed).code).toBe(4429);
  expect(await open()).toHaveLength(1);
});

it('counts as an open chat of the address until it ends', async () => {
  h = await Harness.start({ maxOpenChatsPerAddress: 1 });
  expect((await leave('ann@example.com')).answer.t).toBe('welcome');
  const second = await leave('bo@example.com');
  expect(second.answer).toMatchObject({ t: 'error', code: 'rate_limited' });
  expect((await second.s.closed).code).toBe(4429);
  expect(await open()).toHaveLength(1);
});

it("counts its text against the address's bytes of messages", async () => {
  h = await Harness.start({ visitorBytesRate: { count: 60, windowMs: 60_000 } });
  // 37 bytes: fits once, not twice.
  expect((await leave('ann@example.com')).answer.t).toBe('welcome');
  const second = await leave('bo@example.com');
  expect(second.answer).toMatchObject({ t: 'error', code: 'rate_limited' });
  expect((await second.s.closed).code).toBe(4429);
  expect(await open()).toHaveLength(1);
  // A live chat, with no text, is still let in.
  const live = await h.connect('/v1/visitor');
  live.send({ t: 'hello', id: 'h', email: 'cy@example.com' });
  expect((await live.next({ id: 'h' })).t).toBe('welcome');
});
