/**
 * The HTTP routes of the relay's one port: health, uploads, downloads, ratings and read marks,
 * availability, CORS preflights, the console and (with `--demo`) the demo page and widget. The
 * WebSocket upgrades are handled in `server.ts`, not here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, dirname } from 'node:path';
import { isOpaqueId } from '../protocol/index.js';
import type { RelayContext } from './context.js';
import { handleDownload } from './files.js';
import { corsHeaders, originAllowed, sendError, sendJson } from './http-util.js';
import { CONSOLE_HEADERS, resolveInside, sendFile } from './static.js';
import { packageVersion } from './package-root.js';
import { handleVisitorPost } from './visitor-posts.js';
import { handleTranscripts } from './transcript-routes.js';
import { handleUpload } from './uploads.js';

/** This relay's release, which `?v=` must name for the script tag's files to be cached for good. */
const RELEASE = packageVersion();

/**
 * Caching of the script tag's files. The widget's chunks (`parley-widget-<hash>.js`, …)
 * are named by their content, so a year and `immutable`; they are ES modules that a
 * page of another origin imports, so they carry CORS headers. The loader (`parley.js`)
 * and the locale files keep their names across releases: five minutes, unless the site
 * pins this very release with `?v=` (another version's pin must not cache this one's
 * files for a year). Each file's source map is named by a header rather than a
 * comment, sparing every page view those bytes.
 */
function scriptFileHeaders(name: string, pinned: boolean): [string, Record<string, string>] {
  const headers: Record<string, string> = { 'Cross-Origin-Resource-Policy': 'cross-origin' };
  if (name.endsWith('.js')) headers['SourceMap'] = `${name}.map`;
  if (name.startsWith('parley-')) return ['public, max-age=31536000, immutable', { ...headers, 'Access-Control-Allow-Origin': '*' }];
  return [pinned ? 'public, max-age=31536000, immutable' : 'public, max-age=300', headers];
}

/** How long `/healthz` waits for the store before it calls the relay unhealthy. */
const HEALTH_TIMEOUT_MS = 2_000;

/**
 * `/healthz`: 200 `{ok: true}` while the store answers, else 503 with the error body,
 * so a load balancer sends customers to a relay that can keep their messages.
 */
async function health(res: ServerResponse, ctx: RelayContext): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('the store did not answer in time')), HEALTH_TIMEOUT_MS);
  });
  try {
    await Promise.race([ctx.storeAnswers(), late]);
    sendJson(res, 200, { ok: true });
  } catch {
    sendError(res, 503, 'internal', 'the store does not answer', { 'Retry-After': '5' });
  } finally {
    clearTimeout(timer);
  }
}

/** Answers one HTTP request. Never throws. */
export function route(req: IncomingMessage, res: ServerResponse, ctx: RelayContext): void {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://relay.invalid');
  } catch {
    return sendError(res, 400, 'invalid', 'bad request target');
  }
  const path = url.pathname;
  const method = req.method ?? 'GET';

  if (path.startsWith('/v1/')) {
    if (!originAllowed(req, ctx.options.allowedOrigins)) return sendError(res, 403, 'forbidden', 'origin not allowed');
    if (handleTranscripts(req, res, url, ctx)) return;
    const cors = corsHeaders(req);
    if (method === 'OPTIONS') {
      res.writeHead(204, { ...cors, 'Content-Length': '0' });
      res.end();
      return;
    }
    const upload = /^\/v1\/uploads\/([^/]+)$/.exec(path);
    if (upload) {
      if (method !== 'POST') return sendError(res, 405, 'invalid', 'use POST', { ...cors, Allow: 'POST, OPTIONS' });
      if (!isOpaqueId(upload[1])) return sendError(res, 404, 'not_found', 'no such upload request', cors);
      return handleUpload(req, res, { requestId: upload[1] }, url, ctx, cors);
    }
    if (path === '/v1/rating' || path === '/v1/read') {
      if (method !== 'POST') return sendError(res, 405, 'invalid', 'use POST', { ...cors, Allow: 'POST, OPTIONS' });
      return handleVisitorPost(req, res, ctx, cors, path === '/v1/rating' ? 'rating' : 'read');
    }
    if (path === '/v1/availability') {
      if (method !== 'GET') return sendError(res, 405, 'invalid', 'use GET', { ...cors, Allow: 'GET, OPTIONS' });
      return void ctx.answering.answer().then(
        (answer) => sendJson(res, 200, answer, { ...cors, 'Cache-Control': 'no-store' }),
        () => sendError(res, 503, 'internal', 'the store does not answer', cors),
      );
    }
    const sent = /^\/v1\/agent-files\/([^/]+)$/.exec(path);
    if (sent) {
      if (method !== 'POST') return sendError(res, 405, 'invalid', 'use POST', { ...cors, Allow: 'POST, OPTIONS' });
      if (!isOpaqueId(sent[1])) return sendError(res, 404, 'not_found', 'no such conversation', cors);
      return handleUpload(req, res, { toConversation: sent[1] }, url, ctx, cors);
    }
    const file = /^\/v1\/files\/([^/]+)$/.exec(path);
    if (file) {
      if (method !== 'GET' && method !== 'HEAD') return sendError(res, 405, 'invalid', 'use GET', { ...cors, Allow: 'GET, HEAD, OPTIONS' });
      if (!isOpaqueId(file[1])) return sendError(res, 404, 'not_found', 'no such file', cors);
      return handleDownload(req, res, file[1], ctx, cors);
    }
    return sendError(res, 404, 'not_found', 'not found', cors);
  }

  if (method !== 'GET' && method !== 'HEAD') return sendError(res, 404, 'not_found', 'not found');
  if (path === '/healthz') return void health(res, ctx);
  if (path === '/console') {
    res.writeHead(301, { Location: `/console/${url.search}`, 'Content-Length': '0' });
    res.end();
    return;
  }
  if (path.startsWith('/console/')) return sendFile(req, res, resolveInside(ctx.options.consoleDir, path.slice('/console'.length)), 'no-cache', CONSOLE_HEADERS);
  // The script tag's files live beside each other; sites load them from the relay, so
  // they are served with or without --demo. See scriptFileHeaders.
  const script = /^\/(parley(?:[.-][\w-]+)*\.js(?:\.map)?)$/.exec(path);
  if (script) {
    const name = script[1]!;
    // The loader (and its map) may have another name on disk; the rest keep theirs.
    const file = name.startsWith('parley.js') ? basename(ctx.options.widgetFile) + name.slice('parley.js'.length) : name;
    return sendFile(req, res, resolveInside(dirname(ctx.options.widgetFile), `/${file}`), ...scriptFileHeaders(name, !!RELEASE && url.searchParams.get('v') === RELEASE));
  }
  if (ctx.options.demo) return sendFile(req, res, resolveInside(ctx.options.demoDir, path));
  return sendError(res, 404, 'not_found', 'not found');
}
