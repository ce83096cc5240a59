/**
 * `POST /v1/uploads/{requestId}?name=`: checks the visitor token and the open upload
 * request, streams the body to a temp file in the data folder and stops at byte
 * 5,242,881 whatever Content-Length says (413), or when the body stalls (408); partial
 * files are always removed. Only then is the `file` event appended, and the 201 (like
 * every answer) leaves only after the store has committed what was written before it.
 *
 * A refusal usually comes while the client is still sending (a Content-Length over
 * 5 MB is refused before a byte is read). Node closes the socket of a finished
 * `Connection: close` answer at once, and closing a socket with unread bytes makes the
 * kernel send a reset, which can reach the client before it has read the answer. So a
 * refusal is written whole but finished only once the rest of the body has been read
 * and dropped: within DRAIN_MAX_BYTES and DRAIN_MAX_MS, past which the socket is cut.
 */
import { createWriteStream, mkdirSync, rmSync, renameSync, type WriteStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { MAX_FILE_BYTES, normalizeMime, sanitizeFileName, type ErrorCode, type HttpErrorBody, type LogEvent, type UploadResult } from '../protocol/index.js';
import type { RelayContext } from './context.js';
import type { Outcome } from './errors.js';
import { bearer, sendError, sendJson } from './http-util.js';
import { newId } from './ids.js';

const STATUS: Partial<Record<ErrorCode, number>> = { not_found: 404, forbidden: 403, conflict: 409, ended: 409 };

/** How long a refused upload's body is still read (and dropped) before its connection is cut. */
export const DRAIN_MAX_MS = 10_000;
/** How many bytes of a refused upload's body are still read (and dropped) before its connection is cut. */
export const DRAIN_MAX_BYTES = 2 * MAX_FILE_BYTES;
/**
 * Bytes that must arrive within `uploadTimeoutMs` for the upload to count as moving:
 * a body that trickles in a byte at a time times out like one that stalls.
 */
const MIN_PROGRESS_BYTES = 16 * 1024;

/** Handles one upload request. Never throws; every failure is an HTTP answer. */
export function handleUpload(req: IncomingMessage, res: ServerResponse, requestId: string, url: URL, ctx: RelayContext, headers: Record<string, string>): void {
  const refuse = (status: number, code: ErrorCode, message: string): void => {
    const refusal = drainRefused(req, res, headers);
    ctx.conversations.afterCommit(
      () => refusal(status, code, message),
      () => refusal(500, 'invalid', 'could not store the file'),
    );
  };
  const token = bearer(req);
  if (!token || !ctx.conversations.conversationForToken(token)) return refuse(401, 'unauthorized', 'a visitor token is required');
  const target = ctx.conversations.uploadTarget(requestId, token);
  if (!target.ok) return refuse(STATUS[target.error.code] ?? 400, target.error.code, target.error.message);
  const name = sanitizeFileName(url.searchParams.get('name') ?? '');
  if (name === null) return refuse(400, 'invalid', 'name must be a usable file name');
  const declared = req.headers['content-length'];
  if (declared !== undefined) {
    const n = Number(declared);
    if (n > MAX_FILE_BYTES) return refuse(413, 'too_large', `files may be at most ${MAX_FILE_BYTES} bytes`);
    if (n === 0) return refuse(400, 'invalid', 'the file is empty');
  }
  // One body per request at a time: otherwise one open request would let a visitor
  // stream many 5 MB bodies to disk at once.
  if (ctx.uploadsInFlight.has(requestId)) return refuse(409, 'conflict', 'a file is already being uploaded for this request');
  const mime = normalizeMime(req.headers['content-type']);
  const dir = ctx.options.filesDir;
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.upload-${newId()}`);
  let out: WriteStream;
  try {
    out = createWriteStream(tmp, { flags: 'wx' });
  } catch {
    return refuse(500, 'invalid', 'could not store the file');
  }
  ctx.uploadsInFlight.add(requestId);
  let size = 0;
  let sizeAtArm = 0;
  let finished = false;
  let timer: NodeJS.Timeout | undefined;

  const removeTmp = (): void => {
    rmSync(tmp, { force: true });
  };
  const release = (): void => {
    ctx.uploadsInFlight.delete(requestId);
  };
  const stop = (status: number, code: ErrorCode, message: string): void => {
    if (finished) return;
    finished = true;
    release();
    clearTimeout(timer);
    req.off('data', onData);
    req.off('end', onEnd);
    out.destroy();
    out.once('close', removeTmp);
    removeTmp();
    refuse(status, code, message);
  };
  const arm = (): void => {
    clearTimeout(timer);
    sizeAtArm = size;
    timer = setTimeout(() => stop(408, 'invalid', 'the upload stalled'), ctx.options.uploadTimeoutMs);
  };
  const onData = (chunk: Buffer): void => {
    size += chunk.length;
    if (size > MAX_FILE_BYTES) return stop(413, 'too_large', `files may be at most ${MAX_FILE_BYTES} bytes`);
    if (size - sizeAtArm >= MIN_PROGRESS_BYTES) arm();
    if (!out.write(chunk)) {
      req.pause();
      out.once('drain', () => req.resume());
    }
  };
  const onEnd = (): void => {
    if (finished) return;
    clearTimeout(timer);
    out.end(() => {
      if (finished) return;
      finished = true;
      release();
      if (size === 0) {
        removeTmp();
        return refuse(400, 'invalid', 'the file is empty');
      }
      const fileId = newId();
      try {
        renameSync(tmp, join(dir, fileId));
      } catch {
        removeTmp();
        return refuse(500, 'invalid', 'could not store the file');
      }
      let r: Outcome<LogEvent>;
      try {
        r = ctx.conversations.fileUploaded({
          fileId,
          conversationId: target.value.conversationId,
          requestId,
          name,
          size,
          mime,
          path: fileId,
          at: new Date().toISOString(),
        });
      } catch (err) {
        ctx.log(`storing an upload failed: ${String(err)}`);
        rmSync(join(dir, fileId), { force: true });
        return refuse(500, 'invalid', 'could not store the file');
      }
      if (!r.ok) {
        rmSync(join(dir, fileId), { force: true });
        return refuse(STATUS[r.error.code] ?? 409, r.error.code, r.error.message);
      }
      const body: UploadResult = { fileId, name, size, mime };
      ctx.conversations.afterCommit(
        () => sendJson(res, 201, body, headers),
        (err) => {
          // The file's row and event were undone: so are its bytes.
          ctx.log(`storing an upload failed: ${String(err)}`);
          rmSync(join(dir, fileId), { force: true });
          sendError(res, 500, 'invalid', 'could not store the file', { ...headers, Connection: 'close' });
        },
      );
    });
  };
  out.on('error', () => stop(500, 'invalid', 'could not store the file'));
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('aborted', () => stop(400, 'invalid', 'the upload was interrupted'));
  req.on('error', () => stop(400, 'invalid', 'the upload was interrupted'));
  arm();
}

/**
 * Starts reading and dropping what is left of a refused request's body, and returns
 * the function that sends the refusal (once, when the store has committed). The answer
 * is written whole at once, with `Connection: close`, but the response is finished (and
 * so the socket closed, by Node) only after the body has ended; a body that goes past
 * DRAIN_MAX_BYTES or lasts past DRAIN_MAX_MS gets its socket destroyed instead.
 */
function drainRefused(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): (status: number, code: ErrorCode, message: string) => void {
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
