// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { activeState, FakeClient, makeState, mount, press, settle, text } from './helpers.js';

afterEach(() => document.body.replaceChildren());

describe('<parley-chat> End chat', () => {
  it('is a menu item in the header that asks before ending', async () => {
    const { el, client, $, root } = await mount({ opened: true }, new FakeClient(activeState()));
    const menu = $('[part~="menu-button"]')!;
    expect(menu.dataset.action).toBe('menu');
    expect(menu.getAttribute('aria-label')).toBe('More options');
    expect(menu.getAttribute('aria-haspopup')).toBe('menu');
    menu.click();
    await settle(el);
    expect(menu.getAttribute('aria-expanded')).toBe('true');
    const item = root.querySelector('[part~="menu"][role="menu"] [role="menuitem"]') as HTMLElement;
    expect(text(item)).toBe('End chat');
    expect(root.activeElement).toBe(item);
    item.click();
    await settle(el);
    expect(client.end).not.toHaveBeenCalled();
    expect(text($('[part~="confirm"]'))).toContain('End this chat?');
    expect(root.activeElement).toBe($('[data-action="confirm-end"]'));
    $('[data-action="confirm-end"]')!.click();
    await settle(el);
    expect(client.end).toHaveBeenCalledTimes(1);
  });

  it('keeps chatting when the customer says so', async () => {
    const { el, client, $ } = await mount({ opened: true }, new FakeClient(activeState()));
    $('[data-action="menu"]')!.click();
    await settle(el);
    $('[data-action="end"]')!.click();
    await settle(el);
    $('[data-action="keep"]')!.click();
    await settle(el);
    expect($('.confirm')).toBeNull();
    expect(client.end).not.toHaveBeenCalled();
  });

  it('closes the menu on Escape before closing the panel', async () => {
    const { el, $, root } = await mount({ opened: true }, new FakeClient(activeState()));
    $('[data-action="menu"]')!.click();
    await settle(el);
    press(root.querySelector('[role="menuitem"]') as HTMLElement, 'Escape');
    await settle(el);
    expect(root.querySelector('[role="menu"]')).toBeNull();
    expect(el.opened).toBe(true);
    expect(root.activeElement).toBe($('[data-action="menu"]'));
  });

  it('is not offered before a chat exists', async () => {
    const { $ } = await mount({ opened: true }, new FakeClient(makeState()));
    expect($('[data-action="menu"]')).toBeNull();
  });

  it('end() ends a live chat and does nothing otherwise', async () => {
    const client = new FakeClient(makeState());
    const { el } = await mount({}, client);
    await el.end();
    expect(client.end).not.toHaveBeenCalled();
    client.set(activeState());
    await el.end();
    expect(client.end).toHaveBeenCalledTimes(1);
  });
});
