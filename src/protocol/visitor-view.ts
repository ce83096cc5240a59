/**
 * The visitor's view of the log: the one function that decides what of an event a
 * visitor's socket may carry. Agent-only words (a transfer's note for the receiving
 * agent) are removed here, and only here; the relay passes every event bound for a
 * visitor through it, and the client passes what it receives through it again, so a
 * relay that forgot would still not put agents' words on a customer's screen.
 * Every event keeps its `seq`: a visitor's log has no gaps either.
 */
import type { LogEvent } from './events.js';

/** What a visitor may see of one event. Pure; returns the same object when nothing is hidden. */
export function visitorView(event: LogEvent): LogEvent {
  switch (event.type) {
    case 'transferred': {
      if (event.note === undefined) return event;
      const { note: _agentsOnly, ...rest } = event;
      return rest;
    }
    default:
      return event;
  }
}

/** `visitorView` over a list of events. */
export function visitorLog(events: readonly LogEvent[]): LogEvent[] {
  return events.map(visitorView);
}
