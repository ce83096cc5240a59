// @vitest-environment happy-dom
/**
 * `rate()` after the end posts `POST /v1/rating` over HTTP, the socket being closed by
 * then: the value and the comment (left out when empty) as JSON, the chat's token in the
 * Authorization header and never in the URL, resolving on 204; it works after a reload
 * with the stored token, and with the client's own fetch when one is given.
 */
import { HttpResponse, http } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import type { ChatClient } from '../../src/client/index.js';
import { JANE } from '../fake-relay/model.js';
import { RELAY } from '../fake-relay/visitor-endpoint.js';
import { useVisitorRelay, WAIT } from '../fake-relay/visitor-harness.js';

const env = useVisitorRelay();

interface Seen {
  url: string;
  method: string;
  auth: string | null;
  type: string | null;
  body: unknown;
}

/** Answers `POST /v1/rating` with 204 and records what came. */
function ratingEndpoint(): Seen[] {
  const seen: Seen[] = [];
  env.server.use(
    http.post(`${RELAY}/v1/rating`, async ({ request }) => {
      seen.push({
        url: request.url,
        method: request.method,
        auth: request.headers.get('authorization'),
        type: request.headers.get('content-type'),
        body: JSON.parse(await request.text()) as unknown,
      });
      return new HttpResponse(null, { status: 204 });
    }),
  );
  return seen;
}

/** A client whose chat an agent answered and the customer ended; its socket is closed by then. */
async function ended(ownFetch?: typeof fetch): Promise<ChatClient> {
  const client = env.client(ownFetch ? { fetch: ownFetch } : {});
  await client.start({ email: 'ann@example.com' });
  env.relay.append({ type: 'claimed', agent: JANE });
  await client.end();
  await vi.waitFor(() => {
    expect(client.state.phase, 'ended').toBe('ended');
    expect(env.relay.open.length, 'socket closed').toBe(0);
  }, WAIT);
  return client;
}

describe('ChatClient.rate after the end', () => {
  it('posts the value and the comment as JSON with the chat’s token in a header, and resolves on 204', async () => {
    const client = await ended();
    const seen = ratingEndpoint();
    await expect(client.rate('down', 'Took too long to answer')).resolves.toBeUndefined();
    expect(seen).toEqual([
      {
        url: `${RELAY}/v1/rating`,
        method: 'POST',
        auth: `Bearer ${env.relay.token}`,
        type: 'application/json',
        body: { value: 'down', comment: 'Took too long to answer' },
      },
    ]);
    expect(seen[0]!.url).not.toContain(env.relay.token);
    // Over HTTP: the socket stays closed and no `rate` frame went to the relay.
    expect(env.relay.sockets).toHaveLength(1);
    expect(env.relay.framesOf('rate')).toHaveLength(0);
  });

  it('leaves the comment out when there is none, or it is empty', async () => {
    const client = await ended();
    const seen = ratingEndpoint();
    await client.rate('up');
    await client.rate('up', '');
    expect(seen.map((s) => s.body)).toEqual([{ value: 'up' }, { value: 'up' }]);
  });

  it('rates a chat that ended before a reload, with the stored token', async () => {
    const first = await ended();
    first.destroy();
    const reloaded = env.client();
    expect(reloaded.resume()).toBe(true);
    await vi.waitFor(() => expect(reloaded.state.phase, 'resumed, ended').toBe('ended'), WAIT);
    const seen = ratingEndpoint();
    await reloaded.rate('up', 'Thanks!');
    expect(seen).toEqual([expect.objectContaining({ auth: `Bearer ${env.relay.token}`, body: { value: 'up', comment: 'Thanks!' } })]);
  });

  it('posts with the client’s own fetch when one is given', async () => {
    const ownFetch = vi.fn((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
    const client = await ended(ownFetch);
    const seen = ratingEndpoint();
    await client.rate('up');
    expect(ownFetch).toHaveBeenCalledTimes(1);
    expect(String(ownFetch.mock.calls[0]![0])).toBe(`${RELAY}/v1/rating`);
    expect(seen).toHaveLength(1);
  });
});
