/**
 * On every store (a SQLite file, SQLite in memory, PostgreSQL): `listRecentClaims`
 * gives each live chat's request and first claim (an append with `firstClaim`; a later
 * claim keeps the first time, an append without it records nothing), newest claim
 * first, since a time, at most a number; and a block of a verified chat refuses that
 * email's verified chats from any address, never an unverified one elsewhere.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/relay/store.js';
import { storeKinds } from './store-kinds.js';

const kinds = storeKinds('claims');

const t = (minute: number): string => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
const agent = { id: 'a', name: 'A' };

/** A chat requested at `from` and claimed at `claimed` (minutes), first claims recorded unless `live` is false. */
async function claimed(store: Store, id: string, from: number, claimed: number, live = true): Promise<void> {
  await store.createConversation({ id, tokenHash: `h-${id}`, email: 'a@example.com', ip: '10.0.0.1' }, { type: 'requested', visitor: { email: 'a@example.com' } }, t(from));
  const out = await store.append(id, 1, [{ type: 'claimed', agent }], t(claimed), { status: 'active', ownerId: 'a', ...(live ? { firstClaim: true as const } : {}) });
  expect(out).not.toBeNull();
}

describe.each(kinds)('%s store', (_name, open) => {
  let store: Store;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(() => store.close());

  it('lists first claims newest first, since a time, at most a number, and keeps the first of two claims', async () => {
    await claimed(store, 'c1', 0, 2);
    await claimed(store, 'c2', 1, 5);
    await claimed(store, 'c3', 3, 4);
    await claimed(store, 'offline', 0, 6, false);
    // c1 goes back to the queue and is claimed again: its first claim stands.
    await store.append('c1', 2, [{ type: 'transferred', from: agent, to: { queue: true } }], t(7), { status: 'queued', ownerId: null });
    await store.append('c1', 3, [{ type: 'claimed', agent }], t(9), { status: 'active', ownerId: 'a', firstClaim: true });
    expect(await store.listRecentClaims(t(0), 10)).toEqual([
      { requestedAt: t(1), claimedAt: t(5) },
      { requestedAt: t(3), claimedAt: t(4) },
      { requestedAt: t(0), claimedAt: t(2) },
    ]);
    expect(await store.listRecentClaims(t(4), 10)).toEqual([
      { requestedAt: t(1), claimedAt: t(5) },
      { requestedAt: t(3), claimedAt: t(4) },
    ]);
    expect(await store.listRecentClaims(t(0), 1)).toEqual([{ requestedAt: t(1), claimedAt: t(5) }]);
    // The claims' columns do not show in the conversation's record.
    expect(await store.getConversation('c1')).toMatchObject({ status: 'active', lastSeq: 4 });
  });

  it("refuses a verified block's email from any address for verified chats only, and lists the block as verified", async () => {
    const base = { conversationId: 'c', agentId: 'a', byAddress: false, at: t(0), expiresAt: t(60) };
    await store.addBlock({ id: 'typed', email: 'typed@example.com', address: '10.0.0.1', ...base });
    await store.addBlock({ id: 'known', email: 'known@example.com', address: '10.0.0.2', verified: true, ...base });
    // Verified: from its own address (either way) and, for a verified chat, from anywhere.
    expect(await store.findBlock('known@example.com', '10.0.0.2', t(1))).toMatchObject({ id: 'known', verified: true });
    expect(await store.findBlock('known@example.com', '192.0.2.7', t(1), true)).toMatchObject({ id: 'known' });
    expect(await store.findBlock('known@example.com', '192.0.2.7', t(1), false)).toBeNull();
    expect(await store.findBlock('known@example.com', '192.0.2.7', t(1))).toBeNull();
    expect(await store.findBlock('other@example.com', '192.0.2.7', t(1), true)).toBeNull();
    expect(await store.findBlock('known@example.com', '192.0.2.7', t(61), true)).toBeNull(); // expired
    // A typed email's block holds at its address only, verified chat or not.
    expect(await store.findBlock('typed@example.com', '10.0.0.1', t(1), true)).toMatchObject({ id: 'typed' });
    expect(await store.findBlock('typed@example.com', '192.0.2.7', t(1), true)).toBeNull();
    const listed = await store.listBlocks(t(1));
    expect(listed.map((b) => [b.id, b.verified])).toEqual([
      ['known', true],
      ['typed', undefined],
    ]);
    expect(listed[1]).not.toHaveProperty('verified');
  });
});
