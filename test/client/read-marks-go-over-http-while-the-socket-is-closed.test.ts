// @vitest-environment happy-dom
// A read mark made while the socket is closed (the chat has ended, so the client closed
// it; or it is reconnecting) goes over HTTP (`POST /v1/read`) with the chat's token, so
// that the relay never reports an answer the customer read as unseen. On an open socket
// it is the `read` frame, as ever.
import { HttpResponse, http } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { JANE } from '../fake-relay/model.js';
import { RELAY } from '../fake-relay/visitor-endpoint.js';
import { useVisitorRelay, WAIT } from '../fake-relay/visitor-harness.js';

const env = useVisitorRelay();

/** Answers `POST /v1/read` with 204 and records the token and body of each. */
function readEndpoint(): { auth: string | null; body: unknown }[] {
  const seen: { auth: string | null; body: unknown }[] = [];
  env.server.use(
    http.post(`${RELAY}/v1/read`, async ({ request }) => {
      seen.push({ auth: request.headers.get('authorization'), body: JSON.parse(await request.text()) as unknown });
      return new HttpResponse(null, { status: 204 });
    }),
  );
  return seen;
}

describe('ChatClient.markRead', () => {
  it('posts the mark over HTTP once the chat has ended and its socket is closed', async () => {
    const seen = readEndpoint();
    const client = env.client();
    await client.start({ email: 'ann@example.com' });
    env.relay.append({ type: 'claimed', agent: JANE });
    env.relay.append({ type: 'message', from: 'agent', agent: JANE, text: 'Your parcel left today.', clientId: crypto.randomUUID() });
    env.relay.append({ type: 'ended', by: 'agent', agent: JANE });
    await vi.waitFor(() => {
      expect(client.state.phase).toBe('ended');
      expect(env.relay.open.length, 'socket closed').toBe(0);
    }, WAIT);
    expect(client.state.unread).toBe(1);

    client.markRead();
    expect(client.state.unread).toBe(0);
    const lastSeq = client.state.conversation.lastSeq;
    await vi.waitFor(() => expect(seen).toEqual([{ auth: `Bearer ${env.relay.token}`, body: { upToSeq: lastSeq } }]), WAIT);
    // Marked once: a second call has nothing new to tell.
    client.markRead();
    expect(env.relay.framesOf('read')).toEqual([]);
  });

  it('sends the read frame, not HTTP, while the socket is open', async () => {
    const seen = readEndpoint();
    const client = env.client();
    await client.start({ email: 'ann@example.com' });
    env.relay.append({ type: 'claimed', agent: JANE });
    env.relay.append({ type: 'message', from: 'agent', agent: JANE, text: 'Hello!', clientId: crypto.randomUUID() });
    await vi.waitFor(() => expect(client.state.unread).toBe(1), WAIT);
    client.markRead();
    await vi.waitFor(() => expect(env.relay.framesOf('read')).toHaveLength(1), WAIT);
    expect(seen).toEqual([]);
  });
});
