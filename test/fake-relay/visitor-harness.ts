/**
 * The wiring every client and widget test over the fake visitor endpoint shares: one
 * msw server per file (an unhandled request fails the test), a fresh endpoint with its
 * socket and HTTP handlers and a fresh storage per test, and every client made through
 * it destroyed afterwards. Call `useVisitorRelay()` at the top of a file or `describe`.
 */
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { ChatClient, type ChatClientOptions } from '../../src/client/index.js';
import { testStorage } from './test-storage.js';
import { RELAY, VisitorEndpoint } from './visitor-endpoint.js';

/** Options for `vi.waitFor` over socket round trips: up to 3 s of real time, looking every 5 ms. */
export const WAIT = { timeout: 3000, interval: 5 };

export interface VisitorEnv {
  /** The msw server: `server.use(http…)` answers one request differently for one test. */
  readonly server: ReturnType<typeof setupServer>;
  /** This test's fake relay, as the visitor's side sees it. */
  relay: VisitorEndpoint;
  /** This test's storage for clients made with `client()`. */
  storage: ReturnType<typeof testStorage>;
  /** A `ChatClient` on the fake relay with the test's storage (destroyed after the test). */
  client(options?: Partial<ChatClientOptions>): ChatClient;
}

/** Registers the hooks; the returned object holds the current test's relay and storage. */
export function useVisitorRelay(): VisitorEnv {
  const server = setupServer();
  const clients: ChatClient[] = [];
  const env: VisitorEnv = {
    server,
    relay: new VisitorEndpoint(),
    storage: testStorage(),
    client: (options = {}) => {
      const c = new ChatClient({ relay: RELAY, storage: env.storage, ...options });
      clients.push(c);
      return c;
    },
  };
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());
  beforeEach(() => {
    env.relay = new VisitorEndpoint();
    env.storage = testStorage();
    server.use(...env.relay.handlers);
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.destroy();
    server.resetHandlers();
  });
  return env;
}
