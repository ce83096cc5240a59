/**
 * The small templates every part of the panel uses: buttons that name their intent,
 * error lines, notices and `fill`, which puts names into sentences bidi-isolated.
 * Kept apart so that the parts loaded later share them instead of repeating them.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ChatState } from '../client/types.js';

/** A sentence with text and isolated names: what `fill` returns. */
export type Parts = (string | TemplateResult)[];

/** Whether a chat is going on: waiting in the queue or with an agent. */
export function isLive(st: ChatState | null): boolean {
  return st?.phase === 'queued' || st?.phase === 'active';
}

/** A button that names its intent in `data-action` (focus moves and tests find it by that). */
export function button(cls: string, action: string, onClick: (e: Event) => void, label: string): TemplateResult {
  return html`<button class=${cls} data-action=${action} @click=${onClick}>${label}</button>`;
}

/** A refusal or failure in words, announced at once; nothing when there is none. */
export function errorLine(text: string | Parts | undefined): TemplateResult | typeof nothing {
  return text ? html`<p class="error" role="alert">${text}</p>` : nothing;
}

/**
 * `format` for the DOM: each value filled in sits in its own `<bdi>`, so its bidi
 * controls stay inside it. Unknown placeholders stay as written, as with `format`.
 */
export function fill(template: string, vars: Record<string, string>): Parts {
  // split() with a capturing group puts the placeholder names at the odd indexes.
  return template.split(/\{(\w+)\}/).map((p, i) => (i % 2 ? html`<bdi>${vars[p] ?? `{${p}}`}</bdi>` : p));
}

/** One line of the log that is not a message: queue position, claims, the end. */
export function notice(text: string | Parts): TemplateResult {
  return html`<p class="notice" part="notice">${text}</p>`;
}
