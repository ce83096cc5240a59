/**
 * The widget's few icons as Lit `svg` templates: no icon font, no requests. Each is
 * decorative (`aria-hidden`); the control that holds it carries the accessible name.
 */
import { html, svg, type TemplateResult } from 'lit';

const icon = (paths: TemplateResult) =>
  html`<svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">${paths}</svg>`;

/** A speech bubble (the launcher). */
export const chatIcon = icon(svg`<path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z"/>`);
/** A cross (close). */
export const closeIcon = icon(svg`<path d="M6 6l12 12M18 6L6 18"/>`);
/** Three dots (menu). */
export const moreIcon = icon(svg`<circle cx="5" cy="12" r="1"/><circle cx="12" cy="12" r="1"/><circle cx="19" cy="12" r="1"/>`);
