// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClient, makeState, mount, press, settle, text } from './helpers.js';

afterEach(() => document.body.replaceChildren());

describe('<parley-chat> launcher and panel', () => {
  it('shows a launcher named "Chat with us" and no panel until opened', async () => {
    const { $ } = await mount();
    const launcher = $('button[part~="launcher"]')!;
    expect(launcher.getAttribute('aria-label')).toBe('Chat with us');
    expect(launcher.getAttribute('aria-expanded')).toBe('false');
    expect($('[role="dialog"]')).toBeNull();
  });

  it('takes its launcher name from launcher-label and its title from heading', async () => {
    const { el, $ } = await mount();
    el.setAttribute('launcher-label', 'Questions?');
    el.setAttribute('heading', 'Acme help');
    el.open();
    await settle(el);
    expect($('[part~="launcher"]')!.getAttribute('aria-label')).toBe('Questions?');
    expect(text($('#title'))).toBe('Acme help');
    expect(el.hasAttribute('title')).toBe(false); // no browser tooltip over the widget
  });

  it('still takes its title from the older title attribute, and heading wins over it', async () => {
    const { el, $ } = await mount();
    el.setAttribute('title', 'Old name');
    el.open();
    await settle(el);
    expect(text($('#title'))).toBe('Old name');
    el.setAttribute('heading', 'New name');
    await settle(el);
    expect(text($('#title'))).toBe('New name');
  });

  it('opens a dialog labelled by its title on click, and reflects the open attribute', async () => {
    const { el, $ } = await mount();
    const events: string[] = [];
    document.addEventListener('parley:open', (e) => events.push(`${e.type}:${e.composed}:${e.bubbles}`));
    $('[part~="launcher"]')!.click();
    await settle(el);
    const dialog = $('[role="dialog"]')!;
    expect(dialog).not.toBeNull();
    expect(dialog.getAttribute('aria-labelledby')).toBe('title');
    expect(text($('#title'))).toBe('Support');
    expect(el.hasAttribute('open')).toBe(true);
    expect($('[part~="launcher"]')!.getAttribute('aria-expanded')).toBe('true');
    expect(events).toEqual(['parley:open:true:true']);
  });

  it('closes on Escape and returns focus to the launcher', async () => {
    const { el, $, root } = await mount();
    const closes: Event[] = [];
    el.addEventListener('parley:close', (e) => closes.push(e));
    $('[part~="launcher"]')!.click();
    await settle(el);
    const email = $('#email')!;
    expect(root.activeElement).toBe(email);
    press(email, 'Escape');
    await settle(el);
    expect($('[role="dialog"]')).toBeNull();
    expect(el.opened).toBe(false);
    expect(root.activeElement).toBe($('[part~="launcher"]'));
    expect(closes).toHaveLength(1);
  });

  it('closes from the header close button named "Close chat"', async () => {
    const { el, $ } = await mount({ opened: true });
    const close = $('[part~="close-button"]')!;
    expect(close.getAttribute('aria-label')).toBe('Close chat');
    close.click();
    await settle(el);
    expect(el.opened).toBe(false);
  });

  it('offers open(), close() and toggle()', async () => {
    const { el, $ } = await mount();
    el.open();
    await settle(el);
    expect($('[role="dialog"]')).not.toBeNull();
    el.toggle();
    await settle(el);
    expect($('[role="dialog"]')).toBeNull();
    el.toggle();
    await settle(el);
    el.close();
    await settle(el);
    expect($('[role="dialog"]')).toBeNull();
  });

  it('shows the unread count on the closed launcher, announces it, and marks read on open', async () => {
    const client = new FakeClient(makeState({ phase: 'active', connection: 'online' }));
    const { el, $ } = await mount({}, client);
    const counts: number[] = [];
    el.addEventListener('parley:unread', (e) => counts.push(e.detail.count));
    client.set({ unread: 3 });
    await settle(el);
    expect(text($('[part~="badge"]'))).toBe('3');
    expect($('[part~="launcher"]')!.getAttribute('aria-label')).toBe('Chat with us, 3 unread');
    el.open();
    await settle(el);
    expect(client.markRead).toHaveBeenCalled();
    expect($('[part~="badge"]')).toBeNull();
    expect(counts).toEqual([3, 0]);
  });

  it('hides the launcher with hide-launcher and still opens by method', async () => {
    const { el, $ } = await mount({ hideLauncher: true });
    expect($('[part~="launcher"]')).toBeNull();
    el.open();
    await settle(el);
    expect($('[role="dialog"]')).not.toBeNull();
  });

  it('reflects position and theme for styling', async () => {
    const { el } = await mount({ position: 'left', theme: 'dark' });
    expect(el.getAttribute('position')).toBe('left');
    expect(el.getAttribute('theme')).toBe('dark');
  });
});
