/**
 * `GET /v1/files/{fileId}`: the bytes of an uploaded file, to its conversation's
 * visitor token or any agent token, served so that a browser downloads it and never
 * runs it (attachment, nosniff, a sandboxing CSP). Anyone else gets 404.
 */
import { readFile } from 'node:fs/promises';
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
  send(req, res, fileId, ctx, headers).catch((err: unknown) => {
    ctx.log(`a download failed: ${String(err)}`);
    if (!res.headersSent) sendError(res, 500, 'invalid', 'could not read the file', headers);
    else res.destroy();
  });
}

async function send(req: IncomingMessage, res: ServerResponse, fileId: string, ctx: RelayContext, headers: Record<string, string>): Promise<void> {
  const token = bearer(req);
  const file = token ? await ctx.conversations.fileFor(fileId, token) : null;
  const data = file ? ((await ctx.conversations.fileBytes(fileId)) ?? (await legacyBytes(ctx, fileId))) : null;
  if (!file || !data) return sendError(res, 404, 'not_found', 'no such file', headers);
  res.writeHead(200, {
    ...headers,
    'Content-Type': file.mime,
    'Content-Length': String(data.length),
    'Content-Disposition': contentDisposition(file.name),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "sandbox; default-src 'none'",
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'private, no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : data);
}

/** Files uploaded before the store kept bytes lie in the data folder under their id. */
async function legacyBytes(ctx: RelayContext, fileId: string): Promise<Buffer | null> {
  try {
    return await readFile(join(ctx.options.filesDir, fileId));
  } catch {
    return null;
  }
}
