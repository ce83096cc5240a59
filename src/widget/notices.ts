/**
 * Notices in words: what the log shows for claims, transfers, endings and upload
 * requests. Shared by the rendered log and the plain-text transcript so both say the
 * same thing. Returns plain strings; never markup.
 */
import type { NoticeEvent } from '../client/types.js';
import { format, type Strings } from './strings.js';

/** The sentence for one notice event of the log. */
export function noticeText(s: Strings, e: NoticeEvent): string {
  switch (e.type) {
    case 'claimed':
      return format(s.claimed, { name: e.agent.name });
    case 'transferred':
      return 'agent' in e.to ? format(s.transferredTo, { name: e.to.agent.name }) : s.transferredQueue;
    case 'upload_requested':
      return format(s.uploadAsked, { name: e.agent.name });
    case 'upload_canceled':
      return s.uploadCanceled;
    case 'ended':
      if (e.reason === 'blocked') return s.err_blocked;
      if (e.by === 'visitor') return s.endedByYou;
      if (e.by === 'agent') return format(s.endedByAgent, { name: e.agent?.name ?? s.title });
      return e.reason === 'idle' ? s.endedIdle : s.endedSystem;
  }
}
