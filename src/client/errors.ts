/**
 * The client's errors: plain `ChatError` objects with a stable `code` that a UI maps to
 * words. The English `message` is for logs and developers, never for comparison: each
 * is written as `devText('…')`, which the script-tag build (whose widget words errors
 * by code) turns into an empty string, see dev-mode.ts.
 * Nothing here throws; callers decide whether an error rejects a promise or becomes an event.
 */
import { HTTP_ERROR_CODES } from '../protocol/index.js';
import type { ChatError } from './types.js';
import { DEV_MODE } from './dev-mode.js';

/** A developer message in builds that carry them, else empty (the minifier inlines it). */
export const devText = (text: string): string => (DEV_MODE ? text : '');

/** A `ChatError` with `code`, `message` and any extra fields (`field`, `size`, `limit`, `status`). */
export const chatError = (code: ChatError['code'], message: string, extra?: Partial<ChatError>): ChatError => ({
  ...extra,
  code,
  message,
});

/**
 * The error for a refused HTTP request, from its status and (when the relay sent one)
 * its `{error: {code, message}}` body.
 */
export function httpError(status: number, body: unknown): ChatError {
  const e = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return chatError(HTTP_ERROR_CODES[status] ?? 'network', typeof e?.message === 'string' ? e.message : devText(`HTTP ${status}`), { status });
}
