/**
 * The languages Parley ships and how a tag maps to one, without the tables themselves:
 * the script tag's loader decides from these which table file to fetch.
 */

/** The languages that ship a table, built in or not. */
export const LANGUAGES = ['en', 'es', 'de', 'ar'] as const;

/** `es-MX` → `es`. */
export function baseLang(tag: string): string {
  return tag.toLowerCase().split('-')[0]!;
}
