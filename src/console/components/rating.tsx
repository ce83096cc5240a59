/**
 * A customer's rating of a chat: "Rated 👍 ‘Quick and kind’". The thumb is an image
 * named for screen readers ("thumbs up"); the comment is what the customer typed, shown
 * bidi-isolated, and in a list cut short with the whole of it on hover. Shared by the
 * open chat, History's list and a past chat.
 */
import type { ShownRating } from '../ratings.js';
import { ratingWords } from '../words.js';
import { Typed } from './typed.js';

/** Props of `Rating`. */
export interface RatingProps {
  rating: ShownRating;
  /** Cut the comment to this many characters (a list's cell); default: the whole comment. */
  maxComment?: number;
  /** Leave out the word "Rated" (where a label already says it). */
  bare?: boolean;
}

function cut(text: string, max: number | undefined): string {
  const chars = Array.from(text);
  return max !== undefined && chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

/** One rating, inline. */
export function Rating({ rating, maxComment, bare }: RatingProps) {
  const thumb = ratingWords[rating.value];
  const comment = rating.comment;
  const shown = comment === null ? null : cut(comment, maxComment);
  return (
    <span class={`rating rating--${rating.value}`} title={shown !== comment ? (comment ?? undefined) : undefined}>
      {!bare && `${ratingWords.rated} `}
      <span role="img" aria-label={thumb.name}>
        {thumb.glyph}
      </span>
      {shown !== null && (
        <>
          {' ‘'}
          <Typed text={shown} />
          {'’'}
        </>
      )}
    </span>
  );
}
