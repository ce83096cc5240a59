/**
 * What a relay stands on, chosen by its options: the store (the SQLite file in the
 * data folder by default, or PostgreSQL with `storeUrl`), the bus (in-process by
 * default, or Redis with `busUrl`) and where rate limits are counted (in memory, or
 * in Redis so that they hold across relays). Opened together at start-up and closed
 * together at the end; a relay on a shared PostgreSQL without a bus refuses to start.
 */
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { LocalBus, type Bus } from './bus.js';
import { RedisBus } from './bus-redis.js';
import { localLimiters, type LimiterFactory } from './limiter.js';
import { redisLimiters } from './limiter-redis.js';
import type { ResolvedOptions } from './options.js';
import type { Store } from './store.js';
import { PostgresStore } from './store-postgres.js';
import { SqliteStore } from './store-sqlite.js';

/** The store, the bus and the limiters of one relay. */
export interface Backends {
  store: Store;
  bus: Bus;
  limiters: LimiterFactory;
  /** Told when the bus came back after an outage (news may have been lost meanwhile). */
  onBusReconnect: (fn: () => void) => void;
  /** Closes what was opened here (a store given by the caller stays open). */
  close(): Promise<void>;
}

/**
 * Opens the relay's backends.
 * @throws Error (code `store_shared_without_bus`) when another relay uses the same
 *   PostgreSQL database and one of the two has no bus; the driver's error when a
 *   server cannot be reached.
 */
export async function openBackends(opts: ResolvedOptions, given: Store | undefined): Promise<Backends> {
  const log = opts.log;
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async (): Promise<void> => {
    for (const c of closers.splice(0).reverse()) await c().catch((err: unknown) => log(`closing failed: ${String(err)}`));
  };
  try {
    let reconnected: () => void = () => {};
    let bus: Bus;
    let limiters: LimiterFactory;
    if (opts.busUrl) {
      const redisBus = await RedisBus.open(opts.busUrl, { onError: (err) => log(`bus: ${String(err)}`), log, onReconnect: () => reconnected() });
      closers.push(() => redisBus.close());
      const redis = new Redis(opts.busUrl, { lazyConnect: false, maxRetriesPerRequest: 1 });
      redis.on('error', () => {});
      closers.push(async () => void (await redis.quit().catch(() => redis.disconnect())));
      limiters = redisLimiters(redis, undefined, { onError: (err: unknown) => log(`rate limits: ${String(err)}`) });
      bus = redisBus;
    } else {
      bus = new LocalBus((err) => log(`bus listener failed: ${String(err)}`));
      limiters = localLimiters(opts.now);
    }
    closers.push(() => bus.close());
    let store: Store;
    if (given) {
      store = given;
      // A database given ready-made is shared all the same: the same refusal holds.
      if (given instanceof PostgresStore) await given.register(bus.relayId, bus.shared);
    } else if (opts.storeUrl) {
      const pg = await PostgresStore.open(opts.storeUrl);
      closers.push(() => pg.close());
      await pg.register(bus.relayId, bus.shared);
      store = pg;
    } else {
      const sqlite = new SqliteStore(join(opts.dataDir, 'parley.db'));
      closers.push(() => sqlite.close());
      store = sqlite;
    }
    return {
      store,
      bus,
      limiters,
      onBusReconnect: (fn) => {
        reconnected = fn;
      },
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
