// @vitest-environment happy-dom
/**
 * The customer's rating (`rated`, once, after `ended`): the open chat shows it as it
 * arrives ("Rated 👍 ‘Quick and kind’", from the agents' fold), History's list has it
 * in its own column (a long comment cut short, whole on hover), and a past chat shows
 * it whole. A record without a readable rating shows none.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TranscriptRecord } from '../../src/protocol/index.js';
import { button, mountConsole, openOwnChat, type DomHarness } from './harness.js';

let h: DomHarness | undefined;
afterEach(() => {
  h?.destroy();
  h = undefined;
});

const chatRating = () => h!.root.querySelector<HTMLElement>('section.chat .chat-rating');
const rows = () => [...h!.root.querySelectorAll<HTMLTableRowElement>('.history-results tbody tr')];
const ratingCell = (name: string) => {
  const row = rows().find((r) => r.cells[0]!.textContent?.includes(name))!;
  return row.cells[row.cells.length - 1]!;
};

const LONG = 'The agent found my order in a minute and sent the label at once, which I did not expect on a Sunday.';

describe('Ratings', () => {
  it('shows the rating that comes after the end on the open chat, thumb named and comment quoted', async () => {
    h = await openOwnChat();
    await h.step(() => h!.relay.append('c1', { type: 'ended', by: 'visitor' }));
    expect(chatRating()).toBeNull();
    await h.step(() => h!.relay.append('c1', { type: 'rated', value: 'up', comment: 'Quick and kind' }));
    await vi.waitFor(() => expect(chatRating()?.textContent).toBe('Rated 👍 ‘Quick and kind’'));
    expect(chatRating()!.querySelector('.rating--up [role="img"]')?.getAttribute('aria-label')).toBe('thumbs up');
    expect(chatRating()!.querySelector('bdi')?.textContent).toBe('Quick and kind');
    expect(h.root.querySelector('.transcript')?.textContent).toContain('The customer rated the chat good (thumbs up): Quick and kind');
  });

  it('shows a thumbs down without a comment', async () => {
    h = await openOwnChat();
    await h.step(() => {
      h!.relay.append('c1', { type: 'ended', by: 'visitor' });
      h!.relay.append('c1', { type: 'rated', value: 'down' });
    });
    await vi.waitFor(() => expect(chatRating()?.textContent).toBe('Rated 👎'));
    expect(chatRating()!.querySelector('[role="img"]')?.getAttribute('aria-label')).toBe('thumbs down');
  });

  it('lists ratings in History, a long comment cut with the whole on hover, and shows it whole in the past chat', async () => {
    h = await mountConsole();
    h.transcripts.add({ id: 'p1', email: 'ann@example.com', name: 'Ann Lee', endedAt: '2026-01-04T10:00:00.000Z', rating: { value: 'up', comment: 'Quick and kind' } });
    h.transcripts.add({ id: 'p2', email: 'bea@example.com', endedAt: '2026-01-04T09:00:00.000Z', rating: { value: 'down', comment: LONG } });
    h.transcripts.add({ id: 'p3', email: 'cy@example.com', endedAt: '2026-01-04T08:00:00.000Z' });
    await h.step(() => button(h!.root, 'History').click());
    await vi.waitFor(() => expect(rows()).toHaveLength(3));
    expect([...h.root.querySelectorAll('.history-results thead th')].at(-1)?.textContent).toBe('Rating');
    expect(ratingCell('Ann Lee').textContent).toBe('👍 ‘Quick and kind’');
    const cut = ratingCell('bea@example.com');
    expect(cut.textContent).toMatch(/^👎 ‘The agent found my order in a minute.*…’$/);
    expect(cut.querySelector('.rating')?.getAttribute('title')).toBe(LONG);
    expect(ratingCell('cy@example.com').textContent).toBe('');

    await h.step(() => h!.root.querySelector<HTMLButtonElement>('.history-results button[data-id="p2"]')!.click());
    await vi.waitFor(() => expect(h!.root.querySelector('.past-chat .chat-rating')).not.toBeNull());
    const past = h.root.querySelector<HTMLElement>('.past-chat')!;
    expect(past.querySelector('.chat-rating')?.textContent).toBe(`Rated 👎 ‘${LONG}’`);
    expect(past.querySelector('.chat-rating')?.previousElementSibling?.textContent).toBe('Rating');
  });

  it('shows no rating for a record without a readable one (an older relay, or a value it does not know)', async () => {
    h = await mountConsole();
    const older = h.transcripts.add({ id: 'p1', email: 'ann@example.com', endedAt: '2026-01-04T10:00:00.000Z' });
    delete (older as Partial<TranscriptRecord>).rating;
    const odd = h.transcripts.add({ id: 'p2', email: 'bea@example.com', endedAt: '2026-01-04T09:00:00.000Z' });
    (odd as unknown as { rating: unknown }).rating = { value: 'sideways', comment: 'hmm', at: odd.endedAt };
    await h.step(() => button(h!.root, 'History').click());
    await vi.waitFor(() => expect(rows()).toHaveLength(2));
    expect(rows().map((r) => r.cells[r.cells.length - 1]!.textContent)).toEqual(['', '']);
    await h.step(() => h!.root.querySelector<HTMLButtonElement>('.history-results button[data-id="p2"]')!.click());
    await vi.waitFor(() => expect(h!.root.querySelector('.past-chat .transcript')).not.toBeNull());
    expect(h.root.querySelector('.past-chat .chat-rating')).toBeNull();
  });
});
