/**
 * `window.Parley` once the widget has loaded: the methods behind `Parley('open')` and
 * `Parley.open()` (open/close/toggle/identify/on/off/locale) as one dispatcher over the
 * mounted `<parley-chat>`. The loader queues calls until then and replays them here.
 */
import type { Identity, ParleyChat } from '../widget/parley-chat.js';
import type { ParleyEventDetail, ParleyEventName } from '../widget/events.js';
import { registerLocale, type Strings } from '../widget/strings.js';
import type { Dispatch } from './widget-contract.js';

/** An event name for `on()`/`off()`: `message` or `parley:message`. */
export type ParleyApiEvent = ParleyEventName | (ParleyEventName extends `parley:${infer N}` ? N : never);

/** `window.Parley` as a site uses it. */
export interface ParleyApi {
  /** `Parley('open')`, `Parley('identify', { email })`: the stub's call form, still accepted. */
  (method: string, ...args: unknown[]): unknown;
  /** Opens the chat panel (and loads the widget if it has not yet). */
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
  /** The mounted element (upgraded to `<parley-chat>` once the widget has loaded). */
  readonly element: ParleyChat;
  /** Marks the real API (the stub has no version). */
  readonly version: string;
  /** Calls queued by the stub before the script loaded. */
  q?: ArrayLike<unknown>[];
}

type Listener = (detail: never) => void;

/** The dispatcher for one element. Unknown methods throw a TypeError. */
export function dispatcher(el: ParleyChat): Dispatch {
  // One wrapper per listener: it passes the detail on whatever the event, so on()/off()
  // for several events share it (addEventListener ignores a repeat of the same pair).
  const wrappers = new Map<Listener, EventListener>();
  const eventName = (e: string) => (e.startsWith('parley:') ? e : `parley:${e}`);
  const methods: Record<string, (...a: never[]) => unknown> = {
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
  return (method, args) => {
    const fn = methods[method];
    if (!fn) throw new TypeError(`Parley: unknown method "${method}"`);
    return (fn as (...a: unknown[]) => unknown)(...args);
  };
}
