// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { AgentEndpoint } from '../fake-relay/agent-endpoint.js';
import { JANE } from '../fake-relay/model.js';
import { button, mountConsole, type DomHarness } from './harness.js';

let h: DomHarness | undefined;
afterEach(() => {
  h?.destroy();
  h = undefined;
});

const capacity = (root: HTMLElement) => root.querySelector('.top-bar .capacity')?.textContent?.trim();

describe('Capacity and availability', () => {
  it('shows how many chats the agent owns of their capacity, "2 of 3"', async () => {
    const relay = new AgentEndpoint();
    relay.capacity = 3;
    h = await mountConsole({ relay });
    expect(capacity(h.root)).toBe('Chats 0 of 3');
    await h.step(() => {
      h!.relay.request('c1', { email: 'ann@example.com' });
      h!.relay.append('c1', { type: 'claimed', agent: JANE });
      h!.relay.request('c2', { email: 'bea@example.com' });
      h!.relay.append('c2', { type: 'claimed', agent: JANE });
      h!.relay.request('c3', { email: 'cy@example.com' });
    });
    expect(capacity(h.root)).toBe('Chats 2 of 3');
    await h.step(() => h!.relay.append('c1', { type: 'ended', by: 'visitor' }));
    expect(capacity(h.root)).toBe('Chats 1 of 3');
  });

  it('lets the agent go away and come back online', async () => {
    h = await mountConsole();
    const select = h.root.querySelector<HTMLSelectElement>('.top-bar select')!;
    expect([...select.options].map((o) => o.textContent)).toEqual(['Online', 'Away', 'Offline']);
    for (const value of ['away', 'online'] as const) {
      await h.step(() => {
        select.value = value;
        select.dispatchEvent(new Event('change', { bubbles: true }));
      });
      expect(h.store.state.status).toBe(value);
    }
    expect(h.relay.socket.frames('status').map((f) => f.value)).toEqual(['away', 'online']);
  });

  it('says in words why a claim was refused: away, or at capacity', async () => {
    h = await mountConsole();
    await h.step(() => h!.relay.request('c1', { email: 'ann@example.com' }));
    await h.step(() => h!.root.querySelector<HTMLElement>('.tile')!.click());
    h.relay.refuseNext('claim', 'unavailable');
    await h.step(() => button(h!.root, 'Claim chat').click());
    expect(h.root.querySelector('.chat [role="alert"]')?.textContent).toBe('You are not online: set your status to Online to take chats.');
    h.relay.refuseNext('claim', 'at_capacity');
    await h.step(() => button(h!.root, 'Claim chat').click());
    expect(h.root.querySelector('.chat [role="alert"]')?.textContent).toBe(
      'You already have as many chats as you can take: end or transfer one first.',
    );
  });
});
