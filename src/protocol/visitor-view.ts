/**
 * The visitor's view of the log: the one place that decides what of an event a
 * visitor's socket may carry. Agent-only words (a transfer's note for the receiving
 * agent) are removed, and routing events that are for agents only (offers, transfer
 * requests, invitations: `AGENT_ONLY_TYPES`) become `{ "type": "internal" }` with their
 * `seq` and `at`, so a visitor's log has no gaps either. The relay passes every event
 * bound for a visitor through it, and nothing else decides this.
 */
import { AGENT_ONLY_TYPES, type EventType, type LogEvent } from './events.js';

/** What a visitor may see of one event. Pure; returns the same object when nothing is hidden. */
export function visitorView(event: LogEvent): LogEvent {
  if ((AGENT_ONLY_TYPES as readonly EventType[]).includes(event.type as EventType)) return { type: 'internal', seq: event.seq, at: event.at };
  if (event.type !== 'transferred' || event.note === undefined) return event;
  const { note: _agentsOnly, ...rest } = event;
  return rest;
}

/** `visitorView` over a list of events. */
export function visitorLog(events: readonly LogEvent[]): LogEvent[] {
  return events.map(visitorView);
}
