/**
 * Messages customers left while nobody could answer (`requested.offline`): what the
 * Messages list shows of one before it is opened, the first line of the customer's
 * message, cut to fit. Which chats are in the list is `leftMessagesOf` in
 * `selectors.ts`. Pure.
 */
import type { LogEvent } from '../protocol/index.js';

/** How many characters of a message's first line the Messages list shows. */
export const FIRST_LINE_LENGTH = 80;

/** The text of the customer's first message in a log, or null when it has none yet. */
export function leftTextOf(log: readonly LogEvent[]): string | null {
  for (const e of log) if (e.type === 'message' && e.from === 'visitor') return e.text;
  return null;
}

/** The first non-empty line of a text, at most `max` characters (whole code points), with "…" when cut. */
export function firstLineOf(text: string, max = FIRST_LINE_LENGTH): string {
  const line = text.split(/\r\n|\r|\n/).find((l) => l.trim() !== '')?.trim() ?? '';
  const chars = Array.from(line);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : line;
}
