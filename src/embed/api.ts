/**
 * The script tag's `window.Parley`: reads the tag's `data-*` options, mounts one
 * `<parley-chat>` at the end of `<body>`, and offers open/close/toggle/identify/on/off,
 * callable as methods or as `Parley('open')`. It replays calls queued by the stub and
 * does nothing the second time it runs on a page.
 */
import type { ParleyChat } from '../widget/parley-chat.js';
import { defineParleyChat, TAG } from '../widget/define.js';
import type { Identity } from '../widget/parley-chat.js';
import type { ParleyEventDetail, ParleyEventName } from '../widget/events.js';
import { baseLang, hasLocale, LANGUAGES, registerLocale, type Strings } from '../widget/strings.js';

/** An event name for `on()`/`off()`: `message` or `parley:message`. */
export type ParleyApiEvent = ParleyEventName | (ParleyEventName extends `parley:${infer N}` ? N : never);

/** `window.Parley` after the script loaded. */
export interface ParleyApi {
  /** `Parley('open')`, `Parley('identify', { email })`: the stub's call form, still accepted. */
  (method: string, ...args: unknown[]): unknown;
  /** Opens the chat panel. */
  open(): void;
  /** Closes the chat panel. */
  close(): void;
  /** Opens or closes the chat panel. */
  toggle(): void;
  /** Names the customer, so the pre-chat form is skipped. */
  identify(who: Identity): void;
  /** Calls `fn` with each event's detail; `event` is `open`, `close`, `message`, `claimed`, `ended` or `unread`. */
  on<E extends ParleyApiEvent>(event: E, fn: (detail: ParleyEventDetail[ParleyEventName]) => void): void;
  /** Stops calling `fn` for `event`. */
  off(event: ParleyApiEvent, fn: (detail: never) => void): void;
  /** Registers a locale table (what the `parley.es.js`-style files call). */
  locale(lang: string, table: Strings): void;
  /** The mounted element. */
  readonly element: ParleyChat;
  /** Marks the real API (the stub has no version). */
  readonly version: string;
  /** Calls queued by the stub before the script loaded. */
  q?: ArrayLike<unknown>[];
}

/** The library version the script tag reports. */
export const VERSION = '0.1.0';

type Listener = (detail: never) => void;

/**
 * Installs `window.Parley` and mounts the element, reading options from `script`.
 * Returns the existing API when a Parley script already ran on this page.
 */
export function install(win: Window & { Parley?: unknown }, script: HTMLScriptElement | null): ParleyApi {
  const existing = win.Parley as { version?: string; q?: ArrayLike<unknown>[] } | undefined;
  if (typeof win.Parley === 'function' && existing?.version) return win.Parley as ParleyApi;
  const doc = win.document;
  defineParleyChat(win.customElements);
  const el = doc.createElement(TAG) as ParleyChat;
  const data = script?.dataset ?? {};
  // An empty or absent data-relay means the relay that served this script.
  el.relay = data.relay || originOf(script?.src, win.location.href);
  // Free text where present (page-url: values other than full or none mean path, as on the element).
  for (const key of ['title', 'launcherLabel', 'lang', 'pageUrl'] as const) if (data[key]) el[key] = data[key] as never;
  if (data.position === 'left' || data.position === 'right') el.position = data.position;
  if (data.theme === 'light' || data.theme === 'dark' || data.theme === 'auto') el.theme = data.theme;
  if (data.hideLauncher !== undefined) el.hideLauncher = data.hideLauncher !== 'false';

  // One wrapper per listener: it passes the detail on whatever the event, so on()/off()
  // for several events share it (addEventListener ignores a repeat of the same pair).
  const wrappers = new Map<Listener, EventListener>();
  const eventName = (e: string) => (e.startsWith('parley:') ? e : `parley:${e}`);
  const methods = {
    open: () => el.open(),
    close: () => el.close(),
    toggle: () => el.toggle(),
    identify: (who: Identity) => el.identify(who),
    on: (event: string, fn: Listener) => {
      let w = wrappers.get(fn);
      if (!w) wrappers.set(fn, (w = (e) => fn((e as CustomEvent).detail as never)));
      el.addEventListener(eventName(event), w);
    },
    off: (event: string, fn: Listener) => {
      const w = wrappers.get(fn);
      if (w) el.removeEventListener(eventName(event), w);
    },
    locale: (lang: string, table: Strings) => {
      registerLocale(lang, table);
      el.requestUpdate();
    },
  };
  const api = ((method: string, ...args: unknown[]) => {
    const fn = (methods as Record<string, (...a: unknown[]) => unknown>)[method];
    if (!fn) throw new TypeError(`Parley: unknown method "${method}"`);
    return fn(...args);
  }) as ParleyApi;
  Object.assign(api, methods, { element: el, version: VERSION });

  const queued = existing?.q;
  win.Parley = api;
  const mount = () => doc.body.append(el);
  if (doc.body) mount();
  else doc.addEventListener('DOMContentLoaded', mount, { once: true });
  for (const args of queued ?? []) {
    const [method, ...rest] = Array.from(args);
    try {
      api(String(method), ...rest);
    } catch (err) {
      // One bad queued call must not stop the others or the widget.
      console.error(err);
    }
  }
  // After the queue: a table file that ran before this script has registered by now.
  loadLocale(doc, script, data.lang || doc.documentElement.lang || win.navigator.language || 'en');
  return api;
}

/**
 * parley.js carries English only; another shipped language comes as its own small
 * file beside it (`parley.es.js`), which calls `Parley('locale', 'es', table)`.
 * Served from the script's own origin, so a CSP that allows parley.js allows it.
 */
function loadLocale(doc: Document, script: HTMLScriptElement | null, tag: string): void {
  const lang = baseLang(tag);
  if (!script?.src || hasLocale(lang) || !(LANGUAGES as readonly string[]).includes(lang)) return;
  const s = doc.createElement('script');
  s.async = true;
  s.src = new URL(`parley.${lang}.js`, script.src).href;
  if (script.nonce) s.nonce = script.nonce;
  doc.head.append(s);
}

function originOf(src: string | undefined, base: string): string {
  try {
    return new URL(src || base, base).origin;
  } catch {
    return '';
  }
}
