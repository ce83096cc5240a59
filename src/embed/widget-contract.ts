/**
 * What the script tag's loader and the widget module it imports agree on. The two are
 * built as separate files, so this is the only shape that crosses between them.
 */

/** The script tag's `data-*` options, as `dataset` gives them (all text). */
export interface ScriptOptions {
  relay?: string;
  heading?: string;
  /** The older name of `heading`. */
  title?: string;
  launcherLabel?: string;
  position?: string;
  lang?: string;
  theme?: string;
  hideLauncher?: string;
  pageUrl?: string;
  [other: string]: string | undefined;
}

/** Runs one `Parley(method, ...args)` call against the live widget. */
export type Dispatch = (method: string, args: unknown[]) => unknown;

/** The widget module (`parley-widget-<hash>.js`). */
export interface WidgetModule {
  /**
   * Defines `<parley-chat>`, which upgrades `element` in place (its first render
   * replaces the loader's launcher in its shadow root), applies `options` and replays
   * `calls` (each `[method, ...args]`). Returns the dispatcher for every later call.
   */
  start(element: HTMLElement, options: ScriptOptions, calls: unknown[][]): Dispatch;
}
