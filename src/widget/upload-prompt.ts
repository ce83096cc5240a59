/**
 * The upload prompt, shown while an agent's request for a file is open: the agent's
 * note, a file chooser with the limit, refusals of a file too big or empty before any
 * byte is sent, then progress with Cancel, or Retry after a failure. Loaded when the
 * first request shows: most chats never see one.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { plainCss } from './launcher-basics.js';
import type { ChatState } from '../client/types.js';
import { formatBytes } from '../protocol/format.js';
import type { Panel } from './panel.js';
import { later } from './locales/en-later.js';
import { errorText, format } from './strings.js';
import { button, errorLine, fill } from './templates.js';

export const uploadCss = plainCss`
  .upload{display:grid;gap:8px;margin:0 12px 8px;padding:12px;border-radius:10px;background:var(--parley-surface)}
  .row{display:flex;flex-wrap:wrap;align-items:center;gap:8px}
  .row:focus-within>label{outline:3px solid var(--parley-accent);outline-offset:2px}
  strong{font-weight:600}
  progress{flex:1;accent-color:var(--parley-accent)}
`;

/** The file each panel chose last, for Retry. */
const lastFile = new WeakMap<Panel, File>();

/** The prompt for `st.openUpload`, which the caller has checked is set. */
export function uploadPrompt(p: Panel, st: ChatState): TemplateResult {
  const s = later(p);
  const req = st.openUpload!;
  const up = st.upload?.requestId === req.requestId ? st.upload : null;
  const cancel = button('secondary', 'cancel-upload', () => p.client?.cancelUpload(), s.cancel);
  let body: TemplateResult;
  if (up?.status === 'uploading') {
    const pct = up.total ? Math.min(100, Math.round((up.loaded / up.total) * 100)) : 0;
    body = html`<label for="progress">${fill(s.uploading, { file: up.fileName })}</label>
      <div class="row">
        <progress id="progress" max="100" .value=${pct}></progress><span class="pct">${pct}%</span>
        ${cancel}
      </div>`;
  } else if (up?.status === 'failed') {
    body = html`${errorLine([...fill(s.uploadFailed, { file: up.fileName }), ` ${up.error ? errorText(s, up.error) : ''}`])}
      <div class="row">${button('primary', 'retry-upload', () => retry(p), s.retry)} ${cancel}</div>`;
  } else {
    body = html`<div class="row">
      <input id="file" class="sr" type="file" aria-describedby="file-limit" @change=${(e: Event) => onFile(p, e)} />
      <label for="file" class="secondary">${s.chooseFile}</label>
      <span id="file-limit" class="meta">${format(s.upTo, { size: formatBytes(req.maxBytes) })}</span>
    </div>`;
  }
  return html`<div class="upload" part="upload" role="group" aria-labelledby="upload-title">
    <p id="upload-title"><strong>${fill(s.uploadAsked, { name: req.agent.name })}</strong></p>
    ${req.note ? html`<p><bdi>${req.note}</bdi></p>` : nothing} ${body} ${errorLine(p.ui.fileError)}
  </div>`;
}

function onFile(p: Panel, e: Event): void {
  const input = e.target as HTMLInputElement;
  const file = input.files?.[0];
  input.value = '';
  const req = p.st?.openUpload;
  if (!file || !req) return;
  const s = later(p);
  const vars = { file: file.name, size: formatBytes(file.size), limit: formatBytes(req.maxBytes) };
  // Refused here, at once: nothing is sent.
  const refusal = file.size > req.maxBytes ? fill(s.tooBig, vars) : file.size ? '' : fill(s.empty, vars);
  p.set({ fileError: refusal });
  if (refusal) return;
  lastFile.set(p, file);
  retry(p);
}

/** Uploads the last file chosen. Progress and failure come back through the client's state. */
function retry(p: Panel): void {
  const file = lastFile.get(p);
  if (file) p.client?.upload(file).catch(() => undefined);
}
