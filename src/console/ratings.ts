/**
 * The customer's rating of a chat as the console shows it: from the agents' fold
 * (`rating`) for a chat whose log is read, live or past, and from a transcript record
 * for History's list. A record's `rating` is checked here because the transcript
 * parser passes it through unchecked (and an older relay leaves it out). Pure.
 */
import type { RatingValue, TranscriptSummary } from '../protocol/index.js';
import type { ChatView } from './console-state.js';

/** A rating to show: thumbs up or down, with the customer's comment when they wrote one. */
export interface ShownRating {
  value: RatingValue;
  comment: string | null;
}

/** The rating in a chat's log (the agents' fold), or null while the customer gave none. */
export function ratingOfChat(chat: Pick<ChatView, 'state'>): ShownRating | null {
  const r = chat.state.rating;
  return r ? { value: r.value, comment: r.comment ?? null } : null;
}

/** The rating of a transcript record, or null when it has none or one the console cannot read. */
export function ratingOfRecord(record: Pick<TranscriptSummary, 'rating'>): ShownRating | null {
  const r: unknown = record.rating;
  if (typeof r !== 'object' || r === null) return null;
  const { value, comment } = r as { value?: unknown; comment?: unknown };
  if (value !== 'up' && value !== 'down') return null;
  return { value, comment: typeof comment === 'string' && comment !== '' ? comment : null };
}
