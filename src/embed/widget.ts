/**
 * The widget module the script tag's loader imports on first use (built to
 * `parley-widget-<hash>.js` with its chunks): it defines `<parley-chat>`, which upgrades
 * the loader's element in place, applies the tag's options, replays queued calls, and
 * the element's first render replaces the loader's launcher, and keyboard focus moves
 * to the widget's launcher if it was on the loader's.
 */
import { defineParleyChat } from '../widget/define.js';
import type { ParleyChat } from '../widget/parley-chat.js';
import { dispatcher } from './api.js';
import { useLoaderSheet } from '../widget/styles.js';
import type { Dispatch, ScriptOptions } from './widget-contract.js';

export function start(element: HTMLElement, options: ScriptOptions, calls: unknown[][]): Dispatch {
  // Until now the shadow root held only the loader's launcher, styled by the loader's sheet,
  // which the element adopts as its launcher rules (this build carries none of its own).
  const hadFocus = !!element.shadowRoot?.activeElement;
  useLoaderSheet(element.shadowRoot);
  // The element empties its shadow root as it upgrades (and it already did if the npm
  // package defined it first); its first render follows in this same task, so the
  // launcher is never missing from a painted frame.
  defineParleyChat(element.ownerDocument.defaultView?.customElements);
  customElements.upgrade(element);
  const el = element as ParleyChat;
  // An empty or absent data-relay means the relay that served these files.
  el.relay = options.relay || new URL(import.meta.url).origin;
  // Where present, as the element's attributes would give them (values it does not know
  // mean its default: page-url other than full or none is path, a position other than
  // left is right, a theme other than dark or auto is light). data-title is the older name
  // of data-heading: it becomes the heading, never the element's `title`, which the browser
  // would show as a tooltip over the whole widget.
  options = { heading: options.title, ...options };
  for (const key of ['heading', 'launcherLabel', 'lang', 'pageUrl', 'position', 'theme'] as const) if (options[key]) el[key] = options[key] as never;
  if (options.hideLauncher !== undefined) el.hideLauncher = options.hideLauncher !== 'false';
  const dispatch = dispatcher(el);
  for (const [method, ...args] of calls.splice(0)) {
    try {
      dispatch(String(method), args);
    } catch (err) {
      // One bad queued call must not stop the others or the widget.
      console.error(err);
    }
  }
  void el.updateComplete.then(() => {
    // Unless a replayed open() has put it in the panel already.
    if (hadFocus && !el.shadowRoot?.activeElement) el.shadowRoot?.querySelector<HTMLElement>('[part~="launcher"]')?.focus();
  });
  return dispatch;
}
