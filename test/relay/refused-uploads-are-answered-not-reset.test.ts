/**
 * A refused upload (413 for a Content-Length over 5 MB, 401 for a bad token, …) is
 * answered while the client is still sending its body. The relay then reads and drops
 * the rest of that body, within DRAIN_MAX_BYTES and DRAIN_MAX_MS, and closes only
 * after it, so a real client reads the status and the JSON error instead of a
 * connection reset (ECONNRESET/EPIPE). A client that sends on past either bound is
 * still cut off. Loopback only; every loop is bounded.
 */
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_FILE_BYTES } from '../../src/protocol/index.js';
import { DRAIN_MAX_BYTES, DRAIN_MAX_MS } from '../../src/relay/uploads.js';
import { Harness } from './helpers.js';
import { uploadHead } from './proofs-http.js';

const ROUNDS = 30;
const OVER = Buffer.alloc(6 * 1024 * 1024, 0x61); // 6 MB: over the 5 MB limit
const MEGABYTE = Buffer.alloc(1024 * 1024, 0x62);
const BAD_TOKEN = 'x'.repeat(43);

/** What a client saw of one request: the status and body, or the error it got instead. */
interface Seen {
  status: number;
  body: string;
  error: string | null;
}

/** The answer the relay must give: the status and `{error: {code}}`. */
function expectAnswer(seen: Seen, status: number, code: string, round: number): void {
  expect({ round, error: seen.error, status: seen.status }).toEqual({ round, error: null, status });
  expect(JSON.parse(seen.body)).toMatchObject({ error: { code } });
}

/** Node's `fetch` (undici) with the whole body as one buffer. */
async function withFetch(url: string, token: string, body: Buffer): Promise<Seen> {
  try {
    const res = await fetch(url, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: new Uint8Array(body), signal: AbortSignal.timeout(15_000) });
    return { status: res.status, body: await res.text(), error: null };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    return { status: 0, body: '', error: cause?.code ?? String(err) };
  }
}

/**
 * `http.request` streaming the body in 64 KiB pieces as fast as the socket takes them,
 * until all of it is written or the request is over (Node stops writing once it has
 * read a `Connection: close` answer). Any 'error' event is recorded.
 */
function withStream(url: string, token: string, body: Buffer, agent: Agent | undefined): Promise<Seen> {
  return new Promise((resolve) => {
    const seen: Seen = { status: 0, body: '', error: null };
    const req = request(url, { method: 'POST', agent, headers: { Authorization: `Bearer ${token}`, 'Content-Length': body.length } });
    const timer = setTimeout(() => {
      seen.error ??= 'timeout';
      req.destroy();
    }, 15_000);
    let answered = false;
    req.on('response', (res) => {
      seen.status = res.statusCode ?? 0;
      res.setEncoding('utf8');
      res.on('data', (d: string) => (seen.body += d));
      res.on('end', () => (answered = true));
      res.on('error', (err: NodeJS.ErrnoException) => (seen.error ??= err.code ?? String(err)));
    });
    req.on('error', (err: NodeJS.ErrnoException) => (seen.error ??= err.code ?? String(err)));
    req.on('close', () => {
      clearTimeout(timer);
      // Let an error that follows the close be counted too.
      setTimeout(() => resolve(seen), 20);
    });
    const piece = 64 * 1024;
    void (async () => {
      for (let at = 0; at < body.length; at += piece) {
        if (req.destroyed || answered) break;
        if (!req.write(body.subarray(at, at + piece))) {
          await new Promise<void>((r) => {
            req.once('drain', r);
            req.once('close', r);
          });
        }
      }
      if (!req.destroyed && !answered) req.end();
    })();
  });
}

/** A raw TCP client, to see exactly when and how the relay closes (FIN or reset). */
class RawClient {
  readonly socket: Socket;
  received = '';
  /** 'end' when the relay closed cleanly, the error code when it reset. */
  readonly closed: Promise<{ how: string; at: number }>;
  error: string | null = null;

  constructor(port: number) {
    this.socket = connect({ port, host: '127.0.0.1' });
    this.socket.on('data', (d: Buffer) => (this.received += d.toString('latin1')));
    this.closed = new Promise((resolve) => {
      this.socket.on('error', (err: NodeJS.ErrnoException) => {
        this.error ??= err.code ?? String(err);
        resolve({ how: this.error, at: Date.now() });
      });
      this.socket.on('end', () => resolve({ how: 'end', at: Date.now() }));
      this.socket.on('close', () => resolve({ how: this.error ?? 'end', at: Date.now() }));
    });
  }

  /** Writes and waits until the socket took the bytes; false when it is gone. */
  write(data: Buffer | string): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.socket.destroyed || this.error) return resolve(false);
      this.socket.write(data, (err) => resolve(!err));
    });
  }

  /** Waits until a whole answer (head and its Content-Length of body) has arrived. */
  answer(timeoutMs = 5_000): Promise<{ status: number; head: string; body: string }> {
    return vi.waitFor(
      () => {
        const end = this.received.indexOf('\r\n\r\n');
        if (end >= 0) {
          const head = this.received.slice(0, end);
          const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? '0');
          if (this.received.length >= end + 4 + length) {
            return { status: Number(head.slice(9, 12)), head, body: this.received.slice(end + 4, end + 4 + length) };
          }
        }
        throw new Error(`no answer in ${timeoutMs} ms: ${JSON.stringify(this.received.slice(0, 200))}`);
      },
      { timeout: timeoutMs, interval: 10 },
    );
  }

  destroy(): void {
    this.socket.destroy();
  }
}

describe('refused uploads are answered, and their body read, not reset', () => {
  let h: Harness;
  let token: string;
  let uploadUrl: string;
  let requestId: string;
  let conversationId: string;
  const raws: RawClient[] = [];

  beforeEach(async () => {
    h = await Harness.start();
    const chat = await h.activeChat();
    chat.agent.s.send({ t: 'request_upload', id: 'ru', conversationId: chat.visitor.conversationId });
    const ok = await chat.agent.s.next({ id: 'ru' });
    requestId = ok.requestId as string;
    token = chat.visitor.token;
    conversationId = chat.visitor.conversationId;
    uploadUrl = `${h.relay.url}/v1/uploads/${requestId}?name=big.bin`;
  });
  afterEach(async () => {
    for (const r of raws.splice(0)) r.destroy();
    await h.cleanup();
  });

  it('answers Node fetch with 413 or 401 and the JSON error, never a reset, 30 times in a row', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) expectAnswer(await withFetch(uploadUrl, token, OVER), 413, 'too_large', round);
      else expectAnswer(await withFetch(uploadUrl, BAD_TOKEN, MEGABYTE), 401, 'unauthorized', round);
    }
    expect((await h.relay.store.readEvents(conversationId, 0)).filter((e) => e.type === 'file')).toEqual([]);
  }, 120_000);

  it('answers http.request streaming the whole body with 413 or 401, never ECONNRESET or EPIPE, 30 times in a row', async () => {
    // Half the rounds ask for keep-alive (Node's default agent), half send Connection: close.
    const closing = new Agent({ keepAlive: false });
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const agent = round % 4 < 2 ? undefined : closing;
        if (round % 2 === 0) expectAnswer(await withStream(uploadUrl, token, OVER, agent), 413, 'too_large', round);
        else expectAnswer(await withStream(uploadUrl, BAD_TOKEN, MEGABYTE, agent), 401, 'unauthorized', round);
      }
    } finally {
      closing.destroy();
    }
  }, 120_000);

  it('keeps reading a refused body after the answer and closes cleanly once it has ended', async () => {
    const raw = new RawClient(h.relay.port);
    raws.push(raw);
    const total = 2 * 1024 * 1024;
    const piece = Buffer.alloc(128 * 1024, 0x63);
    expect(await raw.write(uploadHead(requestId, 'big.bin', { Authorization: `Bearer ${BAD_TOKEN}`, 'Content-Length': total }))).toBe(true);
    expect(await raw.write(piece)).toBe(true);
    const answer = await raw.answer();
    expect(answer.status).toBe(401);
    expect(answer.head).toMatch(/\r\nconnection: close\r\n/i);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'unauthorized' } });
    // The answer is out; the rest of the body still goes in, piece by piece, unhurried.
    for (let sent = piece.length; sent < total; sent += piece.length) {
      await new Promise((r) => setTimeout(r, 5));
      expect(await raw.write(piece)).toBe(true);
    }
    const closed = await raw.closed;
    expect(closed.how).toBe('end');
    expect(raw.error).toBeNull();
    // Nothing else was said: exactly the one answer.
    expect(raw.received.match(/HTTP\/1\.1 /g)).toHaveLength(1);
  });

  it(`cuts a refused body off after DRAIN_MAX_BYTES (${2 * MAX_FILE_BYTES} bytes), having answered first`, async () => {
    expect(DRAIN_MAX_BYTES).toBe(2 * MAX_FILE_BYTES);
    const raw = new RawClient(h.relay.port);
    raws.push(raw);
    const declared = 100 * 1024 * 1024;
    expect(await raw.write(uploadHead(requestId, 'huge.bin', { Authorization: `Bearer ${token}`, 'Content-Length': declared }))).toBe(true);
    const answer = await raw.answer();
    expect(answer.status).toBe(413);
    const piece = Buffer.alloc(256 * 1024, 0x64);
    let sent = 0;
    // Bounded: at most 4 × the drain bound is offered; the relay must cut long before.
    while (sent < 4 * DRAIN_MAX_BYTES && (await raw.write(piece))) sent += piece.length;
    await raw.closed;
    expect(sent).toBeLessThan(4 * DRAIN_MAX_BYTES);
    // What the relay read stops at the bound; kernel buffers hold a few MB more at most.
    expect(sent).toBeLessThan(DRAIN_MAX_BYTES + 16 * 1024 * 1024);
  }, 60_000);

  it(`cuts a refused body that trickles on after DRAIN_MAX_MS (${DRAIN_MAX_MS} ms)`, async () => {
    const raw = new RawClient(h.relay.port);
    raws.push(raw);
    const started = Date.now();
    expect(await raw.write(uploadHead(requestId, 'drip.bin', { Authorization: `Bearer ${BAD_TOKEN}`, 'Content-Length': 1024 * 1024 }))).toBe(true);
    expect((await raw.answer()).status).toBe(401);
    let closedAt = 0;
    void raw.closed.then((c) => (closedAt = c.at));
    // A byte every 100 ms, for at most DRAIN_MAX_MS + 5 s.
    while (closedAt === 0 && Date.now() - started < DRAIN_MAX_MS + 5_000) {
      await raw.write('z');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(closedAt).toBeGreaterThan(0);
    const lasted = closedAt - started;
    expect(lasted).toBeGreaterThanOrEqual(DRAIN_MAX_MS - 100);
    expect(lasted).toBeLessThan(DRAIN_MAX_MS + 3_000);
  }, 30_000);
});
