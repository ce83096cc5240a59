/**
 * The plain-text transcript a customer downloads after a chat: made in the browser
 * from the client's timeline, one line per message, notice or file. Text only, so no
 * content of the chat can become markup or script in the file. Loaded on first use,
 * with the after-the-end actions (after-parts.ts) or the file rows, whose Download
 * saves through its `saveBlob`.
 */
import type { ChatState, TimelineItem } from '../client/types.js';
import { formatBytes } from '../protocol/format.js';
import { noticeText } from './notices.js';
import { format, type Strings } from './strings.js';

/** The transcript text for a timeline; `title` heads it, `you` names the customer. */
export function transcriptText(items: readonly TimelineItem[], s: Strings, title: string): string {
  const lines = [title, ''];
  for (const item of items) {
    if (item.kind === 'message') {
      const m = item.message;
      const who = m.from === 'visitor' ? s.you : (m.agent?.name ?? title);
      lines.push(`[${m.at}] ${who}: ${m.text.replace(/\n/g, '\n    ')}`);
    } else if (item.kind === 'file') {
      lines.push(`[${item.event.at}] ${item.event.name} (${formatBytes(item.event.size)})`);
    } else {
      lines.push(`[${item.event.at}] ${noticeText(s, item.event, format)}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Hands the person the transcript of `st` as `chat-<day it started>.txt`. */
export function downloadTranscript(st: ChatState, s: Strings, title: string): void {
  const day = (st.events[0]?.at ?? new Date().toISOString()).slice(0, 10);
  saveText(transcriptText(st.timeline, s, title), `chat-${day}.txt`);
}

/** Hands the person a text file to save, without a round trip to any server. */
export function saveText(text: string, fileName: string, doc: Document = document): void {
  saveBlob(new Blob([text], { type: 'text/plain;charset=utf-8' }), fileName, doc);
}

/** Hands the person a blob to save under `fileName`. */
export function saveBlob(blob: Blob, fileName: string, doc: Document = document): void {
  const url = URL.createObjectURL(blob);
  const a = doc.createElement('a');
  a.href = url;
  a.download = fileName;
  // Never rendered: it is clicked and removed in the same task.
  doc.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
