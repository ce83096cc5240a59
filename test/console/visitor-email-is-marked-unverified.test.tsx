// @vitest-environment happy-dom
// Nothing in Parley verifies the email a visitor types into the widget, so the console
// never presents it as proof of identity: next to the email, on the tile and in the
// chat header, sits a small "unverified" tag whose title and screen-reader text say
// "typed by the visitor, not verified".
import axe from 'axe-core';
import { afterEach, describe, expect, it } from 'vitest';
import { mountConsole, type DomHarness } from './harness.js';

let h: DomHarness | undefined;
afterEach(() => {
  h?.destroy();
  h = undefined;
});

/** The visible text of an element: without its screen-reader-only parts. */
function visible(el: Element): string {
  const copy = el.cloneNode(true) as Element;
  copy.querySelectorAll('.sr-only').forEach((s) => s.remove());
  return (copy.textContent ?? '').trim();
}

function expectUnverifiedTag(tag: Element | null | undefined): void {
  expect(tag).toBeTruthy();
  expect(visible(tag!)).toBe('unverified');
  expect(tag!.getAttribute('title')).toBe('Typed by the visitor, not verified');
  expect(tag!.querySelector('.sr-only')?.textContent).toContain('typed by the visitor, not verified');
  expect(tag!.classList.contains('hint')).toBe(true);
}

describe('the visitor email is marked unverified', () => {
  it('on a tile with a name, right after the email', async () => {
    h = await mountConsole();
    await h.step(() => h!.relay.request('c1', { email: 'ann@example.com', name: 'Ann Lee' }));
    const email = h.root.querySelector('.tile .tile-email')!;
    expect(email.querySelector('bdi')?.textContent).toBe('ann@example.com');
    expectUnverifiedTag(email.querySelector('.unverified'));
    expect(visible(email)).toBe('ann@example.com unverified');
  });

  it('on a tile that shows only the email', async () => {
    h = await mountConsole();
    await h.step(() => h!.relay.request('c1', { email: 'carl@example.com' }));
    const tile = h.root.querySelector('.tile')!;
    expect(tile.querySelector('.tile-name')?.textContent).toBe('carl@example.com');
    expectUnverifiedTag(tile.querySelector('.unverified'));
    expect(tile.querySelectorAll('.unverified')).toHaveLength(1);
  });

  it('in the chat header, beside the email and not the name', async () => {
    h = await mountConsole();
    await h.step(() => h!.relay.request('c1', { email: 'ann@example.com', name: 'Ann Lee' }));
    await h.step(() => h!.root.querySelector<HTMLElement>('.tile')!.click());
    const customer = h.root.querySelector('.customer')!;
    const tags = customer.querySelectorAll('.unverified');
    expect(tags).toHaveLength(1);
    const dd = tags[0]!.closest('dd')!;
    expect(dd.previousElementSibling?.textContent).toBe('Email');
    expect(visible(dd)).toBe('ann@example.com unverified');
    expectUnverifiedTag(tags[0]);
  });

  it('keeps the tiles and the header free of axe violations', async () => {
    h = await mountConsole();
    await h.step(() => h!.relay.request('c1', { email: 'ann@example.com', name: 'Ann Lee' }));
    await h.step(() => h!.root.querySelector<HTMLElement>('.tile')!.click());
    const result = await axe.run(h.root, { rules: { 'color-contrast': { enabled: false } } });
    expect(result.violations.map((v) => v.id)).toEqual([]);
  });
});
