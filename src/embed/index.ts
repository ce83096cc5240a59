/**
 * The script-tag entry, built to dist/parley.js (a small IIFE; the widget itself loads
 * on first use from beside it):
 *   <script src="https://chat.example.com/parley.js" data-relay="https://chat.example.com"
 *           data-heading="Support" async></script>
 * mounts one <parley-chat> at the end of <body> and sets `window.Parley`. Options:
 * data-relay (empty: this script's origin), data-heading (data-title, its older name), data-launcher-label,
 * data-position, data-lang, data-theme, data-hide-launcher, data-page-url (`path`, the
 * default, sends origin + path with a new chat; `full` adds the query string; `none`
 * sends no page). The widget carries English; for Spanish, German or Arabic the loader
 * adds parley.es.js / parley.de.js / parley.ar.js from beside itself.
 *
 * Calls made before the script loads are queued by this one-line stub, placed before
 * the tag (inline, or in the site's own script file under a strict CSP):
 *   window.Parley=window.Parley||function(){(Parley.q=Parley.q||[]).push(arguments)};
 * then `Parley('identify', { email: 'jane@example.com' })`, `Parley('open')`,
 * `Parley('on', 'message', fn)`. Once loaded, `Parley.open()` and the rest work too.
 */
import widgetFile from 'virtual:widget-entry';
import { install } from './loader.js';

install(window, document.currentScript as HTMLScriptElement | null, widgetFile);
