// Behind a proxy every socket comes from the proxy's address (here 127.0.0.1). With
// `trustProxy`, two visitors with different X-Forwarded-For get separate hello
// budgets (and their conversations their own address); without it, or when the peer
// is not a trusted proxy, the header is ignored and they share one. IPv6 clients are
// budgeted per /64.
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore, startRelay, type RelayOptions } from '../../src/relay/index.js';
import { Harness, type Frame } from './helpers.js';

const BUDGET = { count: 2, windowMs: 60_000 };

describe('hello budgets behind a proxy', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
  });

  const start = async (options: RelayOptions = {}): Promise<void> => {
    h = await Harness.start({ helloRate: BUDGET, ...options });
  };
  const relay = (): Harness => h!;
  /** One hello on a fresh socket that came through the proxy for `forwardedFor`: its answer. */
  let n = 0;
  const hello = async (forwardedFor: string): Promise<Frame> => {
    const s = await relay().connect('/v1/visitor', { 'X-Forwarded-For': forwardedFor });
    n++;
    s.send({ t: 'hello', id: `h${n}`, email: `v${n}@example.com` });
    return s.next((f) => f.t === 'welcome' || f.t === 'error');
  };
  const budgetUsedBy = async (forwardedFor: string): Promise<void> => {
    for (let i = 0; i < BUDGET.count; i++) expect(await hello(forwardedFor)).toMatchObject({ t: 'welcome' });
  };

  it('without trustProxy, visitors behind the same proxy share one budget whatever X-Forwarded-For says', async () => {
    await start();
    await budgetUsedBy('203.0.113.1');
    expect(await hello('203.0.113.2')).toMatchObject({ t: 'error', code: 'rate_limited' });
    // The spoofed header did not become anyone's address.
    const ips = (await relay().relay.store.listConversations(['queued'])).map((c) => c.ip);
    expect(ips).toEqual(['127.0.0.1', '127.0.0.1']);
  });

  it('with trustProxy naming the proxy, each forwarded client has its own budget and address', async () => {
    await start({ trustProxy: '127.0.0.1,::1/128' });
    await budgetUsedBy('203.0.113.1');
    expect(await hello('203.0.113.1')).toMatchObject({ t: 'error', code: 'rate_limited' });
    // The client writes its own "X-Forwarded-For: 203.0.113.1"; the proxy appends what it saw.
    expect(await hello('203.0.113.1, 203.0.113.2')).toMatchObject({ t: 'welcome' });
    expect(await hello('203.0.113.2')).toMatchObject({ t: 'welcome' });
    expect(await hello('203.0.113.2')).toMatchObject({ t: 'error', code: 'rate_limited' });
    const ips = (await relay().relay.store.listConversations(['queued'])).map((c) => c.ip).sort();
    expect(ips).toEqual(['203.0.113.1', '203.0.113.1', '203.0.113.2', '203.0.113.2']);
  });

  it('with a hop count, likewise; IPv6 clients share a budget per /64', async () => {
    await start({ trustProxy: 1 });
    await budgetUsedBy('2001:db8:1:2::a');
    expect(await hello('2001:db8:1:2::b')).toMatchObject({ t: 'error', code: 'rate_limited' });
    expect(await hello('2001:db8:1:3::a')).toMatchObject({ t: 'welcome' });
    expect(await hello('203.0.113.7')).toMatchObject({ t: 'welcome' });
  });

  it('ignores X-Forwarded-For when the peer is not among the trusted proxies', async () => {
    await start({ trustProxy: '10.0.0.0/8' });
    await budgetUsedBy('203.0.113.1');
    expect(await hello('203.0.113.2')).toMatchObject({ t: 'error', code: 'rate_limited' });
  });

  it('refuses a bad trustProxy at start with a clear error', async () => {
    // Options are checked before anything listens or opens.
    const store = new SqliteStore(':memory:');
    try {
      await expect(startRelay({ port: 0, store, trustProxy: '10.0.0.0/40' })).rejects.toThrow(
        /^trustProxy: "10\.0\.0\.0\/40" is not an IP address or CIDR range/,
      );
      await expect(startRelay({ port: 0, store, trustProxy: 0 })).rejects.toThrow(RangeError);
    } finally {
      await store.close();
    }
  });
});
