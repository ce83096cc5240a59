/**
 * The visitor's small POSTs, for what its socket cannot carry once it is closed (the
 * client closes it at the end, and it may be reconnecting): `POST /v1/rating`, the
 * customer's rating after the end (the `rate` frame's: once, after the end), and
 * `POST /v1/read`, a read mark (the `read` frame's), so that an answer the customer read
 * is not reported unseen. Each has the visitor token as for uploads (`Authorization:
 * Bearer`) and a small JSON body read by its frame's rules. Answers 204, or the error
 * body with the status of its code.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseRatingBody, parseReadBody, type ErrorCode } from '../protocol/index.js';
import { addressKey, requestAddress } from './client-address.js';
import type { RelayContext } from './context.js';
import { bearer, httpStatusOf } from './http-util.js';
import { drainRefused } from './uploads.js';

/** The largest body taken: a rating's comment of 1,000 characters fits several times over. */
export const MAX_VISITOR_POST_BYTES = 8 * 1024;

/** What a visitor POSTs: its rating, or a read mark. */
export type VisitorPost = 'rating' | 'read';

type Refuse = (status: number, code: ErrorCode, message: string) => void;

/** Handles one such request. Never throws; every failure is an HTTP answer. */
export function handleVisitorPost(req: IncomingMessage, res: ServerResponse, ctx: RelayContext, headers: Record<string, string>, what: VisitorPost): void {
  // What is left of a refused body is read and dropped, so the client reads the answer.
  let refusal: Refuse | null = null;
  const refuse: Refuse = (status, code, message) => (refusal ??= drainRefused(req, res, headers))(status, code, message);
  post(req, res, ctx, headers, refuse, what).catch((err: unknown) => {
    ctx.log(`storing a visitor's ${what} failed: ${String(err)}`);
    refuse(500, 'internal', `could not store the ${what}`);
  });
}

async function post(req: IncomingMessage, res: ServerResponse, ctx: RelayContext, headers: Record<string, string>, refuse: Refuse, what: VisitorPost): Promise<void> {
  if (!(await ctx.fileRequestLimiter.hit(addressKey(requestAddress(req, ctx.options.trustProxy))))) {
    return refuse(429, 'rate_limited', 'too many requests from this address; wait a minute');
  }
  const token = bearer(req);
  const conversation = token ? await ctx.conversations.conversationForToken(token) : null;
  if (!conversation) return refuse(401, 'unauthorized', 'a visitor token is required');
  if (Number(req.headers['content-length'] ?? 0) > MAX_VISITOR_POST_BYTES) {
    return refuse(413, 'too_large', `a ${what} may be at most ${MAX_VISITOR_POST_BYTES} bytes`);
  }
  const body = await readSmallBody(req, MAX_VISITOR_POST_BYTES, ctx.options.uploadTimeoutMs, what);
  if (!body.ok) return refuse(body.status, body.code, body.message);
  if (what === 'read') {
    const read = parseReadBody(body.text);
    if (!read.ok) return refuse(400, 'invalid', read.error.message);
    await ctx.conversations.sideChannels.visitorRead(conversation.id, read.frame.upToSeq);
  } else {
    const rating = parseRatingBody(body.text);
    if (!rating.ok) return refuse(400, 'invalid', rating.error.message);
    const r = await ctx.conversations.rate(conversation.id, rating.frame.value, rating.frame.comment);
    if (!r.ok) return refuse(httpStatusOf(r.error.code, 409), r.error.code, r.error.message);
  }
  res.writeHead(204, { ...headers, 'Cache-Control': 'no-store' });
  res.end();
}

/** A small body read whole as UTF-8 text, or why it was not. */
type SmallBody = { ok: true; text: string } | { ok: false; status: number; code: ErrorCode; message: string };

/** Reads a body of at most `limit` bytes (413 past it, 408 when it stalls, 400 when cut off). */
function readSmallBody(req: IncomingMessage, limit: number, timeoutMs: number, what: VisitorPost): Promise<SmallBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (b: SmallBody): void => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('aborted', interrupted);
      req.off('error', interrupted);
      resolve(b);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) return finish({ ok: false, status: 413, code: 'too_large', message: `a ${what} may be at most ${limit} bytes` });
      chunks.push(chunk);
    };
    const onEnd = (): void => finish({ ok: true, text: Buffer.concat(chunks, size).toString('utf8') });
    const interrupted = (): void => finish({ ok: false, status: 400, code: 'invalid', message: 'the request was interrupted' });
    const timer = setTimeout(() => finish({ ok: false, status: 408, code: 'timeout', message: 'the body stalled' }), timeoutMs);
    req.on('data', onData);
    req.on('end', onEnd);
    req.once('aborted', interrupted);
    req.once('error', interrupted);
  });
}
