// @vitest-environment happy-dom
/**
 * "Earlier chats" in the open chat: read when a chat opens, by the customer's email
 * (the relay matches it ignoring case), once per email; newest first with when each
 * ended and how it went, without the open chat itself, at most five; each opens in
 * History, read-only. A failed reading says so and can be tried again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { JANE } from '../fake-relay/model.js';
import { button, mountConsole, waitFor, type DomHarness } from './harness.js';

let h: DomHarness | undefined;
afterEach(() => {
  h?.destroy();
  h = undefined;
});

const earlier = () => h!.root.querySelector<HTMLElement>('section.earlier');
const earlierItems = () => [...(earlier()?.querySelectorAll('li') ?? [])].map((li) => li.textContent);

async function openTile(text: string): Promise<void> {
  await h!.step(() => [...h!.root.querySelectorAll<HTMLElement>('.tile')].find((t) => t.textContent?.includes(text))!.click());
}

describe('Earlier chats', () => {
  it("lists the customer's ended chats by email, ignoring case, with when and how each ended, without this chat", async () => {
    h = await mountConsole();
    h.transcripts.add({ id: 'old1', email: 'ANN@example.com', endedAt: '2026-01-02T10:00:00.000Z' });
    h.transcripts.add({ id: 'old2', email: 'ann@example.com', endedAt: '2026-01-03T10:00:00.000Z', answered: false });
    h.transcripts.add({ id: 'other', email: 'bob@example.com', endedAt: '2026-01-03T11:00:00.000Z' });
    await h.step(() => h!.relay.request('c1', { email: 'Ann@Example.com', name: 'Ann' }));
    // Nothing is read until a chat is opened.
    expect(h.transcripts.transcriptRequests).toEqual([]);
    await openTile('Ann');
    await waitFor(h, () => earlierItems().length === 2, 'the earlier chats');
    expect(h.transcripts.transcriptRequests).toEqual(['/v1/transcripts?email=Ann%40Example.com&limit=6']);
    expect(earlier()?.querySelector('h3')?.textContent).toBe('Earlier chats');
    expect(earlierItems()).toEqual([expect.stringMatching(/ · Missed$/), expect.stringMatching(/ · Completed$/)]);
    expect(earlier()?.querySelector('time')?.getAttribute('datetime')).toBe('2026-01-03T10:00:00.000Z');

    // This chat, once ended and read again, is not among its own earlier chats.
    h.transcripts.add({ id: 'c1', email: 'ann@example.com', endedAt: '2026-01-05T12:00:00.000Z' });
    h.store.history.clear();
    await h.step(() => h!.store.history.loadEarlier('ann@example.com'));
    await waitFor(h, () => earlierItems().length === 2, 'the earlier chats again');
    expect(earlierItems()).toHaveLength(2);
  });

  it('reads them once per email, whatever its case, and again for another email', async () => {
    h = await mountConsole();
    h.transcripts.add({ id: 'old1', email: 'ann@example.com', endedAt: '2026-01-02T10:00:00.000Z' });
    await h.step(() => {
      h!.relay.request('c1', { email: 'ann@example.com', name: 'Ann' });
      h!.relay.request('c2', { email: 'ANN@example.com', name: 'Ann again' });
      h!.relay.request('c3', { email: 'bob@example.com', name: 'Bob' });
    });
    await openTile('Ann again');
    await waitFor(h, () => earlierItems().length === 1, 'the first reading');
    await openTile('Ann');
    expect(earlierItems()).toHaveLength(1);
    await openTile('Bob');
    await waitFor(h, () => earlier()?.textContent?.includes('No earlier chats with this email.'), "Bob's reading");
    expect(h.transcripts.transcriptRequests).toEqual(['/v1/transcripts?email=ANN%40example.com&limit=6', '/v1/transcripts?email=bob%40example.com&limit=6']);
  });

  it('shows five at most and offers every chat with the email in History', async () => {
    h = await mountConsole();
    for (let i = 1; i <= 7; i++) h.transcripts.add({ id: `old${i}`, email: 'ann@example.com', endedAt: `2026-01-0${i}T10:00:00.000Z`, messages: [['visitor', `visit ${i}`]] });
    h.transcripts.add({ id: 'other', email: 'bob@example.com', endedAt: '2026-01-03T11:00:00.000Z', messages: [['visitor', 'hi']] });
    await h.step(() => h!.relay.request('c1', { email: 'ann@example.com', name: 'Ann' }));
    await openTile('Ann');
    await waitFor(h, () => earlierItems().length === 5, 'five earlier chats');
    await h.step(() => button(earlier()!, 'All chats with this email').click());
    await waitFor(h, () => h!.root.querySelectorAll('.history-results tbody tr').length === 7, 'the search in History');
    expect(h.transcripts.transcriptRequests.at(-1)).toBe('/v1/transcripts?q=ann%40example.com&limit=25');
    expect((h.root.querySelector('.history-search input[type="search"]') as HTMLInputElement).value).toBe('ann@example.com');
  });

  it('opens one in History, read-only, and the chat comes back from its tile', async () => {
    h = await mountConsole();
    h.transcripts.add({ id: 'old1', email: 'ann@example.com', endedAt: '2026-01-02T10:00:00.000Z', messages: [['visitor', 'The lid is cracked']] });
    await h.step(() => {
      h!.relay.request('c1', { email: 'ann@example.com', name: 'Ann' });
      h!.relay.append('c1', { type: 'claimed', agent: JANE });
    });
    await openTile('Ann');
    await waitFor(h, () => earlierItems().length === 1, 'the earlier chat');
    await h.step(() => earlier()!.querySelector('button')!.click());
    await waitFor(h, () => h!.root.querySelector('.past-chat [role="log"]'), 'the past chat');
    expect(h.root.querySelector('.past-chat .msg .text')?.textContent).toBe('The lid is cracked');
    expect(button(h.root, 'History').getAttribute('aria-pressed')).toBe('true');
    expect(h.root.querySelector('.composer')).toBeNull();
    await openTile('Ann');
    expect(h.root.querySelector('.past-chat')).toBeNull();
    expect(h.root.querySelector('.composer')).not.toBeNull();
  });

  it('says when they could not be read, and reads them again on request', async () => {
    h = await mountConsole();
    h.transcripts.add({ id: 'old1', email: 'ann@example.com', endedAt: '2026-01-02T10:00:00.000Z' });
    h.transcripts.failWith = 500;
    await h.step(() => h!.relay.request('c1', { email: 'ann@example.com', name: 'Ann' }));
    await openTile('Ann');
    await waitFor(h, () => earlier()?.textContent?.includes('Earlier chats could not be loaded.'), 'the failure');
    h.transcripts.failWith = null;
    await h.step(() => button(earlier()!, 'Try again').click());
    await waitFor(h, () => earlierItems().length === 1, 'the second reading');
    expect(h.transcripts.transcriptRequests).toHaveLength(2);
  });
});
