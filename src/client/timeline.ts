/**
 * Builds what a chat view shows: the log's messages, notices and files in seq order,
 * then the messages the log does not hold yet, in send order. A message appears once:
 * its outbox entry is left out as soon as the log has its `clientId`.
 */
import type { LogEvent } from '../protocol/index.js';
import type { OutboxEntry } from './session.js';
import type { ChatMessage, NoticeEvent, TimelineItem } from './types.js';

/** A logged `message` event as a `ChatMessage` (always `sent`). */
export const loggedMessage = (e: Extract<LogEvent, { type: 'message' }>): ChatMessage => ({
  clientId: e.clientId,
  seq: e.seq,
  from: e.from,
  agent: e.agent,
  text: e.text,
  at: e.at,
  delivery: 'sent',
});

/** An outbox entry as the visitor's `ChatMessage`. */
export const outboxMessage = (o: OutboxEntry): ChatMessage => ({
  clientId: o.clientId,
  seq: o.seq,
  from: 'visitor',
  text: o.text,
  at: o.at,
  delivery: o.delivery,
  error: o.error,
});

/** The timeline of a log and an outbox; outbox entries already in the log are skipped. */
export function buildTimeline(log: readonly LogEvent[], outbox: readonly OutboxEntry[]): TimelineItem[] {
  const items: TimelineItem[] = [];
  const logged = new Set<string>();
  for (const e of log) {
    if (e.type === 'message') {
      logged.add(e.clientId);
      items.push({ kind: 'message', key: e.clientId, message: loggedMessage(e) });
    } else if (e.type === 'file') items.push({ kind: 'file', key: `e${e.seq}`, event: e });
    // Not notices: `requested`; `internal`, a routing event for agents only, which the relay
    // shows a visitor as just its seq; `rated`, the customer's own rating; a transfer to
    // an agent, since the customer hears only who joined (the `claimed` after it).
    else if (!/^(req|int|rat)/.test(e.type) && !(e.type == 'transferred' && 'agent' in e.to)) items.push({ kind: 'notice', key: `e${e.seq}`, event: e as NoticeEvent });
  }
  for (const o of outbox) {
    // `logged` also collects the outbox's own ids: two tabs may briefly hold one message each.
    if (!logged.has(o.clientId)) items.push({ kind: 'message', key: o.clientId, message: outboxMessage(o) });
    logged.add(o.clientId);
  }
  return items;
}
