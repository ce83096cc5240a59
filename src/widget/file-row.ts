/**
 * A file of the conversation as a log row: its name, size and a Download button that
 * fetches it with the chat's token and hands it to the customer to save. Loaded on
 * first use: only a chat where someone uploaded a file has such rows.
 */
import { html, type TemplateResult } from 'lit';
import { plainCss } from './launcher-basics.js';
import type { TimelineItem } from '../client/types.js';
import { formatBytes } from '../protocol/format.js';
import type { Panel } from './panel.js';
import { later } from './locales/en-later.js';
import { saveBlob } from './transcript.js';
import { fill } from './templates.js';

export const fileRowCss = plainCss`
  .file{display:flex;justify-content:space-between;gap:8px;padding:8px 12px;border:1px solid var(--parley-border);border-radius:10px;overflow-wrap:anywhere}
`;

type FileEvent = Extract<TimelineItem, { kind: 'file' }>['event'];

export function fileRow(p: Panel, f: FileEvent): TemplateResult {
  return html`<div class="file" part="file">
    <span
      ><bdi>${f.name}</bdi> <span class="meta">(${formatBytes(f.size)})</span>${f.agent
        ? html`<br /><span class="meta">${fill(later(p).fileFrom, { name: f.agent.name })}</span>`
        : ''}</span
    >
    <button class="link" @click=${() => download(p, f)}>${later(p).download}<span class="sr"> <bdi>${f.name}</bdi></span></button>
  </div>`;
}

async function download(p: Panel, f: FileEvent): Promise<void> {
  try {
    saveBlob(await p.client!.download(f.fileId), f.name);
  } catch (err) {
    p.fail(err);
  }
}
