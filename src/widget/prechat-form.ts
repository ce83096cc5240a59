/**
 * The pre-chat form: email (required) and name (optional), each refusal in words tied
 * to its field, checked as the relay checks them (src/protocol) before a chat starts.
 * A site that called `identify()` never shows it.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { MAX_NAME_LENGTH } from '../protocol/limits.js';
import { charLength, normalizeEmail } from '../protocol/values.js';
import type { Panel } from './panel.js';
import { leave } from './lazy.js';
import { errorLine } from './templates.js';

export function prechatForm(p: Panel): TemplateResult {
  const { s, ui } = p;
  const { busy } = ui;
  // Nobody can answer: the same form, with a message field (leave-message.ts).
  const l = p.away() ? p.use(leave)?.leaving(p) : undefined;
  return html`<form class="prechat" part="form" novalidate @submit=${(e: Event) => onStart(p, e)}>
    <p>${l?.intro ?? s.intro}</p>
    ${field(p, 'email', s.email, ui.emailError)}
    ${field(p, 'name', html`${s.name} <span class="opt">(${s.optional})</span>`, ui.nameError)}
    ${l?.field ?? nothing} ${errorLine(ui.formError)}
    <button class="primary" type="submit" aria-busy=${busy} aria-disabled=${busy}>${busy ? s.connecting : (l?.send ?? s.start)}</button>
  </form>`;
}

/** One labelled field, its refusal tied to it by `aria-describedby`. */
function field(p: Panel, id: 'email' | 'name', label: unknown, error: string | undefined): TemplateResult {
  const email = id === 'email';
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <input
      id=${id}
      name=${id}
      type=${email ? 'email' : 'text'}
      autocomplete=${id}
      ?required=${email}
      .value=${p.ui[id]}
      aria-invalid=${!!error}
      aria-describedby=${error ? `${id}-error` : nothing}
      @input=${(e: Event) => p.set({ [id]: (e.target as HTMLInputElement).value })}
    />
    ${error ? html`<p id="${id}-error" class="error">${error}</p>` : nothing}
  </div>`;
}

async function onStart(p: Panel, e: Event): Promise<void> {
  e.preventDefault();
  const { s, ui } = p;
  if (ui.busy) return;
  const email = normalizeEmail(ui.email);
  // The relay's own checks (src/protocol): the email exactly, the name by length.
  const name = ui.name.trim();
  const nameOk = charLength(name) <= MAX_NAME_LENGTH;
  const l = p.away() ? leave.m : undefined;
  const message = l?.check(p);
  p.set({ emailError: email ? '' : s.badEmail, nameError: nameOk ? '' : s.badName, formError: '' });
  if (!email || !nameOk || message === '') return p.focusAfter(email ? (nameOk ? 'leave' : 'name') : 'email');
  if (await p.startChat({ email, name: name || undefined, message })) {
    p.set({ leave: '' });
    await p.focusAfter('message');
  }
}
