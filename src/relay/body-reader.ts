/**
 * Reading an HTTP request's body whole into memory, for the routes that take one
 * (uploads, and the visitor's small POSTs): at most `limit` bytes whatever
 * Content-Length said (413), a body that stalls for `timeoutMs` without another
 * `MIN_PROGRESS_BYTES` is dropped (408), and one whose client went away is `invalid`
 * (400). Each route words the refusals for what it reads.
 */
import type { IncomingMessage } from 'node:http';
import type { ErrorCode } from '../protocol/index.js';

/**
 * Bytes that must arrive within each `timeoutMs` for a body to count as moving: one that
 * trickles in a byte at a time times out like one that stalls.
 */
export const MIN_PROGRESS_BYTES = 16 * 1024;

/** A body read whole, or why it was not. */
export type Body = { ok: true; data: Buffer } | { ok: false; status: number; code: ErrorCode; message: string };

/** How a route reads its body, and its words for each refusal. */
export interface BodyRules {
  limit: number;
  timeoutMs: number;
  tooLarge: string;
  stalled: string;
  interrupted: string;
}

/** Reads `req`'s body by `rules`. Never rejects. */
export function readBody(req: IncomingMessage, rules: BodyRules): Promise<Body> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let sizeAtArm = 0;
    let timer: NodeJS.Timeout | undefined;
    const finish = (b: Body): void => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('aborted', interrupted);
      req.off('error', interrupted);
      resolve(b);
    };
    const arm = (): void => {
      clearTimeout(timer);
      sizeAtArm = size;
      timer = setTimeout(() => finish({ ok: false, status: 408, code: 'timeout', message: rules.stalled }), rules.timeoutMs);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > rules.limit) return finish({ ok: false, status: 413, code: 'too_large', message: rules.tooLarge });
      if (size - sizeAtArm >= MIN_PROGRESS_BYTES) arm();
      chunks.push(chunk);
    };
    const onEnd = (): void => finish({ ok: true, data: Buffer.concat(chunks, size) });
    const interrupted = (): void => finish({ ok: false, status: 400, code: 'invalid', message: rules.interrupted });
    req.on('data', onData);
    req.on('end', onEnd);
    req.once('aborted', interrupted);
    req.once('error', interrupted);
    arm();
  });
}
