// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { install, type ParleyApi } from '../../src/embed/api.js';
import { es } from '../../src/widget/locales/es.js';
import type { ParleyChat } from '../../src/widget/parley-chat.js';

type Win = Window & { Parley?: unknown };
const win = window as Win;

/** A script tag as a site owner writes it (typed so the test DOM never loads it). */
function tag(data: Record<string, string> = {}, src = 'https://chat.example.com/parley.js'): HTMLScriptElement {
  const s = document.createElement('script');
  s.type = 'text/x-parley-test';
  s.src = src;
  for (const [k, v] of Object.entries(data)) s.dataset[k] = v;
  return s;
}

/** The documented one-line stub, as a site pastes it before the tag. */
function pasteStub(): void {
  new Function('window', 'window.Parley=window.Parley||function(){(Parley.q=Parley.q||[]).push(arguments)};').call(window, window);
}

afterEach(() => {
  document.body.replaceChildren();
  document.head.querySelectorAll('script').forEach((s) => s.remove());
  delete win.Parley;
  vi.restoreAllMocks();
});

describe('the script tag (window.Parley)', () => {
  it('mounts one <parley-chat> at the end of <body> with the data-* options', async () => {
    document.body.append(document.createElement('main'));
    const api = install(win, tag({ relay: 'https://relay.example.net', title: 'Support', position: 'left', theme: 'dark', launcherLabel: 'Help?' }));
    const el = document.body.lastElementChild as ParleyChat;
    expect(el.tagName).toBe('PARLEY-CHAT');
    expect(api.element).toBe(el);
    expect(el.relay).toBe('https://relay.example.net');
    expect(el.title).toBe('Support');
    expect(el.position).toBe('left');
    expect(el.theme).toBe('dark');
    expect(el.launcherLabel).toBe('Help?');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~="launcher"]')!.getAttribute('aria-label')).toBe('Help?');
  });

  it("uses the script's own origin when data-relay is empty or absent", () => {
    const a = install(win, tag({ relay: '' }, 'https://support.shop.example:8443/static/parley.js?v=3'));
    expect(a.element.relay).toBe('https://support.shop.example:8443');
    a.element.remove();
    delete win.Parley;
    const b = install(win, tag({}, 'http://127.0.0.1:8080/parley.js'));
    expect(b.element.relay).toBe('http://127.0.0.1:8080');
  });

  it('offers open(), close(), toggle() and identify()', async () => {
    const api = install(win, tag()) as ParleyApi;
    const el = api.element;
    api.open();
    expect(el.opened).toBe(true);
    api.close();
    expect(el.opened).toBe(false);
    api.toggle();
    expect(el.opened).toBe(true);
    api.identify({ email: 'jane@example.com', name: 'Jane' });
    await el.updateComplete;
    expect(el.identity).toEqual({ email: 'jane@example.com', name: 'Jane' });
    expect(el.shadowRoot!.querySelector('form.prechat')).toBeNull();
  });

  it('calls on() listeners with the event detail until off()', () => {
    const api = install(win, tag());
    const seen: unknown[] = [];
    const fn = (d: unknown) => seen.push(d);
    api.on('unread', fn);
    api.on('parley:open', () => seen.push('open'));
    api.element.dispatchEvent(new CustomEvent('parley:unread', { detail: { count: 2 } }));
    api.off('unread', fn);
    api.element.dispatchEvent(new CustomEvent('parley:unread', { detail: { count: 3 } }));
    api.element.dispatchEvent(new CustomEvent('parley:open', { detail: null }));
    expect(seen).toEqual([{ count: 2 }, 'open']);
  });

  it('replays calls queued by the one-line stub before the script loaded, in order', async () => {
    pasteStub();
    const Parley = win.Parley as (...a: unknown[]) => void;
    const got: unknown[] = [];
    Parley('identify', { email: 'ann@example.com' });
    Parley('on', 'open', () => got.push('opened'));
    Parley('open');
    const api = install(win, tag());
    expect(win.Parley).toBe(api);
    expect(api.element.identity).toEqual({ email: 'ann@example.com' });
    expect(api.element.opened).toBe(true);
    await api.element.updateComplete;
    expect(got).toEqual(['opened']);
  });

  it('keeps going past a bad queued call', () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    pasteStub();
    const Parley = win.Parley as (...a: unknown[]) => void;
    Parley('explode');
    Parley('open');
    const api = install(win, tag());
    expect(api.element.opened).toBe(true);
    expect(errors).toHaveBeenCalledTimes(1);
  });

  it('accepts the call form after loading too, and refuses unknown methods', () => {
    const api = install(win, tag());
    api('open');
    expect(api.element.opened).toBe(true);
    expect(() => api('nope')).toThrow(TypeError);
  });

  it('is harmless when included twice: one element, one API', () => {
    const first = install(win, tag());
    const second = install(win, tag());
    expect(second).toBe(first);
    expect(document.querySelectorAll('parley-chat')).toHaveLength(1);
  });

  it('loads the table file of another shipped language beside itself, and applies it', async () => {
    const appended: HTMLScriptElement[] = [];
    vi.spyOn(document.head, 'append').mockImplementation((...nodes) => void appended.push(...(nodes as HTMLScriptElement[])));
    const api = install(win, tag({ lang: 'es' }, 'https://chat.example.com/assets/parley.js'));
    expect(appended.map((s) => s.src)).toEqual(['https://chat.example.com/assets/parley.es.js']);
    // What dist/parley.es.js does when it runs:
    api('locale', 'es', es);
    await api.element.updateComplete;
    expect(api.element.shadowRoot!.querySelector('[part~="launcher"]')!.getAttribute('aria-label')).toBe('Chatea con nosotros');
  });

  it('waits for <body> when the tag runs in <head>', () => {
    const body = document.body;
    body.remove();
    try {
      const api = install(win, tag());
      expect(api.element.isConnected).toBe(false);
      document.documentElement.append(body);
      document.dispatchEvent(new Event('DOMContentLoaded'));
      expect(api.element.parentElement).toBe(document.body);
    } finally {
      if (!document.body) document.documentElement.append(body);
    }
  });
});
