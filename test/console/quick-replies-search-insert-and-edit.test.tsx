// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QUICK_REPLIES_KEY, quickReplyTrigger, searchQuickReplies, loadQuickReplies, DEFAULT_QUICK_REPLIES } from '../../src/console/quick-replies.js';
import { button, openOwnChat, press, typeInto, type DomHarness } from './harness.js';

let h: DomHarness | undefined;
beforeEach(() => localStorage.clear());
afterEach(() => {
  h?.destroy();
  h = undefined;
});

const SAVED = [
  { id: 'r1', title: 'refund', text: 'Your refund is on its way.' },
  { id: 'r2', title: 'hours', text: 'We are open 9 to 5.' },
  { id: 'r3', title: 'thanks', text: 'Thanks for waiting, and sorry about the refund delay.' },
];

async function ownChat(): Promise<DomHarness> {
  localStorage.setItem(QUICK_REPLIES_KEY, JSON.stringify(SAVED));
  return openOwnChat();
}

describe('quick replies search', () => {
  it('finds the `;query` at the caret only at a word start', () => {
    expect(quickReplyTrigger(';ref', 4)).toEqual({ start: 0, query: 'ref' });
    expect(quickReplyTrigger('hi ;ho', 6)).toEqual({ start: 3, query: 'ho' });
    expect(quickReplyTrigger('a;b', 3)).toBeNull();
    expect(quickReplyTrigger(';a\nb', 4)).toBeNull();
  });

  it('matches title or text, titles first', () => {
    expect(searchQuickReplies(SAVED, 'refund').map((r) => r.id)).toEqual(['r1', 'r3']);
    expect(searchQuickReplies(SAVED, '').map((r) => r.id)).toEqual(['r1', 'r2', 'r3']);
  });

  it('falls back to the defaults when storage holds nothing readable', () => {
    localStorage.setItem(QUICK_REPLIES_KEY, '{not json');
    expect(loadQuickReplies(localStorage)).toEqual(DEFAULT_QUICK_REPLIES);
  });
});

describe('Composer quick replies', () => {
  it('opens a searchable list on `;` and inserts the chosen reply', async () => {
    h = await ownChat();
    const field = h.root.querySelector<HTMLTextAreaElement>('.composer textarea')!;
    await h.step(() => typeInto(field, 'Hi! ;'));
    expect([...h.root.querySelectorAll('[role="listbox"] [role="option"]')]).toHaveLength(3);
    await h.step(() => typeInto(field, 'Hi! ;refu'));
    const options = [...h.root.querySelectorAll('[role="option"]')];
    expect(options.map((o) => o.querySelector('strong')?.textContent)).toEqual(['refund', 'thanks']);
    expect(field.getAttribute('aria-activedescendant')).toBe(options[0]!.id);
    await h.step(() => press(field, 'ArrowDown'));
    expect(h.root.querySelectorAll('[role="option"]')[1]!.getAttribute('aria-selected')).toBe('true');
    await h.step(() => press(field, 'Enter'));
    expect(field.value).toBe('Hi! Thanks for waiting, and sorry about the refund delay.');
    expect(h.root.querySelector('[role="listbox"]')).toBeNull();
    // Enter picked the reply; it did not send.
    expect(h.relay.socket.frames('send')).toHaveLength(0);
    await h.step(() => press(field, 'Enter'));
    expect(h.relay.socket.frames('send')[0]?.text).toBe('Hi! Thanks for waiting, and sorry about the refund delay.');
  });

  it('closes the list on Escape without changing the text', async () => {
    h = await ownChat();
    const field = h.root.querySelector<HTMLTextAreaElement>('.composer textarea')!;
    await h.step(() => typeInto(field, ';ho'));
    expect(h.root.querySelector('[role="listbox"]')).not.toBeNull();
    await h.step(() => press(field, 'Escape'));
    expect(h.root.querySelector('[role="listbox"]')).toBeNull();
    expect(field.value).toBe(';ho');
  });

  it('edits the saved replies in a panel and keeps them in localStorage', async () => {
    h = await ownChat();
    await h.step(() => button(h!.root, 'Quick replies').click());
    const dialog = h.root.querySelector('[role="dialog"]')!;
    expect(dialog.querySelector('h2')?.textContent).toBe('Quick replies');
    await h.step(() => button(dialog, 'Remove hours').click());
    await h.step(() => button(dialog, 'Add a quick reply').click());
    const inputs = dialog.querySelectorAll<HTMLInputElement>('.quick-edit input');
    const texts = dialog.querySelectorAll<HTMLTextAreaElement>('.quick-edit textarea');
    await h.step(() => typeInto(inputs[inputs.length - 1]!, 'shipping'));
    await h.step(() => typeInto(texts[texts.length - 1]!, 'Shipping takes 2 days.'));
    await h.step(() => button(h!.root.querySelector('[role="dialog"]')!, 'Done').click());
    expect(h.root.querySelector('[role="dialog"]')).toBeNull();
    const stored = JSON.parse(localStorage.getItem(QUICK_REPLIES_KEY)!) as { title: string; text: string }[];
    expect(stored.map((r) => r.title)).toEqual(['refund', 'thanks', 'shipping']);
    expect(stored[2]!.text).toBe('Shipping takes 2 days.');
    const field = h.root.querySelector<HTMLTextAreaElement>('.composer textarea')!;
    await h.step(() => typeInto(field, ';ship'));
    expect(h.root.querySelector('[role="option"]')?.textContent).toContain('Shipping takes 2 days.');
  });
});
