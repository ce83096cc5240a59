/**
 * The composer's character counter, shown only near the 4,000-character limit: how
 * many characters are left, or how many are over. Rarely needed, so loaded on first
 * use (`counter` in lazy.ts), with its strings and rules.
 */
import { html, unsafeCSS, type TemplateResult } from 'lit';
import { plainCss } from './launcher-basics.js';
import { later } from './locales/en-later.js';
import type { Panel } from './panel.js';
import { format } from './strings.js';

/** Added to the element's styles when this module arrives (see `Panel.use`). */
export const styles = unsafeCSS(plainCss`
  .counter{padding:0 16px 6px;color:var(--parley-muted);font-size:13px}
  .counter.over{color:var(--parley-danger)}
`);

/** The counter for `left` characters left (negative: over the limit). */
export function counter(p: Panel, left: number): TemplateResult {
  const s = later(p);
  return html`<p id="counter" class="counter ${left < 0 ? 'over' : ''}">${left < 0 ? format(s.over, { n: -left }) : format(s.left, { n: left })}</p>`;
}
