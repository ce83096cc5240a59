// @vitest-environment happy-dom
/**
 * `rate()` refuses with `conflict`, sending nothing, when no chat started, while the
 * chat is queued or active, and after `newChat`; the relay's refusals (409 for a second
 * rating, 400, 401, 413, 429, a body that is not JSON) become ParleyErrors with the
 * status, and a failed request a `network` error.
 */
import { HttpResponse, http } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { ParleyError } from '../../src/client/index.js';
import type { ChatClient, ChatError } from '../../src/client/index.js';
import { JANE } from '../fake-relay/model.js';
import { RELAY } from '../fake-relay/visitor-endpoint.js';
import { useVisitorRelay, WAIT } from '../fake-relay/visitor-harness.js';

const env = useVisitorRelay();

const RATING = `${RELAY}/v1/rating`;

/** The error a promise rejects with (fails the test when it resolves). */
const rejection = (p: Promise<unknown>): Promise<ChatError> =>
  p.then(
    () => {
      throw new Error('resolved, expected a rejection');
    },
    (e: ChatError) => e,
  );

/** Counts the requests to `POST /v1/rating`; answers like the relay: 204 once, then 409. */
function ratingEndpoint(): { requests: number } {
  const seen = { requests: 0 };
  env.server.use(
    http.post(RATING, () =>
      ++seen.requests === 1
        ? new HttpResponse(null, { status: 204 })
        : HttpResponse.json({ error: { code: 'conflict', message: 'the chat was rated already' } }, { status: 409 }),
    ),
  );
  return seen;
}

async function ended(): Promise<ChatClient> {
  const client = env.client();
  await client.start({ email: 'ann@example.com' });
  await client.end();
  await vi.waitFor(() => expect(client.state.phase, 'ended').toBe('ended'), WAIT);
  return client;
}

describe('ChatClient.rate refusals', () => {
  it('refuses with conflict, sending nothing, when no chat was ever started', async () => {
    const endpoint = ratingEndpoint();
    const client = env.client();
    const err = await rejection(client.rate('up'));
    expect(err).toBeInstanceOf(ParleyError);
    expect(err.code).toBe('conflict');
    expect(endpoint.requests).toBe(0);
    expect(env.relay.sockets).toHaveLength(0);
  });

  it('refuses with conflict, sending nothing, while the chat is queued or active', async () => {
    const endpoint = ratingEndpoint();
    const client = env.client();
    await client.start({ email: 'ann@example.com' });
    expect((await rejection(client.rate('up'))).code).toBe('conflict');
    env.relay.append({ type: 'claimed', agent: JANE });
    await vi.waitFor(() => expect(client.state.phase, 'active').toBe('active'), WAIT);
    expect((await rejection(client.rate('down', 'Rude'))).code).toBe('conflict');
    expect(endpoint.requests).toBe(0);
  });

  it('refuses with conflict, sending nothing, once newChat forgot the ended chat', async () => {
    const client = await ended();
    const endpoint = ratingEndpoint();
    client.newChat();
    expect((await rejection(client.rate('up'))).code).toBe('conflict');
    expect(endpoint.requests).toBe(0);
  });

  it('turns the relay’s 409 for a second rating into a conflict error with the status', async () => {
    const client = await ended();
    const endpoint = ratingEndpoint();
    await client.rate('up');
    const err = await rejection(client.rate('down', 'Changed my mind'));
    expect(err).toBeInstanceOf(ParleyError);
    expect(err).toMatchObject({ code: 'conflict', status: 409, message: 'the chat was rated already' });
    expect(endpoint.requests).toBe(2);
  });

  it.each([
    [400, 'invalid'],
    [401, 'unauthorized'],
    [413, 'too_large'],
    [429, 'rate_limited'],
  ] as const)('turns the relay’s %i into a %s error with the status', async (status, code) => {
    const client = await ended();
    env.server.use(http.post(RATING, () => HttpResponse.json({ error: { code, message: `no: ${code}` } }, { status })));
    const err = await rejection(client.rate('up', 'Fine'));
    expect(err).toBeInstanceOf(ParleyError);
    expect(err).toMatchObject({ code, status, message: `no: ${code}` });
  });

  it('reads a refusal whose body is not JSON by its status alone', async () => {
    const client = await ended();
    env.server.use(http.post(RATING, () => new HttpResponse('Conflict', { status: 409 })));
    await expect(client.rate('up')).rejects.toMatchObject({ code: 'conflict', status: 409 });
  });

  it('rejects with network when the request fails', async () => {
    const client = await ended();
    env.server.use(http.post(RATING, () => HttpResponse.error()));
    const err = await rejection(client.rate('up'));
    expect(err).toBeInstanceOf(ParleyError);
    expect(err.code).toBe('network');
  });
});
