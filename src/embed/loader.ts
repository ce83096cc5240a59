/**
 * The script tag's loader: every page that embeds Parley pays for this file, so it is
 * kept to what a page needs before anyone chats. It sets `window.Parley` (queueing
 * calls), mounts an empty `<parley-chat>` and draws the launcher in its shadow root with
 * the element's own CSS, then imports the widget from beside this script on the
 * launcher's first hover, focus or click, on `Parley('open')`, or when the browser is
 * idle if a chat is stored (so a reply still shows its unread badge). The widget then
 * upgrades the same element in place: same box, same spot, one launcher.
 */
import { CHAT_ICON_PATH, LAUNCHER_LABEL, launcherCss } from '../widget/launcher-look.js';
import { baseLang, LANGUAGES } from '../widget/languages.js';
import type { Dispatch, ScriptOptions, WidgetModule } from './widget-contract.js';

/** The version the script tag reports as `Parley.version`. */
export const VERSION = '0.1.0';

/** `window.Parley` as the loader sets it: a function, with one method per API name. */
export type ParleyCall = ((method: string, ...args: unknown[]) => unknown) & Record<string, unknown>;

const SVG = 'http://www.w3.org/2000/svg';

/** The API names, each also a method of `window.Parley`. */
const METHODS = 'open close toggle identify on off locale'.split(' ');

/**
 * Installs `window.Parley` and mounts the element, reading options from `script`.
 * `importWidget` loads the widget module (tests pass their own). Returns the API; a
 * second run on a page returns the first one's.
 */
export function install(
  win: Window & { Parley?: unknown },
  script: HTMLScriptElement | null,
  widgetFile: string,
  importWidget: (url: URL) => Promise<WidgetModule> = (url) => import(url as unknown as string), // import() takes any value as text
): ParleyCall {
  const existing = win.Parley as ParleyCall | undefined;
  if (existing?.version) return existing;
  const doc = win.document;
  const data: ScriptOptions = { ...script?.dataset };
  const base = script?.src || win.location.href;
  const lang = baseLang(data.lang || doc.documentElement.lang || navigator.language);

  const el = doc.createElement('parley-chat');
  // Read by the launcher's CSS now, and by the element as its own attributes on upgrade.
  for (const key of ['position', 'theme'] as const) if (data[key]) el.setAttribute(key, data[key]);
  const root = el.attachShadow({ mode: 'open' });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(launcherCss);
  root.adoptedStyleSheets = [sheet];
  /**
   * An element with attributes given as `name=value name=value`, appended to `parent`.
   * Values hold no spaces: a URL from `new URL` has none, the SVG's numbers are
   * separated by commas.
   */
  const make = (parent: ParentNode, tag: string, attrs: string, ns?: string) => {
    const node = ns ? doc.createElementNS(ns, tag) : doc.createElement(tag);
    // `a=b=c` splits at its first `=` only: name `a`, value `b=c`.
    for (const pair of attrs.split(' ')) node.setAttribute(...(pair.split(/=(.*)/) as [string, string]));
    parent.append(node);
    return node;
  };
  const button = make(make(root, 'div', 'class=base part=base'), 'button', 'class=launcher part=launcher aria-expanded=false');
  if ((data.hideLauncher ?? 'false') !== 'false') button.remove();
  // The speech bubble, the same SVG the widget draws (the button's label names it).
  const svg = 'viewBox=0,0,24,24 width=24 height=24 fill=none stroke=currentColor stroke-width=2 stroke-linecap=round stroke-linejoin=round';
  make(make(button, 'svg', svg, SVG), 'path', `d=${CHAT_ICON_PATH}`, SVG);
  let label = LAUNCHER_LABEL;
  const name = () => button.setAttribute('aria-label', data.launcherLabel || label);
  name();

  const calls: unknown[][] = [];
  let widget: Dispatch | undefined;
  let loading: Promise<void> | undefined;
  const load = () =>
    (loading ??= importWidget(new URL(widgetFile, base)).then(
      (m) => void (widget = m.start(el, data, calls)),
      (err: unknown) => {
        loading = undefined; // the next hover or click tries again
        throw err;
      },
    ));

  const api = ((method: string, ...args: unknown[]) => {
    if (widget) return widget(method, args);
    calls.push([method, ...args]);
    if (method === 'locale' && baseLang(args[0] as string) === lang) {
      label = (args[1] as { launcher?: string } | undefined)?.launcher || label;
      name();
    }
    if (method === 'open' || method === 'toggle') void load();
  }) as ParleyCall;
  for (const m of METHODS) api[m] = (...args: unknown[]) => api(m, ...args);
  api.element = el;
  api.version = VERSION;

  win.Parley = api;
  // On the element, not the button: events from the widget's own launcher reach it too
  // (where `parley-chat` was already defined by the npm package, that one draws).
  for (const type of ['pointerover', 'focusin']) el.addEventListener(type, load);
  el.addEventListener('click', () => widget || api('open'));
  try {
    // A chat stored in this browser (the client's default key): load while idle, so a
    // reply that came while the customer browsed shows its unread badge.
    if (localStorage.getItem('parley:session')) (win.requestIdleCallback ?? win.setTimeout)(load);
  } catch {
    // storage denied: no stored chat to show
  }

  const mount = () => doc.body.append(el);
  if (doc.body) mount();
  else doc.addEventListener('DOMContentLoaded', mount);
  // Calls the stub queued, once everything above stands: a bad one is reported and skipped.
  for (const args of (existing?.q as Iterable<unknown>[] | undefined) ?? []) {
    try {
      api(...(args as [string]));
    } catch (err) {
      reportError(err);
    }
  }
  // English (the first language) is built in; another shipped one comes as a small file beside this one.
  if (script?.src && (LANGUAGES as readonly string[]).indexOf(lang) > 0) {
    make(doc.head, 'script', `nonce=${script.nonce} src=${new URL(`parley.${lang}.js`, script.src)}`);
  }
  return api;
}
