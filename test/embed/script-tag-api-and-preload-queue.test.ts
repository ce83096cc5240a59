// @vitest-environment happy-dom
// window.Parley as a site uses it: options from the tag's data-* attributes, the
// methods and their call form, the stub's queue, a second include, locale files.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { es } from '../../src/widget/locales/es.js';
import { installLoader, pasteStub, scriptTag, win } from './loader-harness.js';

afterEach(() => {
  document.body.replaceChildren();
  document.head.querySelectorAll('script').forEach((s) => s.remove());
  delete win.Parley;
  vi.restoreAllMocks();
});

describe('the script tag (window.Parley)', () => {
  it('mounts one <parley-chat> at the end of <body> and applies the data-* options once the widget loads', async () => {
    document.body.append(document.createElement('main'));
    const t = installLoader(scriptTag({ relay: 'https://relay.example.net', heading: 'Support', position: 'left', theme: 'dark', launcherLabel: 'Help?' }));
    expect(document.body.lastElementChild).toBe(t.el);
    expect(t.el.tagName).toBe('PARLEY-CHAT');
    // Before the widget: the launcher's look already follows position and theme.
    expect(t.el.getAttribute('position')).toBe('left');
    expect(t.el.getAttribute('theme')).toBe('dark');
    expect(t.loaderButton()!.getAttribute('aria-label')).toBe('Help?');
    t.hover();
    const el = await t.loaded();
    expect(el.relay).toBe('https://relay.example.net');
    expect(el.heading).toBe('Support');
    expect(el.position).toBe('left');
    expect(el.theme).toBe('dark');
    expect(el.launcherLabel).toBe('Help?');
    expect(el.shadowRoot!.querySelectorAll('[part~="launcher"]')).toHaveLength(1);
    expect(el.shadowRoot!.querySelector('[part~="launcher"]')!.getAttribute('aria-label')).toBe('Help?');
  });

  it('takes the older data-title as the heading, never as a tooltip over the widget', async () => {
    const t = installLoader(scriptTag({ relay: 'https://relay.example.net', title: 'Acme support' }));
    t.hover();
    const el = await t.loaded();
    expect(el.heading).toBe('Acme support');
    expect(el.hasAttribute('title')).toBe(false);
    el.open();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('#title')!.textContent).toBe('Acme support');
  });

  it("uses the widget files' own origin when data-relay is empty or absent", async () => {
    const t = installLoader(scriptTag({ relay: '' }, 'https://support.shop.example:8443/static/parley.js?v=3'));
    expect(t.imports).toEqual([]);
    t.hover();
    await t.loaded();
    expect(t.imports).toEqual(['https://support.shop.example:8443/static/parley-widget-T3st.js']);
    // The module under test is served by the test runner, so its origin is the runner's.
    expect(t.el.relay).toBe(new URL(import.meta.url).origin);
  });

  it('offers open(), close(), toggle() and identify()', async () => {
    const t = installLoader(scriptTag());
    t.api.open();
    const el = await t.loaded();
    expect(el.opened).toBe(true);
    t.api.close();
    expect(el.opened).toBe(false);
    t.api.toggle();
    expect(el.opened).toBe(true);
    t.api.identify({ email: 'jane@example.com', name: 'Jane' });
    await el.updateComplete;
    expect(el.identity).toEqual({ email: 'jane@example.com', name: 'Jane' });
    expect(el.shadowRoot!.querySelector('form.prechat')).toBeNull();
  });

  it('calls on() listeners with the event detail until off()', async () => {
    const t = installLoader(scriptTag());
    const seen: unknown[] = [];
    const fn = (d: unknown) => seen.push(d);
    t.api.on('unread', fn); // before the widget loaded: queued
    t.hover();
    await t.loaded();
    t.api.on('parley:open', () => seen.push('open'));
    t.el.dispatchEvent(new CustomEvent('parley:unread', { detail: { count: 2 } }));
    t.api.off('unread', fn);
    t.el.dispatchEvent(new CustomEvent('parley:unread', { detail: { count: 3 } }));
    t.el.dispatchEvent(new CustomEvent('parley:open', { detail: null }));
    expect(seen).toEqual([{ count: 2 }, 'open']);
  });

  it('replays calls queued by the one-line stub before the script loaded, in order', async () => {
    pasteStub();
    const Parley = win.Parley as (...a: unknown[]) => void;
    const got: unknown[] = [];
    Parley('identify', { email: 'ann@example.com' });
    Parley('on', 'open', () => got.push('opened'));
    Parley('open');
    const t = installLoader(scriptTag());
    expect(win.Parley).toBe(t.api);
    const el = await t.loaded();
    expect(el.identity).toEqual({ email: 'ann@example.com' });
    expect(el.opened).toBe(true);
    expect(got).toEqual(['opened']);
  });

  it('keeps going past a bad queued call', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    pasteStub();
    const Parley = win.Parley as (...a: unknown[]) => void;
    Parley('explode');
    Parley('open');
    const t = installLoader(scriptTag());
    const el = await t.loaded();
    expect(el.opened).toBe(true);
    expect(errors).toHaveBeenCalledTimes(1);
  });

  it('accepts the call form after loading too, and refuses unknown methods', async () => {
    const t = installLoader(scriptTag());
    t.api('open');
    const el = await t.loaded();
    expect(el.opened).toBe(true);
    expect(() => t.api('nope')).toThrow(TypeError);
  });

  it('is harmless when included twice: one element, one API', () => {
    const first = installLoader(scriptTag());
    const second = installLoader(scriptTag());
    expect(second.api).toBe(first.api);
    expect(document.querySelectorAll('parley-chat')).toHaveLength(1);
  });

  it('loads the table file of another shipped language beside itself, and applies it', async () => {
    const appended: HTMLScriptElement[] = [];
    const realAppend = document.head.append.bind(document.head);
    vi.spyOn(document.head, 'append').mockImplementation((...nodes) => {
      appended.push(...(nodes as HTMLScriptElement[]));
      realAppend(...nodes.map((n) => (n instanceof HTMLScriptElement ? Object.assign(n, { type: 'text/x-parley-test' }) : n)));
    });
    const t = installLoader(scriptTag({ lang: 'es' }, 'https://chat.example.com/assets/parley.js'));
    expect(appended.map((s) => s.src)).toEqual(['https://chat.example.com/assets/parley.es.js']);
    // What dist/parley.es.js does when it runs:
    t.api('locale', 'es', es);
    t.hover();
    const el = await t.loaded();
    expect(el.shadowRoot!.querySelector('[part~="launcher"]')!.getAttribute('aria-label')).toBe('Chatea con nosotros');
  });

  it('loads the table file from a folder whose path holds ; and =, and keeps the tag\'s nonce', () => {
    const appended: HTMLScriptElement[] = [];
    vi.spyOn(document.head, 'append').mockImplementation((...nodes) => void appended.push(...(nodes as HTMLScriptElement[])));
    const s = scriptTag({ lang: 'de' }, 'https://cdn.example.com/v=2;build=7/parley.js');
    s.nonce = 'r4nd0m+/=';
    installLoader(s);
    expect(appended.map((x) => [x.src, x.getAttribute('nonce')])).toEqual([['https://cdn.example.com/v=2;build=7/parley.de.js', 'r4nd0m+/=']]);
  });

  it('loads no table file for English or a language it does not ship', () => {
    const appended: Node[] = [];
    vi.spyOn(document.head, 'append').mockImplementation((...nodes) => void appended.push(...(nodes as Node[])));
    installLoader(scriptTag({ lang: 'en-GB' }));
    delete win.Parley;
    document.body.replaceChildren();
    installLoader(scriptTag({ lang: 'fr' }));
    expect(appended).toEqual([]);
  });

  it('waits for <body> when the tag runs in <head>', () => {
    const body = document.body;
    body.remove();
    try {
      const t = installLoader(scriptTag());
      expect(t.el.isConnected).toBe(false);
      document.documentElement.append(body);
      document.dispatchEvent(new Event('DOMContentLoaded'));
      expect(t.el.parentElement).toBe(document.body);
    } finally {
      if (!document.body) document.documentElement.append(body);
    }
  });
});
