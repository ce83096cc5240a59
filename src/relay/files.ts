/**
 * `GET /v1/files/{fileId}`: the bytes of an uploaded file, to its conversation's
 * visitor token or any agent token, served so that a browser downloads it and never
 * runs it (attachment, nosniff, a sandboxing CSP). Anyone else gets 404. The bytes come
 * from the store (so any relay serves any file), a bounded number at once.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RelayContext } from './context.js';
import { addressKey, requestAddress } from './client-address.js';
import { bearer, sendError } from './http-util.js';

/** `Content-Disposition: attachment` with an ASCII fallback and the exact name as RFC 5987 UTF-8. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const utf8 = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}

/** Handles one download. Never throws. */
export function handleDownload(req: IncomingMessage, res: ServerResponse, fileId: string, ctx: RelayContext, headers: Record<string, string>): void {
  send(req, res, fileId, ctx, headers).catch((err: unknown) => {
    ctx.log(`a download failed: ${String(err)}`);
    if (!res.headersSent) sendError(res, 500, 'internal', 'could not read the file', headers);
    else res.destroy();
  });
}

/**
 * Downloads being sent at once by one relay: each holds its file (at most 5 MB) in
 * memory until a slow reader has taken it, so past this many the next waits its turn
 * (429 with Retry-After).
 */
export const MAX_DOWNLOADS_AT_ONCE = 16;

async function send(req: IncomingMessage, res: ServerResponse, fileId: string, ctx: RelayContext, headers: Record<string, string>): Promise<void> {
  if (!(await ctx.fileRequestLimiter.hit(addressKey(requestAddress(req, ctx.options.trustProxy))))) {
    return sendError(res, 429, 'rate_limited', 'too many download requests from this address; wait a minute', { ...headers, 'Retry-After': '60' });
  }
  const token = bearer(req);
  const file = token ? await ctx.conversations.uploads.fileFor(fileId, token) : null;
  if (!file) return sendError(res, 404, 'not_found', 'no such file', headers);
  const head = {
    ...headers,
    'Content-Type': file.mime,
    'Content-Length': String(file.size),
    'Content-Disposition': contentDisposition(file.name),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "sandbox; default-src 'none'",
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'private, no-store',
  };
  // HEAD is answered from the metadata: the bytes are not read.
  if (req.method === 'HEAD') {
    res.writeHead(200, head);
    res.end();
    return;
  }
  if (ctx.downloads.sending >= MAX_DOWNLOADS_AT_ONCE) {
    return sendError(res, 429, 'rate_limited', 'too many downloads at once; try again in a moment', { ...headers, 'Retry-After': '1' });
  }
  ctx.downloads.sending++;
  let released = false;
  const release = (): void => {
    if (!released) ctx.downloads.sending--;
    released = true;
  };
  res.once('close', release);
  try {
    const data = await ctx.conversations.uploads.fileBytes(fileId);
    if (!data) return sendError(res, 404, 'not_found', 'no such file', headers);
    res.writeHead(200, { ...head, 'Content-Length': String(data.length) });
    res.end(data);
  } catch (err) {
    release();
    throw err;
  }
}
