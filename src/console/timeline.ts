/**
 * What a chat's transcript shows, in order: log events by seq with internal notes
 * placed by time among them, then replies still on their way. Pure; the transcript
 * component only renders these rows.
 */
import type { AgentNote, EventOf, LogEvent } from '../protocol/index.js';
import type { OutboxItem } from './connection.js';
import type { ChatView } from './console-state.js';

/** One row of the transcript. */
export type TimelineRow =
  | { kind: 'message'; key: string; event: EventOf<'message'> }
  | { kind: 'file'; key: string; event: EventOf<'file'> }
  | { kind: 'notice'; key: string; event: LogEvent }
  | { kind: 'note'; key: string; note: AgentNote }
  | { kind: 'pending'; key: string; item: OutboxItem };

function rowOf(e: LogEvent): TimelineRow {
  const key = `e${e.seq}`;
  if (e.type === 'message') return { kind: 'message', key, event: e };
  if (e.type === 'file') return { kind: 'file', key, event: e };
  return { kind: 'notice', key, event: e };
}

/** The rows of one chat. */
export function timelineOf(chat: Pick<ChatView, 'log' | 'notes' | 'outbox'>): TimelineRow[] {
  const rows: TimelineRow[] = [];
  let n = 0;
  const notes = chat.notes;
  for (const e of chat.log) {
    while (n < notes.length && notes[n]!.at < e.at) {
      rows.push({ kind: 'note', key: `n${notes[n]!.id}`, note: notes[n]! });
      n++;
    }
    rows.push(rowOf(e));
  }
  for (; n < notes.length; n++) rows.push({ kind: 'note', key: `n${notes[n]!.id}`, note: notes[n]! });
  for (const item of chat.outbox) rows.push({ kind: 'pending', key: `p${item.clientId}`, item });
  return rows;
}
