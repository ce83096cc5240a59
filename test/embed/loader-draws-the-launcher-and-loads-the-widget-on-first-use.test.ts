// @vitest-environment happy-dom
// The loader is all a page pays for until a customer reaches for the chat: it draws the
// launcher with the widget's own CSS and imports the widget from beside itself on the
// first hover, focus or click, on Parley('open'), or while idle when a chat is stored.
// The first test runs before anything defined <parley-chat>, as on a real page; the
// takeover with keyboard focus is its own file for the same reason.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHAT_ICON_PATH, launcherCss } from '../../src/widget/launcher-look.js';
import { installLoader, scriptTag, win } from './loader-harness.js';

afterEach(() => {
  document.body.replaceChildren();
  delete win.Parley;
  localStorage.clear();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('the loader', () => {
  it('draws the launcher in the element\'s shadow root with the widget\'s CSS, and imports nothing yet', async () => {
    const t = installLoader(scriptTag());
    const button = t.loaderButton()!;
    expect(button.tagName).toBe('BUTTON');
    expect(button.className).toBe('launcher');
    expect(button.getAttribute('aria-label')).toBe('Chat with us');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(button.querySelector('svg path')!.getAttribute('d')).toBe(CHAT_ICON_PATH);
    expect(button.querySelector('svg')!.getAttribute('viewBox')).toBe('0,0,24,24');
    const sheets = t.el.shadowRoot!.adoptedStyleSheets;
    expect(sheets).toHaveLength(1);
    expect([...sheets[0]!.cssRules].map((r) => r.cssText).join('')).toContain('.launcher');
    expect(launcherCss).toContain('.launcher');
    await new Promise((r) => setTimeout(r, 20));
    expect(t.imports).toEqual([]);
  });

  it('imports the widget once, from beside the script, on the first hover or focus', async () => {
    const t = installLoader(scriptTag({}, 'https://cdn.example.com/chat/parley.js'));
    t.hover();
    t.el.dispatchEvent(new FocusEvent('focusin', { bubbles: true, composed: true }));
    t.hover();
    await t.loaded();
    expect(t.imports).toEqual(['https://cdn.example.com/chat/parley-widget-T3st.js']);
  });

  it('opens the chat once the widget has arrived when the launcher was clicked before', async () => {
    const t = installLoader(scriptTag());
    await t.el.updateComplete; // where an earlier test defined the element, it draws first
    t.launcher()!.click();
    expect(t.imports).toHaveLength(1);
    const el = await t.loaded();
    expect(el.opened).toBe(true);
    // The widget took over: one launcher, the widget's, with the panel above it.
    const launchers = el.shadowRoot!.querySelectorAll('[part~="launcher"]');
    expect(launchers).toHaveLength(1);
    expect(launchers[0]!.getAttribute('aria-expanded')).toBe('true');
    expect(el.shadowRoot!.querySelector('[part~="panel"]')).not.toBeNull();
  });

  it('imports on Parley("open") even with the launcher hidden', async () => {
    const t = installLoader(scriptTag({ hideLauncher: 'true' }));
    expect(t.loaderButton()).toBeNull();
    t.api('open');
    const el = await t.loaded();
    expect(el.hideLauncher).toBe(true);
    expect(el.opened).toBe(true);
    expect(t.launcher()).toBeNull();
  });

  it('imports while idle when this browser holds a chat, so its unread badge can show', async () => {
    localStorage.setItem('parley:session', JSON.stringify({ token: 't', conversationId: 'c', lastSeq: 1, readSeq: 0 }));
    const t = installLoader(scriptTag());
    await vi.waitFor(() => expect(t.imports).toHaveLength(1));
    await t.loaded();
  });

  it('tries again on the next hover when the import failed', async () => {
    let failures = 1;
    const t = installLoader(scriptTag(), { fail: () => failures-- > 0 });
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      t.hover();
      await new Promise((r) => setTimeout(r, 10));
      expect(t.imports).toHaveLength(1);
      t.hover();
      await t.loaded();
      expect(t.imports).toHaveLength(2);
      expect(t.el.relay).not.toBe('');
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});
