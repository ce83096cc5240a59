/**
 * The launcher: the round button that opens and closes the panel, named by
 * `launcher-label` (or the locale's "Chat with us") with the count of unread answers
 * while the panel is closed, and the badge that shows that count (loaded on first use).
 */
import { html, nothing, type TemplateResult } from 'lit';
import { chatIcon, closeIcon } from './icons.js';
import { unreadBadge } from './lazy.js';
import type { Panel } from './panel.js';
import { format } from './strings.js';

export function launcher(p: Panel): TemplateResult {
  const { host, s } = p;
  const open = host.opened;
  const unread = open ? 0 : (p.st?.unread ?? 0);
  const label = host.launcherLabel || s.launcher;
  return html`<button
    id="launcher"
    class="launcher"
    part="launcher"
    aria-label=${unread ? `${label}, ${format(s.unread, { n: unread })}` : label}
    aria-expanded=${open}
    aria-controls=${open ? 'panel' : nothing}
    @click=${() => host.toggle()}
  >
    ${open ? closeIcon : chatIcon}
    ${unread ? (p.use(unreadBadge)?.badge(unread) ?? nothing) : nothing}
  </button>`;
}
