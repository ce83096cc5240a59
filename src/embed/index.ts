/**
 * The script-tag entry, built to dist/parley.js (IIFE, Lit inlined):
 *   <script src="https://chat.example.com/parley.js" data-relay="https://chat.example.com"
 *           data-title="Support" async></script>
 * mounts one <parley-chat> at the end of <body> and sets `window.Parley`. Options:
 * data-relay (empty: this script's origin), data-title, data-launcher-label,
 * data-position, data-lang, data-theme, data-hide-launcher, data-page-url (`path`, the
 * default, sends origin + path with a new chat; `full` adds the query string; `none`
 * sends no page). parley.js carries English;
 * for Spanish, German or Arabic it loads parley.es.js / parley.de.js / parley.ar.js from
 * beside itself (built from ./locale-*.ts).
 *
 * Calls made before the script loads are queued by this one-line stub, placed before
 * the tag (inline, or in the site's own script file under a strict CSP):
 *   window.Parley=window.Parley||function(){(Parley.q=Parley.q||[]).push(arguments)};
 * then `Parley('identify', { email: 'jane@example.com' })`, `Parley('open')`,
 * `Parley('on', 'message', fn)`. Once loaded, `Parley.open()` and the rest work too.
 */
import { install } from './api.js';

const current = document.currentScript as HTMLScriptElement | null;
install(
  window,
  current ?? [...document.querySelectorAll<HTMLScriptElement>('script[src*="parley"]')].pop() ?? null,
);
