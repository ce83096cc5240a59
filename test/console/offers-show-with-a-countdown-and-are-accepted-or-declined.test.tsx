// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { BOB, JANE } from '../fake-relay/model.js';
import { button, mountConsole, type DomHarness } from './harness.js';

let h: DomHarness | undefined;
afterEach(() => {
  h?.destroy();
  h = undefined;
});

const cards = (root: HTMLElement) => [...root.querySelectorAll<HTMLElement>('.incoming .asked')];

/** A console whose clock stands at the fake relay's, with a chat from Ann offered to Jane for 30 s. */
async function offered(): Promise<{ h: DomHarness; setNow: (msAfterOffer: number) => void }> {
  let now = 0;
  const harness = await mountConsole({ app: { clock: () => now, tickMs: 10 } });
  await harness.step(() => {
    harness.relay.request('c1', { email: 'ann@example.com', name: 'Ann Lee' }, { url: 'https://shop.example/cart', title: 'Cart' });
    now = harness.relay.now;
    harness.relay.offer('c1', JANE, 30_000);
  });
  await harness.step(() => new Promise((r) => setTimeout(r, 30)));
  const offeredAt = now;
  return { h: harness, setNow: (ms) => (now = offeredAt + ms) };
}

describe('Offers (--routing auto)', () => {
  it('shows a chat offered to this agent with the customer, their page and a countdown that ticks', async () => {
    const o = await offered();
    h = o.h;
    const [card] = cards(h.root);
    expect(card!.querySelector('h3')?.textContent).toBe('New chat for you with Ann Lee');
    expect(card!.textContent).toContain('ann@example.com');
    expect(card!.textContent).toContain('Cart');
    expect(card!.querySelector('.countdown')?.textContent).toBe('0:30 left');
    o.setNow(5_000);
    await h.step(() => new Promise((r) => setTimeout(r, 30)));
    expect(cards(h.root)[0]!.querySelector('.countdown')?.textContent).toBe('0:25 left');
    expect(h.root.querySelector('.incoming')?.previousElementSibling?.textContent).toBe('One chat waits for your answer');
  });

  it('accepts with Accept: the chat becomes this agent\'s, opens, and the card goes', async () => {
    const o = await offered();
    h = o.h;
    await h.step(() => button(cards(h!.root)[0]!, 'Accept').click());
    expect(h.relay.socket.frames('accept')).toEqual([expect.objectContaining({ conversationId: 'c1' })]);
    expect(cards(h.root)).toHaveLength(0);
    expect(h.root.querySelector('.tile')!.classList.contains('tile--own')).toBe(true);
    expect(h.store.state.selectedId).toBe('c1');
    expect(h.root.querySelector('.standing')?.textContent).toBe('You are chatting with this customer');
  });

  it('declines with Decline: the card goes and the chat stays in the queue', async () => {
    const o = await offered();
    h = o.h;
    await h.step(() => button(cards(h!.root)[0]!, 'Decline').click());
    expect(h.relay.socket.frames('decline')).toEqual([expect.objectContaining({ conversationId: 'c1' })]);
    expect(cards(h.root)).toHaveLength(0);
    expect(h.root.querySelector('.tile')!.classList.contains('tile--unassigned')).toBe(true);
  });

  it('drops the card when the offer runs out or goes to someone else, and shows none for another agent\'s offer', async () => {
    const o = await offered();
    h = o.h;
    await h.step(() => h!.relay.append('c1', { type: 'offer_declined', agent: JANE, reason: 'timeout' }));
    expect(cards(h.root)).toHaveLength(0);
    await h.step(() => h!.relay.offer('c1', BOB));
    expect(cards(h.root)).toHaveLength(0);
    expect(h.root.querySelectorAll('.tile')).toHaveLength(1);
  });

  it('says in words why an accept was refused', async () => {
    const o = await offered();
    h = o.h;
    h.relay.refuseNext('accept', 'at_capacity');
    await h.step(() => button(cards(h!.root)[0]!, 'Accept').click());
    expect(cards(h.root)[0]!.querySelector('[role="alert"]')?.textContent).toBe(
      'You already have as many chats as you can take: end or transfer one first.',
    );
    h.relay.refuseNext('accept', 'not_found');
    await h.step(() => button(cards(h!.root)[0]!, 'Accept').click());
    expect(cards(h.root)[0]!.querySelector('[role="alert"]')?.textContent).toBe(
      'This is no longer waiting for you: it was withdrawn, ran out or went to someone else.',
    );
  });
});
