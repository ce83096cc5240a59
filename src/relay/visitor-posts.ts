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
import { readBody } from './body-reader.js';
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
  const body = await readBody(req, {
    limit: MAX_VISITOR_POST_BYTES,
    timeoutMs: ctx.options.uploadTimeoutMs,
    tooLarge: `a ${what} may be at most ${MAX_VISITOR_POST_BYTES} bytes`,
    stalled: 'the body stalled',
    interrupted: 'the request was interrupted',
  });
  if (!body.ok) return refuse(body.status, body.code, body.message);
  const text = body.data.toString('utf8');
  if (what === 'read') {
    const read = parseReadBody(text);
    if (!read.ok) return refuse(400, 'invalid', read.error.message);
    await ctx.conversations.sideChannels.visitorRead(conversation.id, read.frame.upToSeq);
  } else {
    const rating = parseRatingBody(text);
    if (!rating.ok) return refuse(400, 'invalid', rating.error.message);
    const r = await ctx.conversations.rate(conversation.id, rating.frame.value, rating.frame.comment);
    if (!r.ok) return refuse(httpStatusOf(r.error.code, 409), r.error.code, r.error.message);
  }
  res.writeHead(204, { ...headers, 'Cache-Control': 'no-store' });
  res.end();
}
