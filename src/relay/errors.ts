/**
 * The relay's result type: a value or a protocol refusal with its stable code. Every
 * service call returns one of these instead of throwing, so handlers map refusals to
 * `error` frames or HTTP statuses in one place.
 */
import type { ErrorCode, ProtocolError } from '../protocol/index.js';

/** Success with a value, or a refusal. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ProtocolError };

/** A successful outcome. */
export const done = <T>(value: T): Outcome<T> => ({ ok: true, value });

/** A refusal with a code and words for people. */
export const fail = <T = never>(code: ErrorCode, message: string, field?: string): Outcome<T> => ({
  ok: false,
  error: field === undefined ? { code, message } : { code, field, message },
});
