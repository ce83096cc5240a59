/**
 * The client's errors: plain `ChatError` objects with a stable `code` that a UI maps to
 * words. The English `message` is for logs and developers, never for comparison (the
 * script-tag build, whose widget words errors by code, leaves these messages empty).
 * Nothing here throws; callers decide whether an error rejects a promise or becomes an event.
 */
import type { ChatError } from './types.js';

/** A `ChatError` with `code`, `message` and any extra fields (`field`, `size`, `limit`, `status`). */
export const chatError = (code: ChatError['code'], message: string, extra?: Partial<ChatError>): ChatError => ({
  ...extra,
  code,
  message,
});

/** The protocol code for each HTTP status the upload and file endpoints answer with. */
const STATUS: Record<number, ChatError['code']> = {
  400: 'invalid',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  408: 'timeout',
  409: 'conflict',
  413: 'too_large',
  429: 'rate_limited',
};

/**
 * The error for a refused HTTP request, from its status and (when the relay sent one)
 * its `{error: {code, message}}` body.
 */
export function httpError(status: number, body: unknown): ChatError {
  const e = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return chatError(STATUS[status] ?? 'network', typeof e?.message === 'string' ? e.message : `HTTP ${status}`, { status });
}
