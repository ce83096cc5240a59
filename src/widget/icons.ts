/**
 * The widget's few icons as Lit templates of one inline SVG path each: no icon font, no
 * requests. Each is decorative (`aria-hidden`); the control that holds it carries the
 * accessible name.
 */
import { html, type TemplateResult } from 'lit';
import { CHAT_ICON_PATH } from './launcher-basics.js';

const icon = (d: string, width = 2): TemplateResult =>
  html`<svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width=${width} stroke-linecap="round" stroke-linejoin="round"><path d=${d} /></svg>`;

/** A speech bubble (the launcher). */
export const chatIcon = icon(CHAT_ICON_PATH);
/** A cross (close). */
export const closeIcon = icon('M6 6l12 12M18 6L6 18');
/** Three dots (menu): zero-length strokes with round caps, 4 wide. */
export const moreIcon = icon('M5 12h0m7 0h0m7 0h0', 4);
