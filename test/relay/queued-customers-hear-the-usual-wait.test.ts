/**
 * The queue's usual wait: the median time from `requested` to the first `claimed` of the
 * recent live chats, in whole seconds, read from the store and reused for 30 s (a clock
 * is injected: nothing here waits), unknown below 5 such chats. A queued customer reads
 * it as `queueWait` in the welcome and `wait` in every `queue` frame; it counts first
 * claims only, and no message left offline.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AgentRef } from '../../src/protocol/index.js';
import { newId } from '../../src/relay/ids.js';
import { medianWaitSeconds, noticeablyChanged, QueueWait, type QueueWaitOptions } from '../../src/relay/queue-wait.js';
import { SqliteStore } from '../../src/relay/store-sqlite.js';
import type { Store } from '../../src/relay/store.js';
import { Harness } from './helpers.js';

const agent: AgentRef = { id: 'seed-agent', name: 'Seed' };

/** Chats asked for an hour before `now` and answered after `waits` seconds each, then ended. */
async function answered(store: Store, waits: readonly number[], now = Date.now()): Promise<void> {
  for (const [i, wait] of waits.entries()) {
    const id = newId();
    const requested = now - 3_600_000 + i * 1000;
    const claimedAt = new Date(requested + wait * 1000).toISOString();
    await store.createConversation({ id, tokenHash: `h-${id}`, email: 'seed@example.com', ip: '10.0.0.9' }, { type: 'requested', visitor: { email: 'seed@example.com' } }, new Date(requested).toISOString());
    await store.append(id, 1, [{ type: 'claimed', agent }], claimedAt, { status: 'active', ownerId: agent.id, firstClaim: true });
    await store.append(id, 2, [{ type: 'ended', by: 'agent', agent }], claimedAt, { status: 'ended', ownerId: agent.id });
  }
}

describe('the median of recent first claims', () => {
  const claims = (waits: number[]) => waits.map((w) => ({ requestedAt: '2026-01-01T00:00:00.000Z', claimedAt: new Date(Date.UTC(2026, 0, 1) + w).toISOString() }));

  it('is absent below the minimum, the middle one (or the mean of the two middle ones) after, in whole seconds', () => {
    expect(medianWaitSeconds(claims([1000, 2000, 3000, 4000]), 5)).toBeUndefined();
    expect(medianWaitSeconds([], 0)).toBeUndefined();
    expect(medianWaitSeconds(claims([500_000, 40_000, 10_000, 30_400, 20_000]), 5)).toBe(30);
    expect(medianWaitSeconds(claims([10_000, 20_000, 30_000, 41_000, 50_000, 60_000]), 5)).toBe(36);
  });

  it('tells queued customers again only of the first estimate and of one that moved by a minute and a quarter', () => {
    expect(noticeablyChanged(undefined, 30)).toBe(true);
    expect(noticeablyChanged(30, 80)).toBe(false);
    expect(noticeablyChanged(30, 90)).toBe(true);
    expect(noticeablyChanged(600, 700)).toBe(false);
    expect(noticeablyChanged(600, 750)).toBe(true);
  });
});

describe('QueueWait', () => {
  const stores: Store[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });
  const start = Date.UTC(2026, 5, 1, 12);
  const options: QueueWaitOptions = { sample: 50, windowMs: 86_400_000, minimum: 5, freshMs: 30_000 };

  it('reads the store once per 30 s, knows nothing below 5 chats, and counts only the last day', async () => {
    const store = new SqliteStore(':memory:');
    stores.push(store);
    let now = start;
    const read = vi.spyOn(store, 'listRecentClaims');
    const wait = new QueueWait(store, () => {}, () => now, options);
    const told = vi.fn();
    wait.onChange = told;
    await answered(store, [10, 20, 30, 40], start);
    expect(await wait.estimate()).toBeUndefined();
    await answered(store, [50], start);
    // Still the estimate read 0 s ago.
    expect(await wait.estimate()).toBeUndefined();
    expect(wait.current()).toBeUndefined();
    expect(read).toHaveBeenCalledTimes(1);
    now += 30_000;
    expect(await wait.estimate()).toBeUndefined(); // a stale one is given while it is read again
    await vi.waitFor(() => expect(wait.current()).toBe(30));
    expect(read).toHaveBeenCalledTimes(2);
    expect(told).toHaveBeenCalledWith(30);
    // A day later those chats no longer count.
    now += 86_400_000;
    wait.current();
    await vi.waitFor(() => expect(read).toHaveBeenCalledTimes(3));
    await vi.waitFor(() => expect(wait.current()).toBeUndefined());
    expect(told).toHaveBeenCalledTimes(1);
  });

  it('keeps the last estimate when the store fails, and reads again 30 s later', async () => {
    const store = new SqliteStore(':memory:');
    stores.push(store);
    let now = start;
    await answered(store, [60, 60, 60, 60, 60], start);
    const lines: string[] = [];
    const wait = new QueueWait(store, (l) => lines.push(l), () => now, options);
    expect(await wait.estimate()).toBe(60);
    vi.spyOn(store, 'listRecentClaims').mockRejectedValueOnce(new Error('store away'));
    now += 30_000;
    wait.current();
    await vi.waitFor(() => expect(lines).toEqual([expect.stringContaining('store away')]));
    expect(wait.current()).toBe(60);
    now += 30_000;
    await answered(store, [600, 600, 600, 600, 600, 600], start);
    wait.current();
    await vi.waitFor(() => expect(wait.current()).toBe(600));
  });
});

describe('queued customers', () => {
  let h: Harness;
  let store: SqliteStore;
  afterEach(async () => {
    await h.cleanup();
    await store.close();
  });

  it('read the usual wait in the welcome and in every queue frame once 5 chats were answered', async () => {
    store = new SqliteStore(':memory:');
    await answered(store, [10, 20, 30, 40, 300]);
    h = await Harness.start({ store });
    const first = await h.visitor('one@example.com');
    expect(first.welcome.conversation).toEqual({ id: first.conversationId, status: 'queued', queuePosition: 1, queueWait: 30 });
    const second = await h.visitor('two@example.com');
    expect(second.welcome.conversation).toMatchObject({ queuePosition: 2, queueWait: 30 });
    const jane = await h.agent();
    jane.s.send({ t: 'claim', id: 'c', conversationId: first.conversationId });
    await jane.s.next({ id: 'c' });
    expect(await second.s.next({ t: 'queue' })).toEqual({ t: 'queue', position: 1, wait: 30 });
    // The claim is a first claim the store keeps; the answered chat's resume has no queue fields.
    expect(await store.listRecentClaims(new Date(Date.now() - 60_000).toISOString(), 50)).toHaveLength(1);
    const back = await h.connect('/v1/visitor');
    back.send({ t: 'resume', id: 'r', token: first.token, conversationId: first.conversationId, afterSeq: 0 });
    expect((await back.next({ t: 'welcome' })).conversation).toEqual({ id: first.conversationId, status: 'active' });
  });

  it('read no wait while fewer than 5 chats were answered, and a message left offline is no answered chat', async () => {
    store = new SqliteStore(':memory:');
    await answered(store, [10, 20, 30, 40]);
    // A message left while nobody could answer, taken by an agent later: not a wait in the queue.
    const offline = newId();
    await store.createConversation(
      { id: offline, tokenHash: `h-${offline}`, email: 'later@example.com', ip: '10.0.0.8' },
      { type: 'requested', visitor: { email: 'later@example.com' }, offline: true },
      new Date(Date.now() - 7_200_000).toISOString(),
    );
    h = await Harness.start({ store });
    const jane = await h.agent();
    jane.s.send({ t: 'claim', id: 'c0', conversationId: offline });
    await jane.s.next({ id: 'c0' });
    expect(await store.listRecentClaims(new Date(Date.now() - 60_000).toISOString(), 50)).toEqual([]);
    const first = await h.visitor('one@example.com');
    const second = await h.visitor('two@example.com');
    expect(first.welcome.conversation).toEqual({ id: first.conversationId, status: 'queued', queuePosition: 1 });
    expect(second.welcome.conversation).toEqual({ id: second.conversationId, status: 'queued', queuePosition: 2 });
    jane.s.send({ t: 'claim', id: 'c', conversationId: first.conversationId });
    await jane.s.next({ id: 'c' });
    expect(await second.s.next({ t: 'queue' })).toEqual({ t: 'queue', position: 1 });
  });
});
