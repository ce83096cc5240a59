/**
 * The small field reader behind the frame parsers: turns a JSON string into a plain
 * object and reads typed fields from it, throwing `FieldError` with the field's name.
 * Only own properties are read, so `__proto__` and `constructor` keys are inert.
 */
import type { ProtocolError } from './codes.js';
import { MAX_ID_LENGTH } from './limits.js';

export type Obj = Record<string, unknown>;

export class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Result of parsing one frame: the typed frame, or the refusal (with the request `id` when one was readable). */
export type ParseResult<F> =
  | { ok: true; frame: F }
  | { ok: false; error: ProtocolError; id?: string };

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Own property or undefined; `null` counts as absent. */
export function get(o: Obj, key: string): unknown {
  const v = Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
  return v === null ? undefined : v;
}

/** A required field, normalised by `check` (which returns `null` to refuse). */
export function req<T>(o: Obj, key: string, check: (v: unknown) => T | null, what: string): T {
  const v = get(o, key);
  if (v === undefined) throw new FieldError(key, `${key} is required`);
  const out = check(v);
  if (out === null) throw new FieldError(key, `${key} must be ${what}`);
  return out;
}

/** An optional field: absent gives `undefined`, present must pass `check`. */
export function opt<T>(o: Obj, key: string, check: (v: unknown) => T | null, what: string): T | undefined {
  return get(o, key) === undefined ? undefined : req(o, key, check, what);
}

/** The request id, when readable (used to address error replies). */
export function readId(o: Obj): string | undefined {
  const v = get(o, 'id');
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_ID_LENGTH ? v : undefined;
}

export const requestId = (v: unknown): string | null =>
  typeof v === 'string' && v.length > 0 && v.length <= MAX_ID_LENGTH ? v : null;

export const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);

export const seqNumber = (v: unknown): number | null =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null;

export const str =
  (f: (s: string) => string | null) =>
  (v: unknown): string | null =>
    typeof v === 'string' ? f(v) : null;

export const oneOf =
  <T extends string>(...values: T[]) =>
  (v: unknown): T | null =>
    values.includes(v as T) ? (v as T) : null;

/** Drops keys whose value is `undefined`, so parsed frames compare cleanly. */
export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/**
 * The one path of both readers below: `raw` must be JSON text of one object (`what` names
 * it in refusals); `pick` gives the reader for it or a refusal of its own, and a
 * `FieldError` from the reader becomes `invalid`. Refusals carry `id(o)` when given.
 */
function parseJson<T>(
  raw: string,
  what: string,
  pick: (o: Obj) => ((o: Obj) => T) | ProtocolError,
  id?: (o: Obj) => string | undefined,
): ParseResult<T> {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { ok: false, error: { code: 'bad_frame', message: `${what} is not valid JSON` } };
  }
  if (!isObj(data)) return { ok: false, error: { code: 'bad_frame', message: `${what} must be a JSON object` } };
  const ref = id?.(data);
  const read = pick(data);
  if (typeof read !== 'function') return { ok: false, id: ref, error: read };
  try {
    return { ok: true, frame: compact(read(data) as T & object) };
  } catch (e) {
    if (e instanceof FieldError) return { ok: false, id: ref, error: { code: 'invalid', field: e.field, message: e.message } };
    throw e;
  }
}

/**
 * Reads a raw JSON text that must be one object (an HTTP body) with `read`: the value,
 * or the refusal (`bad_frame` when it is no JSON object, `invalid` naming the field).
 * Never throws.
 */
export function parseObject<T>(raw: string, read: (o: Obj) => T): ParseResult<T> {
  return parseJson(raw, 'the body', () => read);
}

/**
 * Runs a frame table against a raw text frame: JSON object with a string `t` known to
 * the table, then that type's reader. Never throws.
 */
export function parseWith<F>(raw: string, table: Record<string, (o: Obj) => F>): ParseResult<F> {
  return parseJson(
    raw,
    'frame',
    (o) => {
      const t = get(o, 't');
      if (typeof t !== 'string') return { code: 'bad_frame', message: 'frame needs a string field t' };
      return Object.prototype.hasOwnProperty.call(table, t)
        ? table[t]!
        : { code: 'bad_frame', message: `unknown frame type ${JSON.stringify(t.slice(0, 40))}` };
    },
    readId,
  );
}
