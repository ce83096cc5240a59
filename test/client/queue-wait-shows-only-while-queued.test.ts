// @vitest-environment happy-dom
/**
 * `state.queueWait` is the queue's usual wait while the chat is queued: from the welcome
 * (also a resumed one) and then from each `queue` frame, null when the relay does not
 * know it; it clears once an agent claims the chat (a late `queue` frame does not bring
 * it back), when the chat ends, and after `newChat`.
 */
import { describe, expect, it, vi } from 'vitest';
import type { ChatClient } from '../../src/client/index.js';
import { JANE } from '../fake-relay/model.js';
import { useVisitorRelay, WAIT } from '../fake-relay/visitor-harness.js';

const env = useVisitorRelay();

/** The one socket the relay holds for the client. */
const socket = () => env.relay.open[0]!;

/**
 * Resolves once the client has handled every frame the relay sent before this call: an
 * agent's message goes after them on the same socket and shows in the timeline.
 */
async function barrier(client: ChatClient): Promise<void> {
  const { seq } = env.relay.agentSays('barrier');
  await vi.waitFor(() => expect(client.state.conversation.lastSeq, 'barrier handled').toBe(seq), WAIT);
}

describe('state.queueWait', () => {
  it('is the welcome’s queueWait while queued', async () => {
    env.relay.queueWait = 150;
    const client = env.client();
    expect(client.state.queueWait).toBeNull();
    await client.start({ email: 'ann@example.com' });
    expect(client.state).toMatchObject({ phase: 'queued', queuePosition: 1, queueWait: 150 });
  });

  it('is null while queued when the relay does not know the usual wait yet', async () => {
    const client = env.client();
    await client.start({ email: 'ann@example.com' });
    expect(client.state).toMatchObject({ phase: 'queued', queuePosition: 1, queueWait: null });
  });

  it('follows the wait of queue frames, and becomes null when a queue frame has none', async () => {
    const client = env.client();
    await client.start({ email: 'ann@example.com' });

    env.relay.push(socket(), { t: 'queue', position: 3, wait: 240 });
    await vi.waitFor(() => expect(client.state.queueWait, 'wait from the queue frame').toBe(240), WAIT);
    expect(client.state.queuePosition).toBe(3);

    // The usual wait moves while the position stays.
    env.relay.push(socket(), { t: 'queue', position: 3, wait: 60 });
    await vi.waitFor(() => expect(client.state.queueWait, 'wait moved').toBe(60), WAIT);

    env.relay.push(socket(), { t: 'queue', position: 2 });
    await vi.waitFor(() => expect(client.state.queuePosition, 'next position').toBe(2), WAIT);
    expect(client.state.queueWait).toBeNull();
  });

  it('clears when an agent claims the chat, and stays clear if a late queue frame comes', async () => {
    env.relay.queueWait = 150;
    const client = env.client();
    await client.start({ email: 'ann@example.com' });
    expect(client.state.queueWait).toBe(150);

    env.relay.append({ type: 'claimed', agent: JANE });
    await vi.waitFor(() => expect(client.state.phase, 'claimed').toBe('active'), WAIT);
    expect(client.state.queueWait).toBeNull();
    expect(client.state.queuePosition).toBeNull();

    env.relay.push(socket(), { t: 'queue', position: 1, wait: 30 });
    await barrier(client);
    expect(client.state.queueWait).toBeNull();
    expect(client.state.queuePosition).toBeNull();
  });

  it('is null once the chat ended, and after newChat', async () => {
    env.relay.queueWait = 150;
    const client = env.client();
    await client.start({ email: 'ann@example.com' });
    await client.end();
    await vi.waitFor(() => expect(client.state.phase, 'ended').toBe('ended'), WAIT);
    expect(client.state.queueWait).toBeNull();
    client.newChat();
    expect(client.state.queueWait).toBeNull();
  });

  it('comes back with the welcome of a resume after a reload', async () => {
    env.relay.queueWait = 150;
    const first = env.client();
    await first.start({ email: 'ann@example.com' });
    first.destroy();

    env.relay.queueWait = 200;
    const reloaded = env.client();
    expect(reloaded.resume()).toBe(true);
    await vi.waitFor(() => expect(reloaded.state.phase, 'resumed').toBe('queued'), WAIT);
    expect(reloaded.state.queueWait).toBe(200);
  });
});
