/**
 * Test helper: a throwaway `redis-server` on a free loopback port, for the tests of
 * the Redis bus and limiters, started by scripts/local-servers.mjs (shared with the
 * bench). It keeps nothing on disk, can be restarted on the same port (to test
 * outages), and is killed when the test process exits at the latest.
 */
import { startRedis as startLocalRedis } from '../../scripts/local-servers.mjs';

/** A running test Redis. */
export interface TestRedis {
  url: string;
  port: number;
  /** Kills the server and waits until it has exited. */
  stop(): Promise<void>;
  /** Stops the server and starts a new, empty one on the same port. */
  restart(): Promise<void>;
}

/** Starts `redis-server` on a free port and resolves once it answers PING. */
export async function startRedis(): Promise<TestRedis> {
  const { url, port, stop, restart } = await startLocalRedis();
  return { url, port, stop, restart };
}
