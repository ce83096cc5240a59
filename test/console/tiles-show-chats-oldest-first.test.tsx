// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { BOB, JANE } from '../fake-relay/model.js';
import { button, mountConsole, tileTexts, type DomHarness } from './harness.js';

let h: DomHarness | undefined;
afterEach(() => {
  h?.destroy();
  h = undefined;
});

describe('Tiles', () => {
  it('lists unassigned chats oldest first, in their own colour, with waiting time counting up', async () => {
    let now = 0;
    h = await mountConsole({ app: { clock: () => now, tickMs: 10 } });
    await h.step(() => {
      h!.relay.request('c-old', { email: 'ann@example.com', name: 'Ann Lee' });
      h!.relay.request('c-new', { email: 'carl@example.com' });
    });
    const requestedAt = Date.parse(h.relay.summary('c-old').requestedAt);
    now = requestedAt + 125_000;
    await h.step(() => new Promise((r) => setTimeout(r, 30)));
    const tiles = [...h.root.querySelectorAll('.tiles .tile')];
    expect(tiles.map((t) => t.querySelector('.tile-name')?.textContent)).toEqual(['Ann Lee', 'carl@example.com']);
    expect(tiles.every((t) => t.classList.contains('tile--unassigned'))).toBe(true);
    expect(tiles[0]!.querySelector('.tile-status')?.textContent).toBe('Waiting 2:05');
    now += 60_000;
    await h.step(() => new Promise((r) => setTimeout(r, 30)));
    expect(h.root.querySelector('.tile .tile-status')?.textContent).toBe('Waiting 3:05');
  });

  it('shows own chats in another colour after a claim', async () => {
    h = await mountConsole();
    await h.step(() => h!.relay.request('c1', { email: 'ann@example.com' }));
    await h.step(() => (h!.root.querySelector('.tile') as HTMLElement).click());
    await h.step(() => button(h!.root, 'Claim chat').click());
    const tile = h.root.querySelector('.tile')!;
    expect(tile.classList.contains('tile--own')).toBe(true);
    expect(h.relay.socket.frames('claim')).toHaveLength(1);
    expect(h.root.querySelector('.transcript')?.textContent).toContain('You joined the chat');
  });

  it('removes a chat claimed by another agent from the tiles', async () => {
    h = await mountConsole();
    await h.step(() => {
      h!.relay.request('c1', { email: 'ann@example.com' });
      h!.relay.request('c2', { email: 'bea@example.com' });
    });
    expect(tileTexts(h.root)).toHaveLength(2);
    await h.step(() => h!.relay.append('c1', { type: 'claimed', agent: BOB }));
    expect(tileTexts(h.root)).toHaveLength(1);
    expect(tileTexts(h.root)[0]).toContain('bea@example.com');
  });

  it('says who took the chat when a claim loses the race', async () => {
    h = await mountConsole();
    await h.step(() => h!.relay.request('c1', { email: 'ann@example.com' }));
    await h.step(() => (h!.root.querySelector('.tile') as HTMLElement).click());
    // Bob's claim lands first; Jane's button still shows the queued chat.
    h.relay.intercept = () => true;
    await h.step(() => button(h!.root, 'Claim chat').click());
    const claim = h.relay.socket.frames('claim')[0]!;
    await h.step(() => {
      h!.relay.append('c1', { type: 'claimed', agent: BOB });
      h!.relay.socket.push({ t: 'error', id: claim.id, code: 'conflict', message: 'already claimed' });
    });
    expect(h.root.querySelector('.standing')?.textContent).toBe('Bob Stone took this chat');
    expect(h.root.querySelector('.tiles .tile')).toBeNull();
    expect(h.root.querySelector('.composer textarea')?.getAttribute('placeholder')).toMatch(/Internal note/);
  });

  it('badges unread customer messages on tiles not in view', async () => {
    h = await mountConsole();
    await h.step(() => {
      h!.relay.request('c1', { email: 'ann@example.com' });
      h!.relay.request('c2', { email: 'bea@example.com' });
    });
    await h.step(() => (h!.root.querySelectorAll('.tile')[0] as HTMLElement).click());
    await h.step(() => {
      h!.relay.visitorSays('c1', 'hello?');
      h!.relay.visitorSays('c2', 'anyone there?');
      h!.relay.visitorSays('c2', 'please');
    });
    const [inView, other] = [...h.root.querySelectorAll('.tile')];
    expect(inView!.querySelector('.badge')).toBeNull();
    expect(other!.querySelector('.badge')?.textContent).toBe('2 unread messages');
    await h.step(() => (other as HTMLElement).click());
    expect(h.root.querySelectorAll('.tile')[1]!.querySelector('.badge')).toBeNull();
    expect(JANE.id).toBe(h.store.state.agent?.id);
  });

  it("shows each customer's initials, from first and last name or else the email's first letter", async () => {
    h = await mountConsole();
    await h.step(() => {
      h!.relay.request('c1', { email: 'ann@example.com', name: 'Ann Maria Lee' });
      h!.relay.request('c2', { email: 'carl@example.com' });
    });
    const avatars = [...h.root.querySelectorAll('.tile .avatar')];
    expect(avatars.map((a) => a.textContent)).toEqual(['AL', 'C']);
    // Decoration: the name beside it is what the tile is called.
    expect(avatars.every((a) => a.getAttribute('aria-hidden') === 'true')).toBe(true);
  });

  it('shows at most 7 tiles, oldest first, and the rest behind "More (n)"', async () => {
    h = await mountConsole();
    await h.step(() => {
      for (let i = 1; i <= 9; i++) h!.relay.request(`c${i}`, { email: `c${i}@example.com` });
    });
    const names = () => [...h!.root.querySelectorAll('.tile .tile-name')].map((n) => n.textContent);
    expect(names()).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'].map((c) => `${c}@example.com`));
    const more = button(h.root, 'More (2)');
    expect(more.getAttribute('aria-expanded')).toBe('false');
    await h.step(() => more.click());
    expect(names()).toHaveLength(9);
    expect(button(h.root, 'Fewer').getAttribute('aria-expanded')).toBe('true');
    await h.step(() => button(h!.root, 'Fewer').click());
    expect(names()).toHaveLength(7);
    // Claimed by someone else: a hidden one moves up, and "More" counts one less.
    await h.step(() => h!.relay.append('c1', { type: 'claimed', agent: BOB }));
    expect(names()[6]).toBe('c8@example.com');
    expect(button(h.root, 'More (1)')).toBeTruthy();
  });

  it("marks the open tile (drawn in solid colour) and shows the waiting time on the agent's own tiles too", async () => {
    let now = 0;
    h = await mountConsole({ app: { clock: () => now, tickMs: 10 } });
    await h.step(() => {
      h!.relay.request('c1', { email: 'ann@example.com' });
      h!.relay.append('c1', { type: 'claimed', agent: JANE });
      h!.relay.request('c2', { email: 'bea@example.com' });
    });
    now = Date.parse(h.relay.summary('c1').requestedAt) + 65_000;
    await h.step(() => new Promise((r) => setTimeout(r, 30)));
    await h.step(() => (h!.root.querySelector('.tile') as HTMLElement).click());
    const [own, waiting] = [...h.root.querySelectorAll('.tile')];
    expect(own!.getAttribute('aria-current')).toBe('true');
    expect(waiting!.getAttribute('aria-current')).toBeNull();
    expect(own!.querySelector('.tile-status')?.textContent).toBe('Your chat · 1:05');
  });
});
