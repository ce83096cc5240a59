/**
 * The SQL both stores share for `message.unseen` (docs/webhooks.md): a conversation's
 * `unseen_since` is the time of its oldest agent message that the customer has not read
 * (`visitor_read_seq`) and that no delivery has told of (`unseen_notified_seq`), or null.
 * An append with an agent message sets it when it is null; a read mark or a delivery
 * moves it on to the next such message, found in the log by this one subquery. Kept
 * apart so that the two stores cannot drift in what counts as unseen.
 */
import type { EventBody, LogEvent } from '../protocol/index.js';

/** How one SQL database reads a field of an event's JSON text. */
const FIELD: Record<'sqlite' | 'postgres', (field: string) => string> = {
  sqlite: (f) => `json_extract(e.body, '$.${f}')`,
  postgres: (f) => `(e.body::json ->> '${f}')`,
};

/**
 * The `at` of the conversation's first agent message with a seq above `afterSeq` (an SQL
 * expression over the row being updated), or null: for `SET unseen_since = …` in an
 * `UPDATE conversations`. Only messages have a `client_id`, which spares reading the others.
 */
export function firstUnseenAt(kind: 'sqlite' | 'postgres', afterSeq: string): string {
  const field = FIELD[kind];
  return `(SELECT ${field('at')} FROM events e
    WHERE e.conversation_id = conversations.id AND e.seq > ${afterSeq} AND e.client_id IS NOT NULL AND ${field('from')} = 'agent'
    ORDER BY e.seq LIMIT 1)`;
}

/** True when the events of an append include an agent message (which may start `unseen_since`). */
export const hasAgentMessage = (bodies: readonly (EventBody | LogEvent)[]): boolean => bodies.some((b) => b.type === 'message' && b.from === 'agent');
