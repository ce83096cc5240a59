/**
 * Checks for the values that travel in frames and HTTP requests: email, text, ids,
 * file names. Each returns the normalised value or `null`; the parsers turn a `null`
 * into an `invalid` error naming the field. Shared by relay, client and widget so
 * that the widget refuses exactly what the relay would.
 */
import {
  MAX_EMAIL_LENGTH,
  MAX_FILE_NAME_BYTES,
  MAX_ID_LENGTH,
  MAX_NAME_LENGTH,
  MAX_TEXT_LENGTH,
} from './limits.js';

const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const LOCAL = new RegExp(`^${ATOM}(?:\\.${ATOM})*$`);
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * An email address in RFC 5322 dot-atom syntax (no quoted local parts, no comments),
 * with a dotted domain, at most 254 characters. Returns it trimmed with the domain
 * lower-cased, or `null`.
 */
export function normalizeEmail(input: string): string | null {
  const s = input.trim();
  if (s.length === 0 || s.length > MAX_EMAIL_LENGTH) return null;
  const at = s.lastIndexOf('@');
  if (at < 1) return null;
  const local = s.slice(0, at);
  const domain = s.slice(at + 1).toLowerCase();
  if (local.length > 64 || !LOCAL.test(local)) return null;
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return null;
  if (/^[0-9]+$/.test(labels[labels.length - 1]!)) return null;
  return `${local}@${domain}`;
}

/** True when a string has no lone UTF-16 surrogates (which cannot be stored or shown). */
export function isWellFormed(s: string): boolean {
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?:^|[^\ud800-\udbff])[\udc00-\udfff]/.test(s);
}

/** Length in code points, the unit the limits speak of. */
export function charLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

// C0 controls other than tab, line feed and carriage return; DEL.
const BAD_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * Message text: trimmed, 1 to `max` characters, well-formed, without control
 * characters other than tab and line breaks. Returns the trimmed text or `null`.
 */
export function normalizeText(input: string, max = MAX_TEXT_LENGTH): string | null {
  const s = input.trim();
  if (s.length === 0 || charLength(s) > max) return null;
  if (!isWellFormed(s) || BAD_CONTROLS.test(s)) return null;
  return s;
}

/** A one-line label (a visitor's name, a page title): trimmed, no controls; '' when empty. */
export function normalizeLine(input: string, max = MAX_NAME_LENGTH): string | null {
  const s = input.trim();
  if (charLength(s) > max || !isWellFormed(s) || /[\u0000-\u001f\u007f]/.test(s)) return null;
  return s;
}

const ID = /^[A-Za-z0-9_-]+$/;

/** An opaque identifier (conversation, request, file, agent): 1 to 64 of `A-Z a-z 0-9 _ -`. */
export function isOpaqueId(s: unknown): s is string {
  return typeof s === 'string' && s.length > 0 && s.length <= MAX_ID_LENGTH && ID.test(s);
}

/** A bearer secret (visitor or agent token) as the relay issues them: 16 to 256 base64url characters. */
export function isToken(s: unknown): s is string {
  return typeof s === 'string' && /^[A-Za-z0-9_-]{16,256}$/.test(s);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A client-made message id: a UUID in its canonical text form. */
export function isUuid(s: unknown): s is string {
  return typeof s === 'string' && UUID.test(s);
}

/**
 * A new client-made message id (`clientId`): a version 4 UUID, also where
 * `crypto.randomUUID` is missing (pages served over plain http).
 */
export function newUuid(): string {
  const c = globalThis.crypto;
  if (c.randomUUID) return c.randomUUID();
  // Each 0 of the pattern becomes a random hex digit; 4 is the version; 8 becomes one
  // of 8, 9, a, b (the variant); 1 marks a digit that is fully random as well.
  const r = c.getRandomValues(new Uint8Array(31));
  let i = 0;
  return '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (d) => (+d ^ (r[i++]! & (15 >> (+d / 4)))).toString(16));
}

/** UTF-8 byte length without TextEncoder allocations for ASCII. */
export function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

// Characters that change how a name looks without being seen: bidi embeddings,
// overrides and isolates, LRM/RLM and the Arabic letter mark, zero-width
// space/joiners and the BOM. With them, `invoice\u202Efdp.exe` shows as "invoiceexe.pdf".
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/**
 * `s` without the characters that change how text looks without being seen (bidi
 * controls, zero-width characters, the BOM): for the few places that cannot isolate
 * a string in markup, such as an `<option>`. Letters of right-to-left scripts stay.
 */
export function withoutInvisibles(s: string): string {
  return s.replace(INVISIBLE, '');
}

/**
 * A file name as people gave it, made safe to store and show: the last path segment,
 * no control characters, no bidi controls or zero-width characters, no leading dots,
 * at most 255 UTF-8 bytes (the extension is kept when it must be shortened). Returns
 * `null` when nothing usable remains.
 */
export function sanitizeFileName(input: string): string | null {
  if (!isWellFormed(input)) return null;
  let s = input.split(/[\\/]/).pop() ?? '';
  s = s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').replace(INVISIBLE, '').trim().replace(/^\.+/, '').trim();
  if (s.length === 0) return null;
  if (utf8Length(s) <= MAX_FILE_NAME_BYTES) return s;
  const dot = s.lastIndexOf('.');
  const ext = dot > 0 && s.length - dot <= 16 ? s.slice(dot) : '';
  let base = ext ? s.slice(0, dot) : s;
  const room = MAX_FILE_NAME_BYTES - utf8Length(ext);
  while (utf8Length(base) > room) base = Array.from(base).slice(0, -1).join('');
  return base + ext;
}

/** A media type as sent in `Content-Type`, reduced to `type/subtype`; otherwise octet-stream. */
export function normalizeMime(input: string | null | undefined): string {
  const m = (input ?? '').split(';')[0]!.trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/.test(m)
    ? m
    : 'application/octet-stream';
}
