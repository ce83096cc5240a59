/**
 * `POST /v1/uploads/{requestId}?name=`: checks the visitor token and the open upload
 * request (or, for `POST /v1/agent-files/{conversationId}?name=`, the token of an agent
 * in that chat, who sends the customer a file), reads the body (at most 5 MB, so in memory) and stops at byte 5,242,881
 * whatever Content-Length says (413), or when the body stalls (408). Only then are
 * the bytes stored (in the database, so any relay serves the download) with the
 * `file` event, and the 201 leaves once both are committed. A customer's body that
 * fails (413, 408, cut off) is also an `upload_failed` event for the agents.
 *
 * A refusal usually comes while the client is still sending (a Content-Length over
 * 5 MB is refused before a byte is read). Node closes the socket of a finished
 * `Connection: close` answer at once, and closing a socket with unread bytes makes the
 * kernel send a reset, which can reach the client before it has read the answer. So a
 * refusal is written whole but finished only once the rest of the body has been read
 * and dropped: within DRAIN_MAX_BYTES and DRAIN_MAX_MS, past which the socket is cut.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_FILE_BYTES, normalizeMime, sanitizeFileName, type AgentRef, type ErrorCode, type HttpErrorBody, type UploadFailure, type UploadResult } from '../protocol/index.js';
import type { RelayContext } from './context.js';
import { addressKey, requestAddress } from './client-address.js';
import { readBody } from './body-reader.js';
import { bearer, httpStatusOf, sendError, sendJson } from './http-util.js';
import { newId } from './ids.js';


/** How long a refused upload's body is still read (and dropped) before its connection is cut. */
export const DRAIN_MAX_MS = 10_000;
/** How many bytes of a refused upload's body are still read (and dropped) before its connection is cut. */
export const DRAIN_MAX_BYTES = 2 * MAX_FILE_BYTES;
/**
 * Whose upload this is: the customer answering an open upload request
 * (`POST /v1/uploads/{requestId}`, visitor token), or an agent sending the customer a file
 * (`POST /v1/agent-files/{conversationId}`, the token of its owner or a guest).
 */
export type UploadKind = { requestId: string } | { toConversation: string };

/** Handles one upload request. Never throws; every failure is an HTTP answer. */
export function handleUpload(req: IncomingMessage, res: ServerResponse, kind: UploadKind, url: URL, ctx: RelayContext, headers: Record<string, string>): void {
  // The rest of a refused body is read and dropped, from the refusal on (not before:
  // an accepted body is read by `readBody`).
  let refusal: ReturnType<typeof drainRefused> | null = null;
  const refuse = (status: number, code: ErrorCode, message: string): void => (refusal ??= drainRefused(req, res, headers))(status, code, message);
  receive(req, res, kind, url, ctx, headers, refuse).catch((err: unknown) => {
    ctx.log(`storing an upload failed: ${String(err)}`);
    refuse(500, 'internal', 'could not store the file');
  });
}

/** Where an upload goes once its sender is checked: the conversation, the request (or a new id), the agent if one sends it. */
interface Target {
  conversationId: string;
  requestId: string;
  agent: AgentRef | null;
}

/** Checks the sender's token and right to send; a `Target`, or an `Outcome` refusal with its HTTP status. */
async function targetOf(req: IncomingMessage, kind: UploadKind, ctx: RelayContext): Promise<Target | { status: number; code: ErrorCode; message: string }> {
  const token = bearer(req);
  const up = ctx.conversations.uploads;
  if ('requestId' in kind) {
    if (!token || !(await ctx.conversations.conversationForToken(token))) return { status: 401, code: 'unauthorized', message: 'a visitor token is required' };
    const t = await up.uploadTarget(kind.requestId, token);
    if (!t.ok) return { status: httpStatusOf(t.error.code), ...t.error };
    return { conversationId: t.value.conversationId, requestId: kind.requestId, agent: null };
  }
  const account = token ? await ctx.conversations.agents.forToken(token) : null;
  if (!account) return { status: 401, code: 'unauthorized', message: 'an agent token is required' };
  const agent = { id: account.id, name: account.name };
  const t = await up.agentFileTarget(agent, kind.toConversation);
  if (!t.ok) return { status: httpStatusOf(t.error.code), ...t.error };
  return { conversationId: kind.toConversation, requestId: newId(), agent };
}

/** What an `upload_failed` event says for a body that failed as `code`. */
const FAILURES: Partial<Record<ErrorCode, UploadFailure>> = { too_large: 'too_large', timeout: 'timeout', invalid: 'interrupted' };

async function receive(
  req: IncomingMessage,
  res: ServerResponse,
  kind: UploadKind,
  url: URL,
  ctx: RelayContext,
  headers: Record<string, string>,
  refuse: (status: number, code: ErrorCode, message: string) => void,
): Promise<void> {
  if (!(await ctx.fileRequestLimiter.hit(addressKey(requestAddress(req, ctx.options.trustProxy))))) {
    return refuse(429, 'rate_limited', 'too many upload requests from this address; wait a minute');
  }
  const target = await targetOf(req, kind, ctx);
  if ('status' in target) return refuse(target.status, target.code, target.message);
  const { conversationId, requestId, agent } = target;
  // A customer's upload that fails here is an event the agents see (the request stays open).
  const failed = async (status: number, code: ErrorCode, message: string): Promise<void> => {
    const reason = FAILURES[code];
    if (!agent && reason) await ctx.conversations.uploads.uploadFailed(conversationId, requestId, reason);
    refuse(status, code, message);
  };
  const name = sanitizeFileName(url.searchParams.get('name') ?? '');
  if (name === null) return refuse(400, 'invalid', 'name must be a usable file name');
  const declared = req.headers['content-length'];
  if (declared !== undefined) {
    const n = Number(declared);
    if (n > MAX_FILE_BYTES) return failed(413, 'too_large', `files may be at most ${MAX_FILE_BYTES} bytes`);
    if (n === 0) return refuse(400, 'invalid', 'the file is empty');
  }
  // One body at a time per request (per agent and chat for agents' files): otherwise one
  // open request would let a visitor send many 5 MB bodies at once.
  const flight = agent ? `${conversationId}:${agent.id}` : requestId;
  if (ctx.uploadsInFlight.has(flight)) return refuse(409, 'conflict', 'a file is already being uploaded for this request');
  ctx.uploadsInFlight.add(flight);
  let data: Buffer;
  try {
    const body = await readBody(req, {
      limit: MAX_FILE_BYTES,
      timeoutMs: ctx.options.uploadTimeoutMs,
      tooLarge: `files may be at most ${MAX_FILE_BYTES} bytes`,
      stalled: 'the upload stalled',
      interrupted: 'the upload was interrupted',
    });
    if (!body.ok) return await failed(body.status, body.code, body.message);
    data = body.data;
  } finally {
    ctx.uploadsInFlight.delete(flight);
  }
  if (data.length === 0) return refuse(400, 'invalid', 'the file is empty');
  const mime = normalizeMime(req.headers['content-type']);
  const fileId = newId();
  const rec = { fileId, conversationId, requestId, name, size: data.length, mime, at: new Date(ctx.options.now()).toISOString() };
  // Resolves once the file and its event are committed: only then is the answer sent.
  const r = agent ? await ctx.conversations.uploads.agentFileSent(agent, rec, data) : await ctx.conversations.uploads.fileUploaded(rec, data);
  if (!r.ok) return refuse(httpStatusOf(r.error.code, 409), r.error.code, r.error.message);
  const result: UploadResult = { fileId, name, size: data.length, mime };
  sendJson(res, 201, result, headers);
}

/**
 * Starts reading and dropping what is left of a refused request's body, and returns
 * the function that sends the refusal (once, when the store has committed). The answer
 * is written whole at once, with `Connection: close`, but the response is finished (and
 * so the socket closed, by Node) only after the body has ended; a body that goes past
 * DRAIN_MAX_BYTES or lasts past DRAIN_MAX_MS gets its socket destroyed instead.
 */
export function drainRefused(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): (status: number, code: ErrorCode, message: string) => void {
  let bodyEnded = req.readableEnded || req.destroyed;
  let answered = false;
  let dropped = 0;
  let timer: NodeJS.Timeout | undefined;
  const finish = (): void => {
    clearTimeout(timer);
    req.off('data', onData);
  };
  const cut = (): void => {
    finish();
    req.socket.destroy();
  };
  const onData = (chunk: Buffer): void => {
    dropped += chunk.length;
    if (dropped > DRAIN_MAX_BYTES) cut();
  };
  if (!bodyEnded) {
    req.on('data', onData);
    req.once('end', () => {
      bodyEnded = true;
      finish();
      if (answered) res.end();
    });
    // The client went away (or the socket was cut): nothing more to wait for.
    req.once('close', finish);
    timer = setTimeout(cut, DRAIN_MAX_MS);
    timer.unref();
    req.resume();
  }
  return (status, code, message) => {
    if (answered || res.headersSent || res.destroyed || req.socket.destroyed) return;
    answered = true;
    const all = { ...headers, Connection: 'close' };
    if (bodyEnded) return sendError(res, status, code, message, all);
    const body: HttpErrorBody = { error: { code, message } };
    const text = JSON.stringify(body);
    // The headers of sendJson; the body goes out now, the end once the request's body has.
    res.writeHead(status, {
      ...all,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    res.write(text);
  };
}
