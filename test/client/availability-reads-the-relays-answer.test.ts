// @vitest-environment happy-dom
/**
 * `availability()` asks the relay's `GET /v1/availability` (under the relay's own path,
 * with the client's fetch when one is given) without starting a chat, resolves its
 * answer as it came, and rejects with a `network` ParleyError when the request fails,
 * the answer is not JSON or the client's own fetch throws.
 */
import { HttpResponse, http } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { ParleyError } from '../../src/client/index.js';
import type { ChatError } from '../../src/client/index.js';
import { RELAY } from '../fake-relay/visitor-endpoint.js';
import { useVisitorRelay } from '../fake-relay/visitor-harness.js';

const env = useVisitorRelay();

const AVAILABILITY = `${RELAY}/v1/availability`;

describe('ChatClient.availability', () => {
  it.each([
    [{ available: true }],
    [{ available: false, reason: 'busy' }],
    [{ available: false, reason: 'closed', opensAt: '2026-12-02T09:00:00.000Z' }],
    [{ available: false, reason: 'closed', opensAt: null }],
    [{ available: true, identityRequired: true }],
  ])('resolves the relay’s answer %j', async (answer) => {
    const seen: { method: string; auth: string | null }[] = [];
    env.server.use(
      http.get(AVAILABILITY, ({ request }) => {
        seen.push({ method: request.method, auth: request.headers.get('authorization') });
        return HttpResponse.json(answer);
      }),
    );
    const client = env.client();
    await expect(client.availability()).resolves.toEqual(answer);
    expect(seen).toEqual([{ method: 'GET', auth: null }]);
  });

  it('asks without a chat: no socket, nothing stored, the phase stays idle', async () => {
    env.server.use(http.get(AVAILABILITY, () => HttpResponse.json({ available: true })));
    const client = env.client();
    await client.availability();
    expect(env.relay.sockets).toHaveLength(0);
    expect(env.storage.map.size).toBe(0);
    expect(client.state.phase).toBe('idle');
  });

  it('asks the relay under its own path, with the client’s fetch when one is given', async () => {
    const urls: string[] = [];
    env.server.use(
      http.get(`${RELAY}/chat/v1/availability`, ({ request }) => {
        urls.push(request.url);
        return HttpResponse.json({ available: false, reason: 'busy' });
      }),
    );
    const ownFetch = vi.fn((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
    const client = env.client({ relay: `${RELAY}/chat/?x=1#top`, fetch: ownFetch });
    await expect(client.availability()).resolves.toEqual({ available: false, reason: 'busy' });
    expect(ownFetch).toHaveBeenCalledTimes(1);
    expect(urls).toEqual([`${RELAY}/chat/v1/availability`]);
  });

  it('rejects with a network ParleyError when the request fails', async () => {
    env.server.use(http.get(AVAILABILITY, () => HttpResponse.error()));
    const client = env.client();
    const err = (await client.availability().catch((e: ChatError) => e)) as ChatError;
    expect(err).toBeInstanceOf(ParleyError);
    expect(err.code).toBe('network');
  });

  it('rejects with a network ParleyError when the answer is not JSON', async () => {
    env.server.use(http.get(AVAILABILITY, () => HttpResponse.text('<html>Bad gateway</html>', { headers: { 'Content-Type': 'text/html' } })));
    const client = env.client();
    await expect(client.availability()).rejects.toMatchObject({ name: 'ParleyError', code: 'network' });
  });

  it('rejects with a network ParleyError when the client’s own fetch throws', async () => {
    const client = env.client({ fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
    await expect(client.availability()).rejects.toMatchObject({ code: 'network' });
  });
});
