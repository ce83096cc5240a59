/**
 * The unread count on the closed launcher, and its rules. Shown only while the panel
 * is closed and an agent has written, so loaded on first use (`unreadBadge` in
 * lazy.ts); the launcher's accessible name says the count from the start.
 */
import { html, unsafeCSS, type TemplateResult } from 'lit';
import { plainCss } from './launcher-basics.js';

/** Added to the element's styles when this module arrives (see `Panel.use`). */
export const styles = unsafeCSS(plainCss`
  .launcher{position:relative}
  .badge{position:absolute;top:-4px;right:-4px;min-width:22px;padding:0 6px;border-radius:11px;background:var(--parley-danger);color:var(--parley-bg);font:600 12px/22px var(--parley-font)}
`);

export function badge(unread: number): TemplateResult {
  return html`<span class="badge" part="badge" aria-hidden="true">${unread > 99 ? '99+' : unread}</span>`;
}
