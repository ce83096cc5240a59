// @vitest-environment happy-dom
/**
 * Messages a customer left while nobody was online (`requested.offline`): they are
 * listed in Messages, oldest first, apart from the live queue's tiles, and count in
 * neither the tab title nor the alerts; opened, one shows the customer's message under
 * a "Left a message while you were away" marker with Answer, which claims it into the
 * agent's chats (the caret in the reply). Sent back to the queue, it is in Messages again.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newsBetween } from '../../src/console/alert-news.js';
import { ConsoleAlerts } from '../../src/console/alerts.js';
import { attentionCount } from '../../src/console/routing-selectors.js';
import { leftMessagesOf, tilesOf } from '../../src/console/selectors.js';
import { BOB, JANE } from '../fake-relay/model.js';
import { button, mountConsole, tileTexts, type DomHarness } from './harness.js';

let h: DomHarness | undefined;
afterEach(() => {
  h?.destroy();
  h = undefined;
});

const messages = () => h!.root.querySelector<HTMLElement>('nav.left-messages')!;
const entries = () => [...messages().querySelectorAll<HTMLButtonElement>('button.left-message')];
const entry = (id: string) => entries().find((b) => b.dataset['id'] === id)!;
const countBadge = () => messages().querySelector('.count')?.textContent ?? null;

/** A console with two left messages (Ann's first) and one live chat waiting. */
async function withMessages(): Promise<DomHarness> {
  const harness = await mountConsole();
  h = harness;
  await harness.step(() => {
    harness.relay.leaveMessage('m-ann', { email: 'ann@example.com', name: 'Ann Lee', verified: true }, 'My parcel never came.\nOrder 4471, sent last week.');
    harness.relay.request('c-live', { email: 'carl@example.com' });
    harness.relay.leaveMessage('m-bea', { email: 'bea@example.com' }, 'Do you ship to Norway?');
  });
  return harness;
}

describe('Left messages', () => {
  it('lists an offline summary in Messages, oldest first, with its count, and not among the live tiles or in the title count', async () => {
    await withMessages();
    expect(entries().map((b) => b.querySelector('.left-message-name')?.textContent)).toEqual(['Ann Lee', 'bea@example.com']);
    expect(countBadge()).toBe('2');
    expect(messages().querySelector('h2')?.textContent).toContain('2 messages waiting');
    // The customer as the queue shows them: name, email, the verified mark.
    expect(entry('m-ann').querySelector('.left-message-email')?.textContent).toContain('ann@example.com');
    expect(entry('m-ann').querySelector('.verified')).not.toBeNull();
    expect(entry('m-bea').querySelector('.unverified')).not.toBeNull();
    expect(entry('m-ann').querySelector('time')?.getAttribute('datetime')).toBe(h!.relay.summary('m-ann').requestedAt);
    // The live queue holds only the live chat, and only it counts in the title.
    expect(tileTexts(h!.root)).toHaveLength(1);
    expect(tileTexts(h!.root)[0]).toContain('carl@example.com');
    expect(document.title).toBe('(1) Parley console');
    const s = h!.store.state;
    expect(leftMessagesOf(s).map((t) => [t.chat.id, t.kind])).toEqual([['m-ann', 'message'], ['m-bea', 'message']]);
    expect(tilesOf(s).map((t) => t.chat.id)).toEqual(['c-live']);
    expect(attentionCount(s)).toBe(1);
  });

  it('says when no message waits', async () => {
    h = await mountConsole();
    expect(entries()).toEqual([]);
    expect(countBadge()).toBeNull();
    expect(messages().textContent).toContain('No messages waiting.');
  });

  it('is no news for the alerts (no sound, no notification) where a new live chat is; only the count grows', async () => {
    h = await mountConsole();
    const chime = { play: vi.fn() };
    let now = 1_000_000;
    const alerts = new ConsoleAlerts({ store: h.store, chime, clock: () => now });
    try {
      await h.step(() => h!.store.setHidden(true));
      const before = h.store.state;
      await h.step(() => h!.relay.leaveMessage('m1', { email: 'ann@example.com' }, 'Call me back?'));
      expect(newsBetween(before, h.store.state)).toEqual([]);
      expect(chime.play).not.toHaveBeenCalled();
      expect(countBadge()).toBe('1');
      now += 60_000;
      await h.step(() => h!.relay.request('c1', { email: 'bea@example.com' }));
      expect(chime.play).toHaveBeenCalledTimes(1);
    } finally {
      alerts.destroy();
    }
  });

  it('opens with the customer\'s message under the marker and Answer, and keeps its first line in the list after', async () => {
    await withMessages();
    // Before it is opened the console has not read the message: no line to show.
    expect(entry('m-ann').querySelector('.left-message-text')).toBeNull();
    await h!.step(() => entry('m-ann').click());
    expect(entry('m-ann').getAttribute('aria-current')).toBe('true');
    const chat = h!.root.querySelector<HTMLElement>('section.chat')!;
    expect(chat.querySelector('.left-message-marker')?.textContent).toContain('Left a message while you were away');
    expect(chat.querySelector('.standing')?.textContent).toBe('Waiting for an agent to answer');
    const transcript = chat.querySelector('.transcript')!.textContent;
    expect(transcript).toContain('Ann Lee left a message while nobody was online');
    expect(transcript).toContain('My parcel never came.\nOrder 4471, sent last week.');
    expect(button(chat, 'Answer').classList.contains('primary')).toBe(true);
    expect([...chat.querySelectorAll('button')].some((b) => b.textContent === 'Claim chat')).toBe(false);
    // Another chat opened: the first line stays in the list.
    await h!.step(() => h!.root.querySelector<HTMLElement>('.tiles .tile')!.click());
    expect(h!.store.state.chats['m-ann']!.loaded).toBe(false);
    expect(entry('m-ann').querySelector('.left-message-text')?.textContent).toBe('My parcel never came.');
  });

  it('answering claims it: it leaves Messages for the agent\'s chats, and the caret goes to the reply', async () => {
    await withMessages();
    await h!.step(() => entry('m-ann').click());
    await h!.step(() => button(h!.root, 'Answer').click());
    await vi.waitFor(() => expect(h!.root.querySelector('.tiles .tile--own')).not.toBeNull());
    expect(h!.relay.socket.frames('claim').map((f) => f.conversationId)).toEqual(['m-ann']);
    expect(entries().map((b) => b.dataset['id'])).toEqual(['m-bea']);
    expect(countBadge()).toBe('1');
    expect(tilesOf(h!.store.state).map((t) => [t.chat.id, t.kind])).toEqual([['m-ann', 'own'], ['c-live', 'unassigned']]);
    const chat = h!.root.querySelector<HTMLElement>('section.chat')!;
    expect(chat.querySelector('.left-message-marker')).toBeNull();
    expect(chat.querySelector('.standing')?.textContent).toBe('You are chatting with this customer');
    expect(document.activeElement).toBe(chat.querySelector('.composer textarea'));
    // From here it is an ordinary chat: the reply goes to the customer.
    expect(h!.store.send('m-ann', 'Sorry about that, Ann: a new one is on its way.')).toBe(true);
    await vi.waitFor(() => expect(h!.relay.socket.frames('send')).toHaveLength(1));
  });

  it('leaves Messages when another agent answers it first', async () => {
    await withMessages();
    await h!.step(() => h!.relay.append('m-bea', { type: 'claimed', agent: BOB }));
    expect(entries().map((b) => b.dataset['id'])).toEqual(['m-ann']);
    expect(tileTexts(h!.root)).toHaveLength(1);
  });

  it('says in a past chat, in History, that it began as a left message', async () => {
    h = await mountConsole();
    h.transcripts.add({ id: 'p1', email: 'ann@example.com', name: 'Ann Lee', endedAt: '2026-01-04T10:00:00.000Z', offline: true, messages: [['visitor', 'Call me back?']] });
    await h.step(() => button(h!.root, 'History').click());
    await vi.waitFor(() => expect(h!.root.querySelector('.history-results button[data-id="p1"]')).not.toBeNull());
    await h.step(() => h!.root.querySelector<HTMLButtonElement>('.history-results button[data-id="p1"]')!.click());
    await vi.waitFor(() => expect(h!.root.querySelector('.past-chat .transcript')?.textContent).toContain('Ann Lee left a message while nobody was online'));
  });

  it('is in Messages again after a transfer back to the queue, as it is still a left message', async () => {
    await withMessages();
    await h!.step(() => h!.relay.append('m-bea', { type: 'claimed', agent: JANE }));
    expect(entries().map((b) => b.dataset['id'])).toEqual(['m-ann']);
    await h!.step(() => h!.relay.append('m-bea', { type: 'transferred', from: JANE, to: { queue: true } }));
    expect(entries().map((b) => b.dataset['id'])).toEqual(['m-ann', 'm-bea']);
    expect(tilesOf(h!.store.state).map((t) => t.chat.id)).toEqual(['c-live']);
    expect(document.title).toBe('(1) Parley console');
  });
});
