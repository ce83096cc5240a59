/**
 * Leave a message: when nobody can answer now (the relay's availability), the pre-chat
 * form asks for the message too, and the chat it starts is a message left for later
 * (`hello.message`): outside the live line, answered here when an agent can, and read
 * by the customer the next time they open the widget. Loaded on first use (`leave` in
 * lazy.ts), with its strings.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { MAX_TEXT_LENGTH } from '../protocol/limits.js';
import { charLength } from '../protocol/values.js';
import { later } from './locales/en-later.js';
import type { Panel } from './panel.js';
import { format } from './strings.js';

/** What the pre-chat form shows when nobody can answer: its intro, the message field and the button's words. */
export function leaving(p: Panel): { intro: string; field: TemplateResult; send: string } {
  const s = later(p);
  const error = p.ui.leaveError;
  return {
    intro: s.leaveIntro,
    send: s.leaveSend,
    field: html`<div class="field">
      <label for="leave">${s.message}</label>
      <textarea
        id="leave"
        rows="4"
        required
        .value=${p.ui.leave ?? ''}
        aria-invalid=${!!error}
        aria-describedby=${error ? 'leave-error' : nothing}
        @input=${(e: Event) => p.set({ leave: (e.target as HTMLTextAreaElement).value })}
      ></textarea>
      ${error ? html`<p id="leave-error" class="error">${error}</p>` : nothing}
    </div>`,
  };
}

/** The message to leave, trimmed; '' after putting its refusal in place (empty, or over the limit). */
export function check(p: Panel): string {
  const s = later(p);
  const text = (p.ui.leave ?? '').trim();
  const over = charLength(text) - MAX_TEXT_LENGTH;
  p.set({ leaveError: !text ? s.leaveEmpty : over > 0 ? format(s.over, { n: over }) : '' });
  return text && over <= 0 ? text : '';
}

/** The line under a message left, while it waits for an answer. */
export const leftWaiting = (p: Panel): string => later(p).leftWaiting;
