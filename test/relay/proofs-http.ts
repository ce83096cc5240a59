/**
 * Raw HTTP for the security proofs: a request written byte by byte over a plain TCP
 * socket, so a test can lie in `Content-Length`, stall a body, pipeline a second
 * request or half-close, which `fetch` and `http.request` will not do. Loopback only.
 */
import Database from 'better-sqlite3';
import { connect, type Socket } from 'node:net';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** One parsed HTTP answer. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** What came back on one connection: every complete answer, and whether the relay closed it. */
export interface RawExchange {
  answers: RawAnswer[];
  /** Everything read, for diagnostics. */
  raw: string;
  /** True when the relay closed (or reset) the connection before our timeout. */
  closedByRelay: boolean;
  /** Milliseconds from the first byte written to the first complete answer (or to the end). */
  firstAnswerMs: number;
}

/** A step of what the client writes: bytes, a pause, or a half-close. */
export type Step = Buffer | string | { waitMs: number } | { halfClose: true };

function parseAnswers(buf: Buffer, headOnly = false): RawAnswer[] {
  const out: RawAnswer[] = [];
  let at = 0;
  for (;;) {
    const end = buf.indexOf('\r\n\r\n', at);
    if (end < 0) break;
    const head = buf.subarray(at, end).toString('latin1').split('\r\n');
    const m = /^HTTP\/1\.1 (\d{3})/.exec(head[0] ?? '');
    if (!m) break;
    const headers: Record<string, string> = {};
    for (const line of head.slice(1)) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    // A HEAD answer announces a length but carries no body.
    const len = headOnly ? 0 : Number(headers['content-length'] ?? '0');
    if (buf.length < end + 4 + len) break;
    out.push({ status: Number(m[1]), headers, body: buf.subarray(end + 4, end + 4 + len) });
    at = end + 4 + len;
  }
  return out;
}

/**
 * Writes `steps` to 127.0.0.1:`port` and collects answers until the relay closes the
 * connection, `expectAnswers` complete answers arrived (then it waits `settleMs` more
 * to see whether the relay closes), or `timeoutMs` passes. `head`: the answers are to
 * HEAD requests, so they carry no body whatever their Content-Length says.
 */
export function rawHttp(
  port: number,
  steps: Step[],
  { expectAnswers = 1, timeoutMs = 5_000, settleMs = 0, head = false }: { expectAnswers?: number; timeoutMs?: number; settleMs?: number; head?: boolean } = {},
): Promise<RawExchange> {
  return new Promise((resolve) => {
    const socket: Socket = connect({ port, host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    const started = Date.now();
    let firstAnswerMs = -1;
    let done = false;
    let settleTimer: NodeJS.Timeout | undefined;
    const finish = (closedByRelay: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(settleTimer);
      const buf = Buffer.concat(chunks);
      socket.destroy();
      resolve({ answers: parseAnswers(buf, head), raw: buf.toString('latin1'), closedByRelay, firstAnswerMs: firstAnswerMs < 0 ? Date.now() - started : firstAnswerMs });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      const n = parseAnswers(Buffer.concat(chunks), head).length;
      if (n > 0 && firstAnswerMs < 0) firstAnswerMs = Date.now() - started;
      if (n >= expectAnswers && settleTimer === undefined) settleTimer = setTimeout(() => finish(false), settleMs);
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.once('connect', async () => {
      for (const s of steps) {
        if (done || socket.destroyed) return;
        if (typeof s === 'string' || Buffer.isBuffer(s)) {
          await new Promise<void>((r) => (socket.write(s) ? r() : socket.once('drain', () => r())));
        } else if ('waitMs' in s) {
          await new Promise((r) => setTimeout(r, s.waitMs));
        } else {
          socket.end();
        }
      }
    });
  });
}

/** The head of an upload request, with exactly the headers given (plus Host). */
export function uploadHead(requestId: string, name: string, headers: Record<string, string | number>): string {
  const lines = [`POST /v1/uploads/${requestId}?name=${encodeURIComponent(name)} HTTP/1.1`, 'Host: 127.0.0.1'];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** One chunk of a chunked body (an empty buffer is the last chunk). */
export function chunk(b: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from('\r\n')]);
}

/** Names and sizes of everything in the relay's files folder (temp files included). */
export function filesOf(dataDir: string): { name: string; size: number }[] {
  const dir = join(dataDir, 'files');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).map((name) => ({ name, size: statSync(join(dir, name)).size }));
}

/**
 * The files committed to the relay's own SQLite store (`dataDir/parley.db`, a relay
 * started with `sqlite: true`), as another connection sees them: each file's id and
 * the length of its stored bytes (-1 when it has none), and bytes stored for no file
 * as `orphan:` and their id.
 */
export function storedFilesOf(dataDir: string): { name: string; size: number }[] {
  const db = new Database(join(dataDir, 'parley.db'), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        `SELECT f.id AS name, coalesce(length(d.data), -1) AS size FROM files f LEFT JOIN file_data d ON d.id = f.id
         UNION ALL
         SELECT 'orphan:' || d.id AS name, length(d.data) AS size FROM file_data d WHERE d.id NOT IN (SELECT id FROM files)`,
      )
      .all() as { name: string; size: number }[];
  } finally {
    db.close();
  }
}

/** Parses a JSON body. */
export function jsonOf(a: RawAnswer | undefined): any {
  return a ? JSON.parse(a.body.toString('utf8')) : undefined;
}
