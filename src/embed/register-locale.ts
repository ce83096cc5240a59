/**
 * Shared body of the per-language script files (`parley.es.js` …): hands one table to
 * `window.Parley`, or queues it with the documented stub when parley.js has not run.
 */
import type { Strings } from '../widget/strings.js';

type ParleyFn = ((...args: unknown[]) => unknown) & { q?: unknown[][] };

/** Registers `table` for `lang` with the page's Parley, now or when it loads. */
export function sendLocale(lang: string, table: Strings): void {
  const w = window as unknown as { Parley?: ParleyFn };
  // The same one-line stub a site may paste: calls queue until parley.js replays them.
  const p: ParleyFn = (w.Parley ||= function (...args: unknown[]) {
    (p.q ||= []).push(args);
  } as ParleyFn);
  p('locale', lang, table);
}
