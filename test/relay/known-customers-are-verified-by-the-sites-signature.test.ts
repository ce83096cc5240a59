/**
 * Known customers: a hello with the site's signature (hex HMAC-SHA256 of the email,
 * trimmed and lower-cased, keyed with the identity secret) starts a chat marked
 * verified, in the log and the transcript; a wrong signature, one for another email, or
 * none when the relay requires one is refused with `unverified` and starts nothing.
 */
import { createHmac } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { Harness } from './helpers.js';

const SECRET = 'identity-secret-for-tests-0123';
/** Computed here from the docs' rule, not with the relay's code. */
const sign = (email: string, secret = SECRET) => createHmac('sha256', secret).update(email.trim().toLowerCase()).digest('hex');

let h: Harness;
afterEach(() => h.cleanup());

it('marks a chat verified when the signature matches, in any case of the email', async () => {
  h = await Harness.start({ identitySecret: SECRET });
  const v = await h.visitor('Ann.Lee@Example.com', { signature: sign('ann.lee@example.com').toUpperCase() });
  expect(v.welcome.events[0].visitor).toEqual({ email: 'Ann.Lee@example.com', verified: true });
  const agent = await h.agent();
  expect(agent.welcome.conversations[0].visitor.verified).toBe(true);
  v.s.send({ t: 'end', id: 'e' });
  await v.s.next({ id: 'e' });
  const record = await (await fetch(`${h.relay.url}/v1/transcripts/${v.conversationId}`, { headers: { Authorization: `Bearer ${agent.token}` } })).json();
  expect(record.visitor.verified).toBe(true);
});

it('refuses a wrong signature with unverified, and takes a typed email as unverified', async () => {
  h = await Harness.start({ identitySecret: SECRET });
  const s = await h.connect('/v1/visitor');
  s.send({ t: 'hello', id: 'h1', email: 'ann@example.com', signature: sign('ann@example.com', 'another-secret-0000000') });
  expect(await s.next({ id: 'h1' })).toMatchObject({ t: 'error', code: 'unverified' });
  s.send({ t: 'hello', id: 'h2', email: 'ann@example.com', signature: sign('bob@example.com') });
  expect(await s.next({ id: 'h2' })).toMatchObject({ t: 'error', code: 'unverified' });
  s.send({ t: 'hello', id: 'h3', email: 'ann@example.com', signature: 'xyz' });
  expect(await s.next({ id: 'h3' })).toMatchObject({ t: 'error', code: 'invalid', field: 'signature' });
  // Without a signature: a chat, not verified.
  s.send({ t: 'hello', id: 'h4', email: 'ann@example.com' });
  const w = await s.next({ id: 'h4' });
  expect(w.t).toBe('welcome');
  expect(w.events[0].visitor.verified).toBeUndefined();
  expect(await h.relay.store.listConversations(['queued'])).toHaveLength(1);
});

it('with requireIdentity, refuses a hello without a signature; a relay without a secret refuses one with', async () => {
  h = await Harness.start({ identitySecret: SECRET, requireIdentity: true });
  const s = await h.connect('/v1/visitor');
  s.send({ t: 'hello', id: 'h', email: 'ann@example.com' });
  expect(await s.next({ id: 'h' })).toMatchObject({ t: 'error', code: 'unverified', message: expect.stringContaining('signed-in') });
  s.send({ t: 'hello', id: 'h2', email: 'ann@example.com', signature: sign('ann@example.com') });
  expect((await s.next({ id: 'h2' })).t).toBe('welcome');
  await h.cleanup();
  h = await Harness.start();
  const t = await h.connect('/v1/visitor');
  t.send({ t: 'hello', id: 'h', email: 'ann@example.com', signature: sign('ann@example.com') });
  expect(await t.next({ id: 'h' })).toMatchObject({ t: 'error', code: 'invalid', field: 'signature' });
  await expect(Harness.start({ requireIdentity: true })).rejects.toThrow(/needs identitySecret/);
  await expect(Harness.start({ identitySecret: 'short' })).rejects.toThrow(/at least 16/);
});
