/**
 * The store's side of webhook delivery, on SQLite and PostgreSQL: a delivery stored with
 * the append that ends a conversation (and not without it), leased to one relay at a
 * time, counted per attempt, retried when due, and done once sent or given up. On
 * PostgreSQL, relays claiming together never get the same delivery.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/relay/store-postgres.js';
import { SqliteStore } from '../../src/relay/store-sqlite.js';
import type { NewDelivery, Store } from '../../src/relay/store.js';
import { freshDatabase, startPostgres, type PostgresServer } from './postgres-server.js';

let server: Promise<PostgresServer> | null = null;
const postgres = (): Promise<PostgresServer> => (server ??= startPostgres());
afterAll(async () => {
  const s = await server?.catch(() => null);
  await s?.stop();
});

const t0 = '2026-01-01T00:00:00.000Z';
const t1 = '2026-01-01T00:00:10.000Z';
const t2 = '2026-01-01T00:00:20.000Z';
const t3 = '2026-01-01T00:00:30.000Z';
const delivery = (id: string, conversationId = 'c1'): NewDelivery => ({ id, type: 'conversation.ended', conversationId, createdAt: t0 });

const opened: Store[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

async function ended(store: Store, id: string, deliveries: NewDelivery[]): Promise<void> {
  await store.createConversation({ id, tokenHash: `h-${id}`, email: 'ann@example.com', ip: '127.0.0.1' }, { type: 'requested', email: 'ann@example.com' } as never, t0);
  const out = await store.append(id, 1, [{ type: 'ended', by: 'visitor' }], t0, { status: 'ended', ownerId: null, deliveries });
  expect(out).not.toBeNull();
}

const kinds: [string, () => Promise<Store>][] = [
  ['SQLite', async () => new SqliteStore(':memory:')],
  ['PostgreSQL', async () => PostgresStore.open(await freshDatabase((await postgres()).url), { poolSize: 2 })],
];

describe.each(kinds)('%s', (_name, open) => {
  it('stores a delivery with the append that ends, leases it to one owner, and retries it when due', async () => {
    const store = await open();
    opened.push(store);
    await ended(store, 'c1', [delivery('d1')]);
    const first = await store.claimDeliveries('relay-a', t0, t1, 10);
    expect(first).toEqual([{ ...delivery('d1'), attempts: 1 }]);
    // Leased: nobody else gets it before the lease runs out (PostgreSQL: another relay).
    if (store.kind === 'postgres') expect(await store.claimDeliveries('relay-b', t0, t1, 10)).toEqual([]);
    expect(await store.claimDeliveries('relay-a', t0, t1, 10)).toEqual([]);
    await store.settleDelivery('d1', 'relay-a', { sent: false, at: t0, error: 'HTTP 500', retryAt: t2 });
    expect(await store.claimDeliveries('relay-a', t1, t2, 10)).toEqual([]);
    const second = await store.claimDeliveries('relay-a', t2, t3, 10);
    expect(second).toEqual([{ ...delivery('d1'), attempts: 2 }]);
    await store.settleDelivery('d1', 'relay-a', { sent: true, at: t2 });
    expect(await store.claimDeliveries('relay-a', '2099-01-01T00:00:00.000Z', '2099-01-02T00:00:00.000Z', 10)).toEqual([]);
  });

  it('writes no delivery when the append is refused, and none after one is given up', async () => {
    const store = await open();
    opened.push(store);
    await ended(store, 'c1', [delivery('d1')]);
    // A stale append (seq moved on) writes nothing, its delivery included.
    expect(await store.append('c1', 1, [{ type: 'ended', by: 'visitor' }], t0, { status: 'ended', ownerId: null, deliveries: [delivery('d2')] })).toBeNull();
    const claimed = await store.claimDeliveries('relay-a', t0, t1, 10);
    expect(claimed.map((d) => d.id)).toEqual(['d1']);
    await store.settleDelivery('d1', 'relay-a', { sent: false, at: t0, error: 'HTTP 500', retryAt: null });
    expect(await store.claimDeliveries('relay-a', '2099-01-01T00:00:00.000Z', '2099-01-02T00:00:00.000Z', 10)).toEqual([]);
  });

  it('ignores the result of an attempt whose lease another owner has taken over', async () => {
    const store = await open();
    opened.push(store);
    await ended(store, 'c1', [delivery('d1')]);
    await store.claimDeliveries('relay-a', t0, t1, 10);
    // relay-a's lease ran out (it hung or died); relay-b takes the delivery.
    expect((await store.claimDeliveries('relay-b', t1, t2, 10)).map((d) => d.attempts)).toEqual([2]);
    await store.settleDelivery('d1', 'relay-a', { sent: true, at: t1 });
    // relay-a's late "sent" did not close it: relay-b's own result counts.
    await store.settleDelivery('d1', 'relay-b', { sent: false, at: t1, error: 'HTTP 503', retryAt: t2 });
    expect((await store.claimDeliveries('relay-b', t2, t3, 10)).map((d) => d.attempts)).toEqual([3]);
  });
});

describe('PostgreSQL shared by relays', () => {
  it('gives each delivery to one of several relays claiming at once', async () => {
    const place = await freshDatabase((await postgres()).url);
    const stores = await Promise.all([0, 1, 2].map(() => PostgresStore.open(place, { poolSize: 2 })));
    opened.push(...stores);
    for (let i = 0; i < 12; i++) await ended(stores[0]!, `c${i}`, [delivery(`d${i}`, `c${i}`)]);
    const claims = await Promise.all(stores.map((s, i) => s.claimDeliveries(`relay-${i}`, t0, t1, 5)));
    const ids = claims.flat().map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(10);
  });
});
