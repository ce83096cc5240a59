/**
 * Small HTTP helpers shared by the routes: JSON and error answers in the one error
 * body shape (`{error: {code, message}}`) with the status of each code, the Bearer token reader, the origin check
 * and the CORS headers of docs/protocol.md, "CORS".
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTP_ERROR_CODES, isToken, type ErrorCode, type HttpErrorBody } from '../protocol/index.js';

/** Sends a JSON body with a status. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

/** The HTTP status of each error code, from the protocol's one table (an ended chat is a conflict). */
const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  ...Object.fromEntries(Object.entries(HTTP_ERROR_CODES).map(([status, code]) => [code, Number(status)])),
  ended: 409,
};

/** The HTTP status that answers a refusal with `code`; `fallback` for a code without one. */
export function httpStatusOf(code: ErrorCode, fallback = 400): number {
  return STATUS_OF[code] ?? fallback;
}

/** Sends `{error: {code, message}}` with a status. */
export function sendError(res: ServerResponse, status: number, code: ErrorCode, message: string, headers: Record<string, string> = {}): void {
  const body: HttpErrorBody = { error: { code, message } };
  sendJson(res, status, body, headers);
}

/** The Bearer token of a request when it has a well-formed one. */
export function bearer(req: IncomingMessage): string | null {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m && isToken(m[1]) ? m[1] : null;
}

/**
 * Whether a request's Origin may use the relay: every origin when no list is
 * configured, the relay's own origin (its console), and otherwise exact matches only.
 * A request without an Origin header (not from a browser page) is allowed.
 */
export function originAllowed(req: IncomingMessage, allowed: readonly string[] | null): boolean {
  const origin = req.headers.origin;
  if (origin === undefined || allowed === null) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/** CORS headers for an allowed cross-origin request (none when there is no Origin). */
export function corsHeaders(req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  if (origin === undefined) return {};
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': 'GET, POST',
    'Access-Control-Allow-Headers': 'Authorization, Content-Type',
    'Access-Control-Expose-Headers': 'Content-Disposition',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  };
}
