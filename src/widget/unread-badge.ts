/**
 * The unread count on the closed launcher, and its CSS (part of the element's styles).
 */
import { html, type TemplateResult } from 'lit';
import { plainCss } from './launcher-basics.js';

export const badgeCss = plainCss`
  .launcher{position:relative}
  .badge{position:absolute;top:-4px;right:-4px;min-width:22px;padding:0 6px;border-radius:11px;background:var(--parley-danger);color:var(--parley-bg);font:600 12px/22px var(--parley-font)}
`;

export function badge(unread: number): TemplateResult {
  return html`<span class="badge" part="badge" aria-hidden="true">${unread > 99 ? '99+' : unread}</span>`;
}
