/**
 * After the end of a chat: the rating step (rating.ts), "Start a new chat" (not for a
 * blocked visitor), which clears back to the form, and the download of the transcript,
 * made in the browser. Part of after-parts.ts, loaded on first use.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ChatState } from '../client/types.js';
import { plainCss } from './launcher-basics.js';
import type { Panel } from './panel.js';
import { later } from './locales/en-later.js';
import { button } from './templates.js';
import { downloadTranscript } from './transcript.js';
import { rating } from './rating.js';

export const afterCss = plainCss`
  .after{display:flex;flex-wrap:wrap;align-items:flex-end;gap:8px;padding:10px 12px;border-top:1px solid var(--parley-border)}
`;

export function afterChat(p: Panel, st: ChatState): TemplateResult {
  const s = later(p);
  return html`${rating(p, st)}<div class="after" part="actions">
    ${st.phase === 'ended' ? button('primary', 'new-chat', () => newChat(p), s.newChat) : nothing}
    ${st.timeline.length ? button('secondary', 'transcript', () => p.st && downloadTranscript(p.st, s, p.title()), s.transcript) : nothing}
  </div>`;
}

async function newChat(p: Panel): Promise<void> {
  p.client?.newChat();
  p.set({ error: '', fileError: '' });
  p.ask();
  await p.focusAfter('email', 'message');
}
