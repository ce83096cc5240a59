/**
 * The rule of secondary buttons (Keep chatting, Choose file, Cancel, Download
 * transcript): only parts loaded on first use have them, so it travels with those parts
 * rather than in the element's own sheet.
 */
import { plainCss } from './launcher-basics.js';

export const secondaryCss = plainCss`
  .secondary{padding:10px 16px;border-radius:8px;font-weight:600;border:1px solid var(--parley-accent);color:var(--parley-accent)}
`;
