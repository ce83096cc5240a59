/**
 * `UnseenMessages`, the sweep's part of `message.unseen`, on a clock the test sets: an
 * unread agent message is due exactly `unseenAfterMs` (10 minutes unless the relay is
 * told otherwise) after it was logged, not a millisecond sooner; a check records one
 * delivery per conversation for every agent message then unread, and the next check
 * nothing more. Messages unread for more than a day when first looked at (a relay that
 * was down, a webhook configured later) are passed over without a delivery, but a newer
 * one in the same chat is still told.
 */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import type { AgentRef, EventBody } from '../../src/protocol/index.js';
import { resolveOptions } from '../../src/relay/options.js';
import { SqliteStore } from '../../src/relay/store-sqlite.js';
import { UNSEEN_AFTER_MS, UnseenMessages } from '../../src/relay/unseen-messages.js';

const T0 = Date.UTC(2026, 0, 31, 12, 0, 0);
const iso = (ms: number): string => new Date(ms).toISOString();
const FAR = ['2999-01-01T00:00:00.000Z', '2999-01-02T00:00:00.000Z'] as const;
const HOUR = 3_600_000;
const jane: AgentRef = { id: 'a', name: 'Jane' };
const fromAgent = (text: string): EventBody => ({ type: 'message', from: 'agent', agent: jane, text, clientId: text });

let store: SqliteStore;
let now = T0;
const stored = vi.fn();
let unseen: UnseenMessages;
beforeEach(() => {
  store = new SqliteStore(':memory:');
  now = T0;
  stored.mockReset();
  unseen = new UnseenMessages(store, UNSEEN_AFTER_MS, stored, () => now);
});
afterEach(() => store.close());

/** A chat claimed by Jane with one agent message per time given (ms), each its own append. */
async function chat(id: string, ...answeredAt: number[]): Promise<void> {
  await store.createConversation({ id, tokenHash: `h-${id}`, email: 'ann@example.com', ip: '10.0.0.1' }, { type: 'requested', visitor: { email: 'ann@example.com' } }, iso(answeredAt[0]! - 1000));
  await store.append(id, 1, [{ type: 'claimed', agent: jane }], iso(answeredAt[0]! - 1000), { status: 'active', ownerId: 'a' });
  let seq = 2;
  for (const at of answeredAt) await store.append(id, seq++, [fromAgent(`${id}-${at}`)], iso(at), { status: 'active', ownerId: 'a' });
}

it('waits 10 minutes unless the relay is told otherwise', () => {
  expect(resolveOptions({}).unseenAfterMs).toBe(600_000);
  expect(resolveOptions({ unseenAfterMs: 1_800_000 }).unseenAfterMs).toBe(1_800_000);
  expect(() => resolveOptions({ unseenAfterMs: -1 })).toThrow(/unseenAfterMs/);
});

it('records nothing before the delay, one delivery for the batch at it, and nothing more after', async () => {
  await chat('c', T0, T0 + 60_000);
  now = T0 + UNSEEN_AFTER_MS - 1;
  expect(await unseen.check()).toBe(0);
  expect(stored).not.toHaveBeenCalled();
  expect(await store.claimDeliveries('probe', ...FAR, 10)).toEqual([]);

  now = T0 + UNSEEN_AFTER_MS;
  expect(await unseen.check()).toBe(1);
  expect(stored).toHaveBeenCalledTimes(1);
  // Both messages then unread, the second not yet due on its own: one batch.
  expect(await store.claimDeliveries('probe', ...FAR, 10)).toEqual([
    expect.objectContaining({ type: 'message.unseen', conversationId: 'c', createdAt: iso(now), batch: { afterSeq: 0, upToSeq: 4 } }),
  ]);
  now += HOUR;
  expect(await unseen.check()).toBe(0);
  expect(stored).toHaveBeenCalledTimes(1);
});

it('records nothing for a chat whose customer read the answers', async () => {
  await chat('c', T0);
  await store.setVisitorReadSeq('c', 3);
  now = T0 + HOUR;
  expect(await unseen.check()).toBe(0);
  expect(await store.claimDeliveries('probe', ...FAR, 10)).toEqual([]);
});

it('passes over answers unread for more than a day, and still tells a newer one of the same chat', async () => {
  await chat('c', T0 - 30 * HOUR, T0 - 20 * 60_000);
  expect(await unseen.check()).toBe(0);
  expect(await store.claimDeliveries('probe', ...FAR, 10)).toEqual([]);
  // The next sweep finds the newer answer due.
  expect(await unseen.check()).toBe(1);
  expect(await store.claimDeliveries('probe', ...FAR, 10)).toEqual([expect.objectContaining({ conversationId: 'c', batch: { afterSeq: 3, upToSeq: 4 } })]);
});
