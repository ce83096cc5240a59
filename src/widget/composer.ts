/**
 * The composer: the message box and Send button, the character counter near the limit
 * (counter.ts, loaded when first needed),
 * Enter to send (Shift+Enter for a new line) and the typing signal. For a customer the
 * site identified, the first message also starts the chat.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { MAX_TEXT_LENGTH } from '../protocol/limits.js';
import { charLength } from '../protocol/values.js';
import type { Panel } from './panel.js';
import { counter as counterPart } from './lazy.js';

/** How near the 4,000-character limit the counter appears. */
const COUNTER_FROM = MAX_TEXT_LENGTH - 400;

export function composer(p: Panel): TemplateResult {
  const { s, ui } = p;
  const { draft } = ui;
  const n = charLength(draft);
  const left = MAX_TEXT_LENGTH - n;
  const counter = n >= COUNTER_FROM;
  return html`<form class="composer" part="composer" @submit=${(e: Event) => onSend(p, e)}>
      <label class="sr" for="message">${s.message}</label>
      <textarea
        id="message"
        rows="1"
        .value=${draft}
        aria-describedby=${counter ? 'counter' : nothing}
        @input=${(e: Event) => {
          p.set({ draft: (e.target as HTMLTextAreaElement).value });
          p.typing.typed();
        }}
        @keydown=${(e: KeyboardEvent) => {
          // Enter sends; Shift+Enter (and Enter while an IME composes) makes a new line.
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            void onSend(p);
          }
        }}
      ></textarea>
      <button class="primary" type="submit" ?disabled=${left < 0 || !draft.trim() || ui.busy}>${s.send}</button>
    </form>
    ${counter ? (p.use(counterPart)?.counter(p, left) ?? nothing) : nothing}`;
}

async function onSend(p: Panel, e?: Event): Promise<void> {
  e?.preventDefault();
  const { ui, host } = p;
  const text = ui.draft;
  if (!text.trim() || charLength(text) > MAX_TEXT_LENGTH || ui.busy) return;
  if (host.identity && (p.st?.phase ?? 'idle') === 'idle') {
    // The site said who this is: the first message starts the chat (or, when nobody can
    // answer, is the message left for later).
    const away = p.away();
    p.set({ error: '' });
    if (!(await p.startChat(away ? { ...host.identity, message: text } : host.identity))) return;
    if (away) return p.set({ draft: '' });
  }
  const client = p.client;
  if (!client) return;
  p.set({ draft: '', error: '' });
  p.typing.stop();
  try {
    client.send(text);
  } catch (err) {
    p.fail(err, { draft: text });
  }
}
