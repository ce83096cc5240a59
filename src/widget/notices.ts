/**
 * Notices in words: what the log shows for claims, agents joining and leaving,
 * transfers, upload requests and the end. Shared by the rendered log and the plain-text
 * transcript so both say the same thing. Loaded on first use (`notices` in lazy.ts),
 * with its strings: a typical chat shows only "… joined the chat", which the log
 * words itself (message-log.ts). The caller's `fill` puts names into the sentences:
 * `format` for plain text, or the log's filler that wraps each name in its own
 * `<bdi>`. Never markup made from a string.
 */
import { nothing, type TemplateResult } from 'lit';
import { files } from './lazy.js';
import type { NoticeEvent } from '../client/types.js';
import { later } from './locales/en-later.js';
import type { Panel } from './panel.js';
import type { Strings } from './strings.js';
import { fill, notice } from './templates.js';

/** Fills a sentence's `{name}` placeholders, as text (`format`) or as parts for the DOM. */
export type Fill<T> = (template: string, vars: Record<string, string>) => T;

/** The sentence for one notice event of the log. */
export function noticeText<T>(s: Strings, e: NoticeEvent, fill: Fill<T>): T | string {
  switch (e.type) {
    case 'claimed':
    case 'joined':
      return fill(s.claimed, { name: e.agent.name });
    case 'left':
      return fill(s.agentLeft, { name: e.agent.name });
    case 'transferred':
      return s.transferredQueue;
    case 'upload_requested':
      return fill(s.uploadAsked, { name: e.agent.name });
    case 'upload_canceled':
      return s.uploadCanceled;
    case 'ended':
      if (e.reason === 'blocked') return s.err_blocked;
      if (e.by === 'visitor') return s.endedByYou;
      if (e.by === 'agent') return fill(s.endedByAgent, { name: e.agent?.name ?? s.title });
      return e.reason === 'idle' ? s.endedIdle : e.reason === 'log_full' ? s.endedFull : s.endedSystem;
  }
}

/**
 * The log's row for a notice event. The open upload request shows as the prompt below
 * the log, not twice (and here while the prompt loads).
 */
export const noticeRow = (p: Panel, e: NoticeEvent): TemplateResult | typeof nothing =>
  e.type === 'upload_requested' && e.requestId === p.st?.openUpload?.requestId && files.m ? nothing : notice(noticeText(later(p), e, fill));
