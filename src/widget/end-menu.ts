/**
 * The header's "More options" button, while a chat goes on, and Escape, which closes
 * its menu or the end-chat question before the panel. What the menu opens (the End
 * chat item and the question) is in end-chat.ts, loaded when the menu first opens.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { moreIcon } from './icons.js';
import { endChat } from './lazy.js';
import type { Panel } from './panel.js';

export function endMenu(p: Panel): TemplateResult {
  const { s, ui } = p;
  return html`<div class="menu">
    <button
      class="icon"
      part="menu-button"
      data-action="menu"
      aria-label=${s.menu}
      aria-haspopup="menu"
      aria-expanded=${ui.menu}
      @click=${async () => {
        p.set({ menu: !ui.menu });
        if (ui.menu) await p.focusAfter('end');
      }}
    >
      ${moreIcon}
    </button>
    ${ui.menu ? (p.use(endChat)?.menuItems(p) ?? nothing) : nothing}
  </div>`;
}

/** The "End this chat?" question, while it is asked. */
export function endQuestion(p: Panel): TemplateResult | typeof nothing {
  return (p.ui.confirm && p.use(endChat)?.question(p)) || nothing;
}

/** Escape: closes the menu or withdraws the question; returns whether there was one. */
export function closeMenus(p: Panel): boolean {
  if (p.ui.menu) {
    p.set({ menu: false });
    void p.focusAfter('menu');
  } else if (p.ui.confirm) void keepChatting(p);
  else return false;
  return true;
}

/** The customer does not want to end the chat after all. */
export async function keepChatting(p: Panel): Promise<void> {
  p.set({ confirm: false });
  await p.focusAfter('message', 'menu');
}
