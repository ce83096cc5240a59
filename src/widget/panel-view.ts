/**
 * The open panel: its header (title, agent, menu, close), the end-chat question, the
 * connection bar and its body: the pre-chat form, or the chat (log, typing line, upload
 * prompt, error line, and the composer or, after the end, New chat and Transcript).
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ChatState } from '../client/types.js';
import { composer } from './composer.js';
import { endMenu, endQuestion } from './end-menu.js';
import { closeIcon } from './icons.js';
import { after, files } from './lazy.js';
import { messageLog } from './message-log.js';
import type { Panel } from './panel.js';
import { prechatForm } from './prechat-form.js';
import { errorText } from './strings.js';
import { errorLine, fill, isLive } from './templates.js';

export function panelView(p: Panel): TemplateResult {
  const { s, st, host } = p;
  const phase = st?.phase ?? 'idle';
  const live = isLive(st);
  const showForm = !host.identity && (phase === 'idle' || (phase === 'connecting' && p.ui.busy));
  let bar = '';
  if (st && (live || phase === 'connecting')) {
    if (st.connection === 'reconnecting') bar = s.reconnecting;
    else if (st.connection === 'offline' && phase !== 'connecting') bar = s.offline;
  }
  return html`<section id="panel" class="panel" part="panel" role="dialog" aria-labelledby="title">
    <div class="head" part="header">
      <div class="heading">
        <h2 id="title" part="title">${p.title()}</h2>
        ${st?.agent
          ? html`<p class="who" part="agent"><bdi>${st.agent.name}</bdi></p>`
          : phase === 'idle' && p.ui.avail
            ? html`<p class="who" part="availability">${p.away() ? s.away : s.replies}</p>`
            : nothing}
      </div>
      ${live ? endMenu(p) : nothing}
      <button class="icon" part="close-button" data-action="close" aria-label=${s.close} @click=${() => host.close()}>${closeIcon}</button>
    </div>
    ${live ? endQuestion(p) : nothing}
    ${bar ? html`<div class="bar" part="status" role="status">${bar}</div>` : nothing}
    <div class="body">
      ${showForm ? (p.ui.avail?.identityRequired ? html`<p class="prechat" part="sign-in">${s.err_unverified}</p>` : prechatForm(p)) : chat(p, st)}
    </div>
  </section>`;
}

function chat(p: Panel, st: ChatState | null): TemplateResult {
  const { s } = p;
  const phase = st?.phase ?? 'idle';
  const live = isLive(st);
  // The client's last error, while the chat goes on; a lost socket has its own bar.
  const late = live && st!.error && !/^(network|timeout)$/.test(st!.error.code);
  return html`${messageLog(p, st)}
    ${st?.agentTyping && st.agent ? html`<p class="typing">${fill(s.typing, { name: st.agent.name })}</p>` : nothing}
    ${st?.openUpload && live ? (p.use(files)?.uploadPrompt(p, st) ?? nothing) : nothing}
    ${errorLine(p.ui.error || (late ? errorText(s, st!.error!) : ''))}
    ${phase === 'ended' || phase === 'blocked' ? (p.use(after)?.afterChat(p, st!) ?? nothing) : composer(p)}`;
}
