/**
 * The outbox's rules, as pure functions over its entries: one message of a tab on the
 * wire at a time, in the order they were typed, so a message held back (offline, or
 * refused `rate_limited`) is never overtaken; what a reply does to a message; what a
 * reload, another tab and an ended chat do. `ChatClient` holds the entries, sends and
 * keeps time; nothing here does.
 */
import { ParleyError, devText } from '../protocol/errors.js';
import type { LogEvent } from '../protocol/events.js';
import { MAX_TEXT_LENGTH } from '../protocol/limits.js';
import type { RelayToVisitorFrame } from '../protocol/frames.js';
import type { OutboxEntry } from './session.js';

type Outbox = readonly OutboxEntry[];

/**
 * Why `send()` cannot queue `text` (trimmed), or `null`: its length (the relay refuses
 * the rest, control characters and such, with `invalid`), a block, an ended chat, or no
 * chat at all.
 */
export const sendRefusal = (text: string, blocked: boolean, ended: boolean, noChat: boolean): ParleyError | null =>
  !text || [...text].length > MAX_TEXT_LENGTH
    ? new ParleyError('invalid', devText('Text must be 1 to 4000 characters'), { field: 'text' })
    : blocked
      ? new ParleyError('blocked', devText('Blocked'))
      : ended
        ? new ParleyError('ended', devText('Chat ended'))
        : noChat
          ? new ParleyError('not_found', devText('No chat open'))
          : null;

/** The outbox with one entry changed. */
export const patch = (outbox: Outbox, clientId: string, change: Partial<OutboxEntry>): OutboxEntry[] =>
  outbox.map((e) => (e.clientId == clientId ? { ...e, ...change } : e));

/** The message `tab` should send now: its first `queued` one, unless one of its messages is on the wire. */
export function nextToSend(outbox: Outbox, tab: string): OutboxEntry | undefined {
  const own = outbox.filter((e) => e.tab == tab);
  return own.some((e) => e.delivery == 'sending') ? undefined : own.find((e) => e.delivery == 'queued');
}

/**
 * What the relay's answer to a `send` does: an `ack` makes it `sent` with its seq; a lost
 * socket, a `rate_limited` refusal or a request settled without a reply puts it back in
 * the queue (it goes again, in order); any other refusal or a timeout makes it `failed`.
 */
export const replied = (outbox: Outbox, clientId: string, error: ParleyError | null, reply?: RelayToVisitorFrame): OutboxEntry[] =>
  patch(
    outbox,
    clientId,
    reply?.t == 'ack'
      ? { delivery: 'sent', seq: reply.seq, error: undefined }
      : !error || error.code == 'network' || error.code == 'rate_limited'
        ? { delivery: 'queued' }
        : { delivery: 'failed', error },
  );

/** After the chat ended nothing more can be logged: every unsent message fails with `error`. */
export const failUnsent = (outbox: Outbox, error: ParleyError): OutboxEntry[] =>
  outbox.map((e) => (e.delivery == 'queued' || e.delivery == 'sending' ? { ...e, delivery: 'failed', error } : e));

/**
 * A reload adopts the stored outbox: the tab that wrote it is gone (or, with two tabs
 * open, both may resend; the relay's idempotency on `clientId` keeps one copy), and
 * nothing of this tab is on the wire yet.
 */
export const adopt = (stored: Outbox, tab: string): OutboxEntry[] =>
  stored.map((e) => ({ ...e, tab, delivery: e.delivery == 'sending' ? 'queued' : e.delivery }));

/**
 * The outbox after another tab changed the stored one: this tab's own entries, and the
 * other tabs' that neither this outbox nor the log holds yet, in the order typed.
 */
export function withOtherTabs(outbox: Outbox, stored: Outbox, log: readonly LogEvent[], tab: string): OutboxEntry[] {
  const own = outbox.filter((e) => e.tab == tab);
  const skip = new Set([...own.map((e) => e.clientId), ...log.map((l) => (l.type == 'message' ? l.clientId : ''))]);
  return [...stored.filter((e) => e.tab != tab && !skip.has(e.clientId)), ...own].sort((a, b) => a.at.localeCompare(b.at));
}
