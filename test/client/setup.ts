/**
 * Shared wiring for the msw-based client tests: one msw server per file, a fresh fake
 * relay and storage per test, and every client destroyed afterwards.
 */
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { ChatClient } from '../../src/client/index.js';
import type { ChatClientOptions } from '../../src/client/index.js';
import { FakeRelay, RELAY, testStorage } from './fake-relay.js';

export interface Env {
  relay: FakeRelay;
  storage: ReturnType<typeof testStorage>;
  /** A client on the fake relay with the test's storage (destroyed after the test). */
  client(options?: Partial<ChatClientOptions>): ChatClient;
}

/** Call at the top of a test file; returns the per-test environment. */
export function useFakeRelay(): Env {
  const server = setupServer();
  const clients: ChatClient[] = [];
  const env = {} as Env;
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());
  beforeEach(() => {
    env.relay = new FakeRelay();
    env.storage = testStorage();
    env.client = (options = {}) => {
      const c = new ChatClient({ relay: RELAY, storage: env.storage, ...options });
      clients.push(c);
      return c;
    };
    server.use(env.relay.handler);
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.destroy();
    server.resetHandlers();
  });
  Object.defineProperty(env, 'server', { value: server });
  return env;
}

/** The msw server of an environment (for `http` handlers). */
export const serverOf = (env: Env): ReturnType<typeof setupServer> => (env as unknown as { server: ReturnType<typeof setupServer> }).server;
