import { describe, expect, it } from 'vitest';
import { SqliteStore, startRelay } from '../../src/relay/index.js';
import { Harness } from './helpers.js';

describe('Relay.close', () => {
  it('closes visitor and agent sockets with 1001 and is idempotent', async () => {
    const h = await Harness.start({ sqlite: true });
    const v = await h.visitor();
    const a = await h.agent();
    const first = h.relay.close();
    const second = h.relay.close();
    expect(second).toBe(first);
    await first;
    expect((await v.s.closed).code).toBe(1001);
    expect((await a.s.closed).code).toBe(1001);
    await h.cleanup();
  });

  it('refuses bad options with exact messages', async () => {
    const store = new SqliteStore(':memory:');
    try {
      await expect(startRelay({ port: -1, store })).rejects.toThrow(new RangeError('port must be an integer from 0 to 65535'));
      await expect(startRelay({ port: 0, store, helloRate: { count: 0, windowMs: 10 } })).rejects.toThrow(new RangeError('helloRate.count must be a positive integer'));
    } finally {
      await store.close();
    }
  });
});
