/**
 * `GET /v1/files/{fileId}`: the bytes of an uploaded file, to its conversation's
 * visitor token or any agent token, served so that a browser downloads it and never
 * runs it (attachment, nosniff, a sandboxing CSP). Anyone else gets 404.
 */
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { RelayContext } from './context.js';
import { bearer, sendError } from './http-util.js';

/** `Content-Disposition: attachment` with an ASCII fallback and the exact name as RFC 5987 UTF-8. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const utf8 = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}

/** Handles one download. Never throws. */
export function handleDownload(req: IncomingMessage, res: ServerResponse, fileId: string, ctx: RelayContext, headers: Record<string, string>): void {
  const token = bearer(req);
  const file = token ? ctx.conversations.fileFor(fileId, token) : null;
  if (!file) return sendError(res, 404, 'not_found', 'no such file', headers);
  const stream = createReadStream(join(ctx.options.filesDir, file.path));
  stream.once('error', () => sendError(res, 404, 'not_found', 'no such file', headers));
  stream.once('open', () => {
    res.writeHead(200, {
      ...headers,
      'Content-Type': file.mime,
      'Content-Length': String(file.size),
      'Content-Disposition': contentDisposition(file.name),
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "sandbox; default-src 'none'",
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'private, no-store',
    });
    if (req.method === 'HEAD') {
      stream.destroy();
      res.end();
      return;
    }
    stream.pipe(res);
  });
}
