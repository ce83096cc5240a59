/**
 * What the "More options" menu opens: its End chat item and the "End this chat?"
 * question that guards it. Loaded when the menu first opens (see end-menu.ts).
 */
import { html, unsafeCSS, type TemplateResult } from 'lit';
import { keepChatting } from './end-menu.js';
import { plainCss } from './launcher-basics.js';
import { secondaryCss } from './secondary-css.js';
import type { Panel } from './panel.js';
import { later } from './locales/en-later.js';
import { button } from './templates.js';

/** Added to the element's styles when this module arrives (see `Panel.use`). */
export const styles = unsafeCSS(secondaryCss + plainCss`
  ul{position:absolute;inset-inline-end:0;padding:4px;list-style:none;background:var(--parley-bg);color:var(--parley-fg);border:1px solid var(--parley-border);border-radius:8px}
  [role=menuitem]{padding:8px 12px;white-space:nowrap}
  .confirm{display:flex;flex-wrap:wrap;align-items:center;gap:8px;padding:8px 16px;background:var(--parley-surface)}
  .confirm p{width:100%}
`);

export function menuItems(p: Panel): TemplateResult {
  return html`<ul role="menu" part="menu" aria-label=${p.s.menu}>
    <li role="none"><button role="menuitem" data-action="end" @click=${() => ask(p)}>${later(p).endChat}</button></li>
  </ul>`;
}

export function question(p: Panel): TemplateResult {
  const s = later(p);
  return html`<div class="confirm" part="confirm" role="group" aria-labelledby="confirm-q">
    <p id="confirm-q">${s.endConfirm}</p>
    ${button('primary', 'confirm-end', () => end(p), s.endChat)} ${button('secondary', 'keep', () => keepChatting(p), s.keepChatting)}
  </div>`;
}

async function ask(p: Panel): Promise<void> {
  p.set({ menu: false, confirm: true });
  await p.focusAfter('confirm-end');
}

async function end(p: Panel): Promise<void> {
  p.set({ confirm: false });
  try {
    await p.host.end();
  } catch (err) {
    p.fail(err);
  }
  await p.focusAfter('new-chat', 'close');
}
