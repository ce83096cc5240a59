/**
 * The message log: messages (links made clickable, times in the widget's language,
 * delivery states, Retry), notices, file rows and the status line (queue position,
 * connecting, blocked). A live region, so new rows are announced. File rows (`files`)
 * and links (`links`) come from modules loaded when the first one shows: until then
 * the row is left out, or the text shown without links.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ChatState, TimelineItem } from '../client/types.js';
import { files, leave, links, notices } from './lazy.js';
import type { Panel } from './panel.js';
import { format, nth } from './strings.js';
import { button, fill, notice } from './templates.js';

/** A log time in the widget's language: "2:05 PM", "14:05". */
function timeOf(at: string, lang: string): string {
  return new Date(at).toLocaleTimeString(lang, { hour: 'numeric', minute: '2-digit' });
}

export function messageLog(p: Panel, st: ChatState | null): TemplateResult {
  const { s, ui } = p;
  const phase = st?.phase ?? 'idle';
  const items = st?.timeline ?? [];
  let status = '';
  let wait = 0;
  if (phase === 'queued') {
    const n = st!.queuePosition;
    // A message left while nobody could answer is not in the live line (leave-message.ts).
    status = st!.conversation.offline ? (p.use(leave)?.leftWaiting(p) ?? '') : n == null ? s.waiting : format(s.queue, { n: nth(n, s.nth) });
    wait = st!.queueWait ?? 0;
  } else if (phase === 'connecting' || (ui.busy && phase === 'idle')) status = s.connecting;
  else if (phase === 'blocked' && !items.some((i) => i.kind === 'notice' && i.event.type === 'ended')) status = s.err_blocked;
  else if (phase === 'idle' && !items.length) status = s.askAway;
  return html`<div id="log" class="log" part="log" role="log" aria-live="polite" aria-label=${p.title()} tabindex="0">
    ${items.map((i) => row(p, i))}
    ${status ? notice(status) : nothing} ${wait ? notice(format(s.wait, { n: Math.ceil(wait / 60) })) : nothing}
  </div>`;
}

function row(p: Panel, item: TimelineItem): TemplateResult | typeof nothing {
  const { s } = p;
  if (item.kind === 'notice') {
    const e = item.event;
    // The one notice of a typical chat is worded here; the others load with their words (notices.ts).
    return e.type === 'claimed' || e.type === 'joined' ? notice(fill(s.claimed, { name: e.agent.name })) : (p.use(notices)?.noticeRow(p, e) ?? nothing);
  }
  if (item.kind === 'file') return p.use(files)?.fileRow(p, item.event) ?? nothing;
  const m = item.message;
  const mine = m.from === 'visitor';
  const who = mine ? s.you : m.agent?.name || p.title();
  const delivery = mine ? s[m.delivery] : '';
  return html`<div class="msg ${m.from} ${m.delivery}" part="message message-${m.from}">
    ${mine ? html`<span class="sr">${who}:</span>` : html`<bdi class="meta">${who}</bdi>`}
    <div class="bubble" dir="auto">${(/https?:\/\//i.test(m.text) && p.use(links)?.linked(m.text)) || m.text}</div>
    <span class="meta"
      ><time datetime=${m.at}>${timeOf(m.at, p.loc.lang)}</time>${delivery ? html` · <span class="delivery">${delivery}</span>` : nothing}
      ${m.delivery === 'failed' && mine ? button('link', 'retry', () => p.client?.retry(m.clientId), s.retry) : nothing}</span
    >
  </div>`;
}
