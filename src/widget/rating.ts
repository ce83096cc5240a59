/**
 * The rating step after a chat with an agent has ended: "How was this chat?", thumbs up
 * or down and an optional comment, in one step that the customer may skip; sent once
 * with the client's `rate()`. Part of after-parts.ts, loaded when the chat ends.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ChatError, ChatState } from '../client/types.js';
import type { RatingValue } from '../protocol/events.js';
import { MAX_NOTE_LENGTH } from '../protocol/limits.js';
import { plainCss } from './launcher-basics.js';
import { later } from './locales/en-later.js';
import type { Panel } from './panel.js';

export const ratingCss = plainCss`
  .rate{display:grid;gap:8px;padding:10px 12px;border-top:1px solid var(--parley-border)}
  .rate>div{display:flex;flex-wrap:wrap;align-items:center;gap:8px}
  .thumb{padding:4px 14px;border:1px solid var(--parley-border);border-radius:8px;font-size:20px}
  .thumb[aria-pressed=true]{border-color:var(--parley-accent);background:var(--parley-surface)}
`;

/** The step, once per chat that an agent took part in; thanks once sent; nothing once skipped or rated. */
export function rating(p: Panel, st: ChatState): TemplateResult | typeof nothing {
  const { ui } = p;
  const s = later(p);
  // The step's state is one chat's: another (started here, in another tab, or for
  // someone the site identified) starts afresh. Set while rendering, so no update follows.
  if (ui.rateFor !== st.conversationId) Object.assign(ui, { rateFor: st.conversationId, rating: undefined, rateNote: '', rated: undefined });
  if (ui.rated === 'sent') return html`<p class="notice" role="status">${s.rateThanks}</p>`;
  if (st.phase !== 'ended' || ui.rated || !st.events.some((e) => e.type === 'claimed') || st.events.some((e) => e.type === 'rated')) {
    return nothing;
  }
  const chosen = ui.rating;
  const thumb = (value: RatingValue, label: string, icon: string) =>
    html`<button type="button" class="thumb" data-action="rate-${value}" aria-pressed=${chosen === value} aria-label=${label} title=${label} @click=${() => p.set({ rating: value })}>
      ${icon}
    </button>`;
  return html`<form class="rate" part="rating" aria-labelledby="rate-q" @submit=${(e: Event) => send(p, e)}>
    <p id="rate-q">${s.rateAsk}</p>
    <div role="group" aria-labelledby="rate-q">${thumb('up', s.rateUp, '👍')}${thumb('down', s.rateDown, '👎')}</div>
    <textarea
      id="rate-note"
      rows="2"
      aria-label=${s.rateComment}
      placeholder=${s.rateComment}
      maxlength=${MAX_NOTE_LENGTH}
      .value=${ui.rateNote ?? ''}
      @input=${(e: Event) => p.set({ rateNote: (e.target as HTMLTextAreaElement).value })}
    ></textarea>
    <div>
      <button class="primary" type="submit" data-action="rate-send" ?disabled=${!chosen || ui.busy}>${s.rateSend}</button>
      <button type="button" class="link" data-action="rate-skip" @click=${() => done(p, 'skipped')}>${s.rateSkip}</button>
    </div>
  </form>`;
}

async function send(p: Panel, e: Event): Promise<void> {
  e.preventDefault();
  const { rating: value, rateNote, busy } = p.ui;
  if (!value || busy) return;
  p.set({ busy: true, error: '' });
  try {
    await p.client?.rate(value, rateNote?.trim() || undefined);
    done(p, 'sent');
  } catch (err) {
    // Rated already (in another tab): there is nothing left to ask.
    if ((err as ChatError).code === 'conflict') done(p, 'sent');
    else p.fail(err);
  } finally {
    p.set({ busy: false });
  }
}

/** The step is over: its controls go, and focus moves to what follows them. */
function done(p: Panel, how: 'sent' | 'skipped'): void {
  p.set({ rated: how });
  void p.focusAfter('new-chat', 'transcript', 'close');
}
