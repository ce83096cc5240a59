/**
 * Runs the script tag's loader in the test DOM with the real widget module behind its
 * import, and records what it imports. `hover()` is the customer's first pointer-over;
 * `loaded()` waits until the widget has taken the element over.
 */
import { install, type ParleyCall } from '../../src/embed/loader.js';
import type { ParleyApi } from '../../src/embed/api.js';
import type { WidgetModule } from '../../src/embed/widget-contract.js';
import type { ParleyChat } from '../../src/widget/parley-chat.js';

export const WIDGET_FILE = 'parley-widget-T3st.js';
export type Win = Window & { Parley?: unknown };
export const win = window as Win;

/** A script tag as a site owner writes it (typed so the test DOM never loads it). */
export function scriptTag(data: Record<string, string> = {}, src = 'https://chat.example.com/parley.js'): HTMLScriptElement {
  const s = document.createElement('script');
  s.type = 'text/x-parley-test';
  s.src = src;
  // As attributes: the test DOM drops an empty value set through `dataset`.
  for (const [k, v] of Object.entries(data)) s.setAttribute(`data-${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, v);
  return s;
}

/** The documented one-line stub, as a site pastes it before the tag. */
export function pasteStub(): void {
  new Function('window', 'window.Parley=window.Parley||function(){(Parley.q=Parley.q||[]).push(arguments)};').call(window, window);
}

export interface Installed {
  api: ParleyApi & ParleyCall;
  el: ParleyChat;
  /** Every URL the loader imported, in order. */
  imports: string[];
  /** The loader's own launcher button (before the widget takes over). */
  loaderButton: () => HTMLElement | null;
  /** The launcher on screen: the loader's, or the widget's once it has drawn. */
  launcher: () => HTMLElement | null;
  /** The first pointer-over of the launcher. */
  hover: () => void;
  /** Resolves once the widget module ran and the element rendered. */
  loaded: () => Promise<ParleyChat>;
}

/** Installs the loader for `script`; `fail` makes the next imports reject. */
export function installLoader(script: HTMLScriptElement | null, options: { fail?: () => boolean } = {}): Installed {
  const imports: string[] = [];
  let last: Promise<unknown> = Promise.resolve();
  const api = install(win, script, WIDGET_FILE, (url) => {
    imports.push(String(url));
    const p = options.fail?.() ? Promise.reject(new Error('offline')) : (import('../../src/embed/widget.js') as Promise<WidgetModule>);
    last = p.catch(() => {});
    return p;
  }) as ParleyApi & ParleyCall;
  const el = api.element as ParleyChat;
  const loaderButton = () => el.shadowRoot!.querySelector<HTMLElement>('.base:not([dir]) [part~="launcher"]');
  return {
    api,
    el,
    imports,
    loaderButton,
    launcher: () => el.shadowRoot!.querySelector<HTMLElement>('[part~="launcher"]'),
    // Dispatched on the element: in a test file where an earlier test defined
    // <parley-chat>, the widget draws the launcher from the start.
    hover: () => el.dispatchEvent(new Event('pointerover', { bubbles: true, composed: true })),
    loaded: async () => {
      await last;
      await new Promise((r) => setTimeout(r, 0));
      await el.updateComplete;
      return el;
    },
  };
}
