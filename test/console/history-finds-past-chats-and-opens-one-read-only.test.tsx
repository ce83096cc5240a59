// @vitest-environment happy-dom
/**
 * The History view: reached from the top bar, it lists ended chats newest first,
 * searches them by email, name or words and by the agent's days, reads more pages, and
 * opens one read-only (its log in the live chats' transcript, notes as notes, files to
 * download, no composer and no actions). Refusals are said; a tile brings the chats
 * back; a sign-out forgets what History read.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { JANE_TOKEN } from '../fake-relay/agent-endpoint.js';
import { JANE } from '../fake-relay/model.js';
import { button, mountConsole, typeInto, waitFor, type DomHarness } from './harness.js';

let h: DomHarness | undefined;
afterEach(() => {
  h?.destroy();
  h = undefined;
});

const history = () => h!.root.querySelector<HTMLElement>('section.history')!;
const rows = () => [...h!.root.querySelectorAll<HTMLTableRowElement>('.history-results tbody tr')];
const rowTexts = () => rows().map((r) => [...r.cells].map((c) => c.textContent?.trim()));
const resultButton = (text: string) => [...h!.root.querySelectorAll<HTMLButtonElement>('.history-results button[data-id]')].find((b) => b.textContent?.includes(text))!;
const field = (label: string) => {
  const l = [...h!.root.querySelectorAll('label')].find((x) => x.textContent === label)!;
  return document.getElementById(l.htmlFor) as HTMLInputElement;
};

/** A console with three ended chats, showing History. */
async function historyOpen(store: NonNullable<Parameters<typeof mountConsole>[0]>['store'] = {}): Promise<DomHarness> {
  const harness = await mountConsole({ store });
  h = harness;
  harness.transcripts.add({ id: 'p1', email: 'ann@example.com', name: 'Ann Lee', endedAt: '2026-01-03T10:00:00.000Z', messages: [['visitor', 'My mug arrived chipped']] });
  harness.transcripts.add({ id: 'p2', email: 'bob@example.com', endedAt: '2026-01-04T09:00:00.000Z', answered: false });
  harness.transcripts.add({
    id: 'p3',
    email: 'cy@example.com',
    name: 'Cy Park',
    endedAt: '2026-01-04T16:00:00.000Z',
    messages: [
      ['visitor', 'Where is order 4471?'],
      ['agent', 'It ships today.'],
    ],
    notes: ['Second time this week'],
    files: [{ id: 'f-receipt', name: 'receipt.pdf', bytes: new Uint8Array([1, 2, 3]) }],
  });
  await harness.step(() => button(harness.root, 'History').click());
  await waitFor(harness, () => rows().length === 3, 'the newest ended chats');
  return harness;
}

describe('History', () => {
  it('opens from the top bar, pressed, focused on the search box, with the newest ended chats first', async () => {
    await historyOpen();
    expect(button(h!.root, 'History').getAttribute('aria-pressed')).toBe('true');
    expect(history().querySelector('h2')?.textContent).toBe('History');
    expect(document.activeElement).toBe(field('Email, name or words'));
    expect(h!.transcripts.transcriptRequests).toEqual(['/v1/transcripts?limit=25']);
    const texts = rowTexts();
    expect(texts.map((r) => r[0])).toEqual(['Cy Park cy@example.com', 'bob@example.com', 'Ann Lee ann@example.com']);
    // Customer, ended, outcome, agents, wait, duration, rating (none given here).
    expect(texts[0]!.slice(2)).toEqual(['Completed', 'Jane Doe', '1:00', '5:00', '']);
    expect(texts[1]!.slice(2)).toEqual(['Missed', '', '–', '–', '']);
    expect(rows()[0]!.querySelector('time')?.getAttribute('datetime')).toBe('2026-01-04T16:00:00.000Z');
    expect(history().querySelector('[role="status"]')?.textContent).toBe('3 chats');
    expect(h!.root.querySelector('.chat')).toBeNull();
  });

  it('searches by words and by the days the chats ended on, in the agent\'s time zone', async () => {
    await historyOpen();
    await h!.step(() => typeInto(field('Email, name or words'), '  order 4471 '));
    await h!.step(() => button(history(), 'Search').click());
    await waitFor(h!, () => rows().length === 1, 'the search');
    expect(rowTexts()[0]![0]).toBe('Cy Park cy@example.com');
    expect(h!.transcripts.transcriptRequests.at(-1)).toBe('/v1/transcripts?q=order+4471&limit=25');

    await h!.step(() => typeInto(field('Email, name or words'), ''));
    await h!.step(() => typeInto(field('From'), '2026-01-03'));
    await h!.step(() => typeInto(field('To'), '2026-01-03'));
    await h!.step(() => button(history(), 'Search').click());
    await waitFor(h!, () => h!.transcripts.transcriptRequests.length === 3 && history().querySelector('[role="status"]')?.textContent !== 'Loading…', 'the days');
    const asked = new URL(`http://x${h!.transcripts.transcriptRequests.at(-1)}`).searchParams;
    // From midnight starting the first day to midnight after the last, where the agent is.
    expect(asked.get('since')).toBe(new Date(2026, 0, 3).toISOString());
    expect(asked.get('until')).toBe(new Date(2026, 0, 4).toISOString());
    expect(asked.has('q')).toBe(false);
  });

  it('reads more pages with the cursor and adds them to the list', async () => {
    h = await mountConsole();
    for (let i = 0; i < 30; i++) h.transcripts.add({ id: `p${String(i).padStart(2, '0')}`, email: `c${i}@example.com`, endedAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString() });
    await h.step(() => button(h!.root, 'History').click());
    await waitFor(h, () => rows().length === 25, 'the first page');
    expect(history().querySelector('[role="status"]')?.textContent).toBe('25 chats so far');
    await h.step(() => button(history(), 'More').click());
    await waitFor(h, () => rows().length === 30, 'the second page');
    expect(h.transcripts.transcriptRequests.at(-1)).toBe('/v1/transcripts?limit=25&cursor=25');
    expect(rowTexts()[29]![0]).toBe('c0@example.com');
    expect([...history().querySelectorAll('button')].some((b) => b.textContent === 'More')).toBe(false);
  });

  it('opens a past chat read-only: its log, notes as notes, files to download, no composer or actions; back returns focus', async () => {
    const created: Blob[] = [];
    await historyOpen({
      createObjectURL: (b: Blob) => {
        created.push(b);
        return `blob:test/${created.length}`;
      },
    });
    await h!.step(() => resultButton('Cy Park').click());
    await waitFor(h!, () => h!.root.querySelector('.past-chat [role="log"]'), 'the past chat');
    const past = h!.root.querySelector<HTMLElement>('.past-chat')!;
    expect(document.activeElement).toBe(past.querySelector('h2'));
    expect(past.querySelector('h2')?.textContent).toBe('Cy Park');
    expect(past.querySelector('.customer')?.textContent).toContain('cy@example.com');
    expect(past.querySelector('.customer')?.textContent).toContain('Completed. Ended by an agent');
    const log = past.querySelector('[role="log"]')!;
    expect([...log.querySelectorAll('.msg .text')].map((m) => m.textContent)).toEqual(['Where is order 4471?', 'It ships today.']);
    expect(log.querySelector('.note')?.textContent).toContain('Internal note · You');
    expect(log.querySelector('.note .text')?.textContent).toBe('Second time this week');
    expect(log.textContent).toContain('Cy Park asked for a chat');
    // Nothing to do in a past chat.
    expect(past.querySelector('textarea, .composer')).toBeNull();
    expect(h!.root.querySelector('[aria-label="Chat actions"]')).toBeNull();
    expect([...past.querySelectorAll('button')].map((b) => b.textContent)).toEqual(['Back to results', 'Download receipt.pdf']);

    await h!.step(() => button(past, 'Download receipt.pdf').click());
    await waitFor(h!, () => past.querySelector('.file a'), 'the download');
    const file = h!.transcripts.asked.at(-1)!;
    expect(file.pathname).toBe('/v1/files/f-receipt');
    expect(past.querySelector('.file a')?.getAttribute('href')).toBe('blob:test/1');
    expect([...new Uint8Array(await created[0]!.arrayBuffer())]).toEqual([1, 2, 3]);
    expect(created[0]!.type).toBe('application/octet-stream');

    await h!.step(() => button(past, 'Back to results').click());
    expect(h!.root.querySelector('.past-chat')).toBeNull();
    expect(rows()).toHaveLength(3);
    expect(document.activeElement).toBe(resultButton('Cy Park'));
  });

  it('says so when the relay refuses, and when the last day is before the first, without asking', async () => {
    await historyOpen();
    h!.transcripts.failWith = 500;
    await h!.step(() => button(history(), 'Search').click());
    await waitFor(h!, () => history().querySelector('[role="alert"]'), 'the refusal');
    expect(history().querySelector('[role="alert"]')?.textContent).toBe('could not read the transcripts');
    expect(rows()).toHaveLength(0);

    const asked = h!.transcripts.asked.length;
    await h!.step(() => typeInto(field('From'), '2026-01-04'));
    await h!.step(() => typeInto(field('To'), '2026-01-03'));
    await h!.step(() => button(history(), 'Search').click());
    const alert = history().querySelector('[role="alert"]')!;
    expect(alert.textContent).toBe('The last day is before the first day');
    expect(field('To').getAttribute('aria-describedby')).toBe(alert.id);
    expect(field('To').getAttribute('aria-invalid')).toBe('true');
    expect(h!.transcripts.asked.length).toBe(asked);
  });

  it('goes back to the chats from a tile or the pressed button, and forgets what it read at sign-out', async () => {
    await historyOpen();
    await h!.step(() => {
      h!.relay.request('c1', { email: 'dee@example.com' });
      h!.relay.append('c1', { type: 'claimed', agent: JANE });
    });
    await h!.step(() => h!.root.querySelector<HTMLElement>('.tile')!.click());
    expect(h!.root.querySelector('section.history')).toBeNull();
    expect(h!.root.querySelector('section.chat h2')?.textContent).toBe('dee@example.com');
    expect(button(h!.root, 'History').getAttribute('aria-pressed')).toBe('false');

    // History, and back by the same button: the chat that was open is open again.
    await h!.step(() => button(h!.root, 'History').click());
    expect(h!.store.state.selectedId).toBeNull();
    await h!.step(() => button(h!.root, 'History').click());
    expect(h!.store.state.selectedId).toBe('c1');

    expect(h!.store.history.state.search?.items).toHaveLength(3);
    await h!.step(() => button(h!.root, 'Sign out').click());
    expect(h!.store.history.state).toEqual({ search: null, open: null, earlier: {} });
    await h!.step(() => h!.store.signIn(JANE_TOKEN));
    expect(h!.root.querySelector('section.history')).toBeNull();
  });
});
