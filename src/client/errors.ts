/**
 * The client's reading of a refused HTTP request (uploads, downloads) as a `ParleyError`
 * (src/protocol/errors.ts, the one error class): the code its status stands for, and the
 * relay's message when its body had one.
 */
import { HTTP_ERROR_CODES } from '../protocol/http-codes.js';
import { ParleyError, devText } from '../protocol/errors.js';

/**
 * The error for a refused HTTP request, from its status and (when the relay sent one)
 * its `{error: {code, message}}` body.
 */
export function httpError(status: number, body: unknown): ParleyError {
  const e = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return new ParleyError(HTTP_ERROR_CODES[status] ?? 'network', typeof e?.message === 'string' ? e.message : devText(`HTTP ${status}`), { status });
}
