// @vitest-environment happy-dom
/**
 * The Blocks panel over a real relay: an agent blocks a customer, opens "Blocked
 * customers", sees who is blocked, from where, until when and why, and lifts it; the
 * customer can then start a chat again.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { BlocksPanel } from '../../src/console/components/blocks-panel.js';
import { AgentConnection, type SocketConstructor } from '../../src/console/connection.js';
import { ConsoleStore } from '../../src/console/store.js';
import type { Relay } from '../../src/relay/index.js';
import { Harness } from '../relay/helpers.js';

let relay: Relay;
/** The relay for each test, on an in-memory store, with its temp folder (test/relay's harness). */
let harness: Harness;
const cleanups: (() => void)[] = [];
beforeEach(async () => {
  harness = await Harness.start();
  relay = harness.relay;
});
afterEach(async () => {
  for (const c of cleanups.splice(0)) c();
  await harness.cleanup();
});

/** Lets Preact render (each try inside `act`) until `check` holds; throws `what` after 4 s. */
async function waitFor(check: () => boolean, what: string): Promise<void> {
  await vi.waitFor(
    async () => {
      await act(() => {});
      if (!check()) throw new Error(`timed out waiting for ${what}`);
    },
    { timeout: 4000, interval: 20 },
  );
}

/** A visitor who says hello; resolves with the welcome or the refusal. */
async function hello(email: string): Promise<Record<string, any>> {
  const ws = new WebSocket(relay.url.replace('http', 'ws') + '/v1/visitor');
  cleanups.push(() => ws.terminate());
  await new Promise((r) => ws.once('open', r));
  const reply = new Promise<Record<string, any>>((r) => ws.once('message', (d) => r(JSON.parse(String(d)))));
  ws.send(JSON.stringify({ t: 'hello', id: 'h', email }));
  return reply;
}

describe('Blocked customers', () => {
  it('lists a block with its address, expiry and comment, and lifts it', async () => {
    const first = await hello('mallory@example.com');
    const jane = await relay.addAgent('Jane Doe');
    const connection = new AgentConnection({ url: relay.url.replace('http', 'ws') + '/v1/agent', WebSocket: WebSocket as unknown as SocketConstructor, events: null });
    const store = new ConsoleStore({ connection });
    cleanups.push(() => store.destroy());
    store.signIn(jane.token);
    await waitFor(() => store.state.connection === 'open', 'sign-in');
    const id = first['conversation'].id as string;
    await store.claim(id);
    expect(await store.block(id, 'abusive language')).toBe(true);
    expect((await hello('mallory@example.com'))['code']).toBe('blocked');

    const root = document.createElement('div');
    document.body.append(root);
    let closed = false;
    await act(() => render(<BlocksPanel store={store} onClose={() => (closed = true)} />, root));
    await waitFor(() => root.querySelector('.blocks li') !== null, 'the list');
    const item = root.querySelector('.blocks li')!;
    expect(item.textContent).toContain('mallory@example.com from 127.0.0.1');
    expect(item.textContent).toContain('until');
    expect(item.textContent).toContain('abusive language');
    expect(item.querySelector('bdi')?.textContent).toBe('mallory@example.com');

    const lift = [...item.querySelectorAll('button')].find((b) => b.textContent === 'Lift block on mallory@example.com')!;
    await act(() => lift.click());
    await waitFor(() => root.textContent?.includes('Nobody is blocked.') ?? false, 'the empty list');
    expect((await hello('mallory@example.com'))['t']).toBe('welcome');
    render(null, root);
    root.remove();
    expect(closed).toBe(false);
  });
});
