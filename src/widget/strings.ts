/**
 * Locale choice and string formatting for `<parley-chat>`: picks a table by language
 * tag, merges a site's overrides over it, fills `{name}` placeholders and puts client
 * errors into words by their stable code. Output is plain text for Lit to escape.
 */
import type { ChatError } from '../client/types.js';
import { en, type LoadedStrings, type StringKey, type Strings } from './locales/en.js';
import { baseLang } from './languages.js';

export { baseLang, LANGUAGES } from './languages.js';

export type { LoadedStrings, StringKey, Strings };

// English is built in; other tables register themselves (the npm entry imports them all,
// the script tag loads the one it needs as a separate small file).
const TABLES: Record<string, LoadedStrings> = { en };
const RTL = new Set(['ar', 'he', 'fa', 'ur']);


/** Makes a locale table available to every `<parley-chat>` (by base language: `es`). */
export function registerLocale(lang: string, table: Strings): void {
  TABLES[lang.toLowerCase()] = { ...en, ...table };
}

/** Whether a table for `lang`'s base language is registered. */
export function hasLocale(lang: string): boolean {
  return baseLang(lang) in TABLES;
}


/** A resolved locale: its language tag, text direction and string table (see `LoadedStrings`). */
export interface Locale {
  lang: string;
  dir: 'ltr' | 'rtl';
  strings: LoadedStrings;
}

/**
 * The table for a BCP 47 tag (`es-MX` uses `es`; unknown languages use English),
 * with `overrides` on top.
 */
export function resolveLocale(tag: string | undefined, overrides?: Partial<Strings> | null): Locale {
  const lang = baseLang(tag || 'en');
  const table = TABLES[lang] ?? en;
  return {
    lang: TABLES[lang] ? lang : 'en',
    dir: RTL.has(lang) && TABLES[lang] ? 'rtl' : 'ltr',
    strings: { ...table, ...overrides },
  };
}

/** `format('{n} left', { n: 3 })` → "3 left". Unknown placeholders stay as written. */
export function format(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/**
 * `n` with its ordinal ending from `endings`, the locale's `nth` ('th st nd rd' in
 * English: 1st, 2nd, 3rd, 11th, 23rd); '' for none (the number alone).
 */
export const nth = (n: number, endings: string): string =>
  n + (endings.split(' ')[((n % 100) - 11) >>> 0 < 3 ? 0 : n % 10 < 4 ? n % 10 : 0] ?? '');

/** A client or relay error in words, by its code. */
export function errorText(s: LoadedStrings, err: Pick<ChatError, 'code'>): string {
  const key = `err_${err.code}` as StringKey;
  return s[key] ?? s.err_other;
}
