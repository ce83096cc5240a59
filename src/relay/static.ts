/**
 * Static files: the agent console under `/console/`, the built widget at `/parley.js`
 * (with its language files), and with `--demo` the demo page at `/`. Paths are resolved inside their folder
 * only (no traversal), every answer carries `nosniff`, missing files are 404.
 */
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { sendError } from './http-util.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * The file for a URL path inside `root`, or null when the path is not inside it or
 * does not name a file. A path ending in `/` means its `index.html`.
 */
export function resolveInside(root: string, urlPath: string): string | null {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (rel.includes('\0') || rel.includes('\\')) return null;
  if (rel === '' || rel.endsWith('/')) rel += 'index.html';
  const base = resolve(root);
  const file = resolve(base, '.' + (rel.startsWith('/') ? rel : `/${rel}`));
  if (file !== base && !file.startsWith(base + sep)) return null;
  try {
    return statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}

/** Sends a file with its type and `nosniff`, or 404. */
export function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: string | null,
  cacheControl = 'no-cache',
  extraHeaders: Record<string, string> = {},
): void {
  if (file === null) return sendError(res, 404, 'not_found', 'not found');
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    return sendError(res, 404, 'not_found', 'not found');
  }
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': String(size),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': cacheControl,
    ...extraHeaders,
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const s = createReadStream(file);
  s.on('error', () => res.destroy());
  s.pipe(res);
}

/**
 * The console's policy: only its own script, styles and socket; no framing, so a
 * hostile page cannot overlay it (a `<meta>` policy cannot say `frame-ancestors`).
 */
export const CONSOLE_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' blob: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};
