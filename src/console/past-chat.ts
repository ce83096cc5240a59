/**
 * A past chat's record seen as a `ChatView`, so the History view shows it with the same
 * transcript component as a live chat: the log events as the log, the agents' notes as
 * notes, no outbox, nothing typing, and the record's downloads. Pure.
 */
import { foldAgentLog, type AgentNote, type LogEvent, type TranscriptRecord } from '../protocol/index.js';
import { newChat, type ChatView, type DownloadState } from './console-state.js';

/** The chat view of an ended chat's record. */
export function pastChatView(record: TranscriptRecord, downloads: Readonly<Record<string, DownloadState>> = {}): ChatView {
  const log: LogEvent[] = [];
  const notes: AgentNote[] = [];
  for (const e of record.events) {
    if (e.type === 'note') notes.push({ id: e.id, conversationId: record.conversationId, agent: e.agent, text: e.text, at: e.at });
    else {
      const { internal: _internal, ...event } = e;
      log.push(event as LogEvent);
    }
  }
  const state = foldAgentLog(log);
  return { ...newChat(record.conversationId, null), log, notes, state, loaded: true, readUpTo: state.lastSeq, downloads };
}
