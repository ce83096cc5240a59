// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { BOB, JANE } from '../fake-relay/model.js';
import { button, mountConsole, type DomHarness } from './harness.js';

let h: DomHarness | undefined;
afterEach(() => {
  h?.destroy();
  h = undefined;
});

describe('Tab title', () => {
  it('counts waiting chats and unread customer messages in own chats, and drops what the agent has read', async () => {
    h = await mountConsole();
    await h.step(() => {
      h!.relay.request('c1', { email: 'ann@example.com' });
      h!.relay.append('c1', { type: 'claimed', agent: JANE });
    });
    expect(document.title).toBe('Parley console');
    await h.step(() => h!.store.setHidden(true));
    await h.step(() => {
      h!.relay.visitorSays('c1', 'hello?');
      h!.relay.request('c2', { email: 'bea@example.com' });
      h!.relay.visitorSays('c1', 'still there?');
    });
    // Two unread messages in Jane's chat, one chat waiting.
    expect(document.title).toBe('(3) Parley console');
    await h.step(() => h!.store.setHidden(false));
    expect(document.title).toBe('(3) Parley console');
    await h.step(() => h!.root.querySelector<HTMLElement>('.tile')!.click());
    expect(document.title).toBe('(1) Parley console');
    await h.step(() => h!.relay.append('c2', { type: 'claimed', agent: BOB }));
    expect(document.title).toBe('Parley console');
  });

  it('counts a waiting chat whether or not the tab is in view, but not messages in the chat being read', async () => {
    h = await mountConsole();
    await h.step(() => h!.relay.request('c1', { email: 'ann@example.com' }));
    expect(document.title).toBe('(1) Parley console');
    await h.step(() => h!.relay.visitorSays('c1', 'hi'));
    // A queued chat counts once, however much its customer writes.
    expect(document.title).toBe('(1) Parley console');
    await h.step(() => h!.root.querySelector<HTMLElement>('.tile')!.click());
    await h.step(() => button(h!.root, 'Claim chat').click());
    await h.step(() => h!.relay.visitorSays('c1', 'thanks'));
    expect(document.title).toBe('Parley console');
  });

  it('counts a transfer request or an invitation waiting for this agent', async () => {
    h = await mountConsole();
    await h.step(() => {
      h!.relay.request('c1', { email: 'ann@example.com' });
      h!.relay.append('c1', { type: 'claimed', agent: BOB });
    });
    expect(document.title).toBe('Parley console');
    await h.step(() => h!.relay.append('c1', { type: 'invited', from: BOB, to: JANE, until: h!.relay.tick() }));
    expect(document.title).toBe('(1) Parley console');
  });
});

describe('Top bar', () => {
  it("shows the agent's name and sets their status", async () => {
    h = await mountConsole();
    expect(h.root.querySelector('.agent-name')?.textContent).toBe('Jane Doe');
    const select = h.root.querySelector<HTMLSelectElement>('.top-bar select')!;
    expect(select.value).toBe('online');
    await h.step(() => {
      select.value = 'away';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(h.relay.socket.frames('status')).toEqual([expect.objectContaining({ value: 'away' })]);
    expect(h.store.state.status).toBe('away');
    expect(h.root.querySelector('.connection')?.textContent).toBe('Connected');
  });

  it('returns to the sign-in form with a message when the token is refused', async () => {
    h = await mountConsole({ signIn: false });
    expect(h.root.querySelector('.sign-in')).not.toBeNull();
    const input = h.root.querySelector<HTMLInputElement>('.sign-in input')!;
    await h.step(() => {
      input.value = 'wrong-token-0123456789';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await h.step(() => h!.root.querySelector<HTMLButtonElement>('.sign-in button')!.click());
    expect(h.relay.socket.frames('hello')[0]?.token).toBe('wrong-token-0123456789');
    expect(h.root.querySelector('.sign-in [role="alert"]')?.textContent).toBe(
      'That agent token was not accepted. Check it and sign in again.',
    );
    expect(h.connection.state).toBe('closed');
  });
});
