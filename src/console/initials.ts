/**
 * The letters on a tile's avatar: the customer's initials from their first and last
 * name, else the first letter of their email. Pure; invisible and bidi characters are
 * dropped first so that they cannot make an empty or reordered avatar.
 */
import { withoutInvisibles, type Visitor } from '../protocol/index.js';

/** The first letter or digit of a word (a whole code point), upper-cased. */
function firstLetter(word: string): string {
  const c = /[\p{L}\p{N}]/u.exec(word)?.[0];
  return c ? c.toLocaleUpperCase() : '';
}

/**
 * "AL" for Ann Lee, "AL" for Ann Maria Lee (first and last name), "A" for Ann, "B" for
 * bea@example.com without a name, "?" with neither.
 */
export function initialsOf(visitor: Partial<Visitor> | null | undefined): string {
  const words = withoutInvisibles(visitor?.name ?? '')
    .split(/\s+/u)
    .filter((w) => firstLetter(w) !== '');
  if (words.length > 0) {
    const first = firstLetter(words[0]!);
    return words.length > 1 ? first + firstLetter(words[words.length - 1]!) : first;
  }
  return firstLetter(withoutInvisibles(visitor?.email ?? '')) || '?';
}
