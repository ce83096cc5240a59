/**
 * Security proof for uploads (PROTOCOL.md section 5): a file gets in only through an
 * open request of the uploader's own conversation, never above 5 MB, and every refusal
 * (no request, reused, ended, lying Content-Length, oversized chunked body, stalled
 * body) answers its documented status and leaves nothing in the data folder or the store.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../../src/protocol/index.js';
import { Harness, TestSocket } from './helpers.js';
import { chunk, filesOf, jsonOf, rawHttp, storedFilesOf, uploadHead, type RawExchange } from './proofs-http.js';

const UPLOAD_TIMEOUT_MS = 300;

describe('POST /v1/uploads/{requestId} under attack', () => {
  let h: Harness;
  let chat: Awaited<ReturnType<Harness['activeChat']>>;
  let requestId: string;

  const requestUpload = async (): Promise<string> => {
    chat.agent.s.send({ t: 'request_upload', id: 'ru', conversationId: chat.visitor.conversationId });
    const ok = await chat.agent.s.next({ id: 'ru' });
    expect(ok.t).toBe('ok');
    return ok.requestId as string;
  };
  const auth = (token = chat.visitor.token) => ({ Authorization: `Bearer ${token}` });
  const fileEvents = async () => (await h.relay.store.readEvents(chat.visitor.conversationId, 0)).filter((e) => e.type === 'file');
  /** Nothing left behind: nothing on disk, and only the accepted files (with their bytes) in the store. */
  const expectNoLeftovers = async (accepted: string[] = []): Promise<void> => {
    await TestSocket.wait(60);
    expect(filesOf(h.dataDir)).toEqual([]);
    const stored = storedFilesOf(h.dataDir);
    expect(stored.map((f) => f.name).sort()).toEqual([...accepted].sort());
    for (const f of stored) expect(f.size).toBeGreaterThan(0);
  };
  const status = (x: RawExchange) => x.answers[0]?.status;

  beforeEach(async () => {
    h = await Harness.start({ sqlite: true, uploadTimeoutMs: UPLOAD_TIMEOUT_MS });
    chat = await h.activeChat();
    requestId = await requestUpload();
  });
  afterEach(() => h.cleanup());

  it('refuses an upload when no request exists: 401 without a token, 404 with one, and an agent token is not a visitor token', async () => {
    const body = Buffer.from('unsolicited');
    const anonymous = await rawHttp(h.relay.port, [uploadHead(requestId, 'a.txt', { 'Content-Length': body.length }), body]);
    expect(status(anonymous)).toBe(401);
    expect(jsonOf(anonymous.answers[0]).error.code).toBe('unauthorized');
    const made = await rawHttp(h.relay.port, [uploadHead('x'.repeat(22), 'a.txt', { ...auth(), 'Content-Length': body.length }), body]);
    expect(status(made)).toBe(404);
    expect(jsonOf(made.answers[0]).error.code).toBe('not_found');
    const agentToken = await rawHttp(h.relay.port, [uploadHead(requestId, 'a.txt', { ...auth(chat.agent.token), 'Content-Length': body.length }), body]);
    expect(status(agentToken)).toBe(401);
    // A visitor with no request of their own cannot use someone else's.
    const other = await h.visitor('mallory@example.com');
    const foreign = await rawHttp(h.relay.port, [uploadHead(requestId, 'a.txt', { ...auth(other.token), 'Content-Length': body.length }), body]);
    expect(status(foreign)).toBe(403);
    expect(await fileEvents()).toEqual([]);
    await expectNoLeftovers();
  });

  it('refuses a reused request with 409, also when pipelined on the same connection', async () => {
    const first = Buffer.from('first file');
    const second = Buffer.from('second file');
    const both = await rawHttp(
      h.relay.port,
      [uploadHead(requestId, 'one.txt', { ...auth(), 'Content-Length': first.length }), first, uploadHead(requestId, 'two.txt', { ...auth(), 'Content-Length': second.length }), second],
      { expectAnswers: 2 },
    );
    expect(both.answers.map((a) => a.status)).toEqual([201, 409]);
    expect(jsonOf(both.answers[1]).error.code).toBe('conflict');
    const { fileId } = jsonOf(both.answers[0]);
    expect(await fileEvents()).toHaveLength(1);
    const again = await rawHttp(h.relay.port, [uploadHead(requestId, 'three.txt', { ...auth(), 'Content-Length': 1 }), 'x']);
    expect(status(again)).toBe(409);
    await expectNoLeftovers([fileId]);
  });

  it('lets exactly one of several uploads racing for one request through; the others get 409 and leave nothing', async () => {
    const bodies = Array.from({ length: 4 }, (_, i) => Buffer.alloc(200_000 + i, 0x61 + i));
    const results = await Promise.all(
      bodies.map((b, i) =>
        rawHttp(h.relay.port, [uploadHead(requestId, `race${i}.bin`, { ...auth(), 'Content-Length': b.length }), b.subarray(0, 1000), { waitMs: 50 }, b.subarray(1000)]),
      ),
    );
    const statuses = results.map(status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(3);
    const winner = jsonOf(results[statuses.indexOf(201)]!.answers[0]);
    expect(await fileEvents()).toHaveLength(1);
    await expectNoLeftovers([winner.fileId]);
  });

  // KNOWN GAP, marked `fails` until the relay is fixed: while one body streams toward a
  // request, more bodies for the same request are accepted and each written to its own
  // temporary file (up to 5 MB each), so one open request lets a visitor fill the disk.
  // Fix in src/relay/uploads.ts: keep the request ids with a body in flight in a Set;
  // answer 409 `conflict` at once for a second one, and free the id when the first ends.
  it('refuses a second body for a request at once while the first is still streaming', async () => {
    const first = rawHttp(h.relay.port, [uploadHead(requestId, 'slow.bin', { ...auth(), 'Content-Length': 2000 }), Buffer.alloc(1000, 1), { waitMs: 150 }, Buffer.alloc(1000, 1)]);
    await TestSocket.wait(50);
    const second = await rawHttp(h.relay.port, [uploadHead(requestId, 'fast.bin', { ...auth(), 'Content-Length': 10 }), Buffer.alloc(10, 2)], { timeoutMs: 2_000 });
    expect(status(second)).toBe(409);
    expect(second.firstAnswerMs).toBeLessThan(100);
    expect(status(await first)).toBe(201);
  });

  it('refuses an upload after the conversation ended with 409', async () => {
    chat.visitor.s.send({ t: 'end', id: 'end' });
    await chat.visitor.s.next({ id: 'end' });
    const x = await rawHttp(h.relay.port, [uploadHead(requestId, 'late.txt', { ...auth(), 'Content-Length': 4 }), 'late']);
    expect(status(x)).toBe(409);
    expect(await fileEvents()).toEqual([]);
    await expectNoLeftovers();
  });

  it('refuses a Content-Length above 5 MB with 413 before a byte of the body is read', async () => {
    const x = await rawHttp(h.relay.port, [uploadHead(requestId, 'big.bin', { ...auth(), 'Content-Length': MAX_FILE_BYTES + 1 })]);
    expect(status(x)).toBe(413);
    expect(jsonOf(x.answers[0]).error.code).toBe('too_large');
    await expectNoLeftovers();
  });

  it('stores no more than a too-small Content-Length declares, even when 6 MB follow it', async () => {
    const declared = 100;
    const flood = Buffer.alloc(6 * 1024 * 1024, 0x41);
    const x = await rawHttp(h.relay.port, [uploadHead(requestId, 'small.bin', { ...auth(), 'Content-Length': declared }), flood], { timeoutMs: 8_000 });
    // The declared length frames the body; what follows is a bad next request, and the
    // relay drops that connection rather than reading on.
    expect(x.closedByRelay).toBe(true);
    // The declared bytes may still be finishing their rename; let that settle.
    await TestSocket.wait(300);
    expect(filesOf(h.dataDir)).toEqual([]);
    const files = storedFilesOf(h.dataDir);
    expect(files.length).toBeLessThanOrEqual(1);
    for (const f of files) expect(f.size).toBeLessThanOrEqual(declared);
    const events = await fileEvents();
    expect(events.length).toBeLessThanOrEqual(1);
    for (const e of events) expect(e.type === 'file' && e.size).toBe(declared);
    expect((await fetch(`${h.relay.url}/healthz`)).status).toBe(200);
  });

  it('refuses a too-large Content-Length whose body ends early (400) and stores nothing', async () => {
    const x = await rawHttp(h.relay.port, [uploadHead(requestId, 'short.bin', { ...auth(), 'Content-Length': 1000 }), Buffer.alloc(500, 1), { halfClose: true }]);
    // The relay can only answer while the connection lasts; either way nothing is stored.
    if (x.answers.length) expect(status(x)).toBe(400);
    expect(await fileEvents()).toEqual([]);
    await expectNoLeftovers();
    // The request is still open: an honest upload goes through.
    const ok = await rawHttp(h.relay.port, [uploadHead(requestId, 'ok.txt', { ...auth(), 'Content-Length': 2 }), 'ok']);
    expect(status(ok)).toBe(201);
  });

  it('times out a body that stalls after part of its Content-Length with 408, within the configured bound', async () => {
    const x = await rawHttp(h.relay.port, [uploadHead(requestId, 'stall.bin', { ...auth(), 'Content-Length': 1000 }), Buffer.alloc(200, 2)], { timeoutMs: 4_000 });
    expect(status(x)).toBe(408);
    expect(x.firstAnswerMs).toBeGreaterThanOrEqual(UPLOAD_TIMEOUT_MS - 20);
    expect(x.firstAnswerMs).toBeLessThan(UPLOAD_TIMEOUT_MS + 1_500);
    expect(await fileEvents()).toEqual([]);
    await expectNoLeftovers();
  });

  // KNOWN GAP, marked `fails` until the relay is fixed: the stall timer is re-armed by
  // every byte, so a body trickling one byte per 100 ms (never idle for
  // uploadTimeoutMs) holds its connection and temp file until Node's own 300 s
  // requestTimeout. Fix in src/relay/uploads.ts: re-arm the timer only once at least
  // 1 KiB (or the rest of the body) has arrived since it was last armed.
  it('times out a body that trickles in a byte at a time as it times out a stalled one', async () => {
    const drip = Array.from({ length: 30 }, (_, i): ({ waitMs: number } | Buffer)[] => [Buffer.from([0x30 + (i % 10)]), { waitMs: 100 }]).flat();
    const x = await rawHttp(h.relay.port, [uploadHead(requestId, 'drip.bin', { ...auth(), 'Content-Length': 1000 }), ...drip], { timeoutMs: 3_500 });
    expect(status(x)).toBe(408);
    expect(x.firstAnswerMs).toBeLessThan(UPLOAD_TIMEOUT_MS * 4);
    await expectNoLeftovers();
  });

  it('times out a chunked body that stalls, and a request whose body never starts', async () => {
    const chunked = await rawHttp(h.relay.port, [uploadHead(requestId, 'c.bin', { ...auth(), 'Transfer-Encoding': 'chunked' }), chunk(Buffer.alloc(300, 3))], { timeoutMs: 4_000 });
    expect(status(chunked)).toBe(408);
    const silent = await rawHttp(h.relay.port, [uploadHead(requestId, 's.bin', { ...auth(), 'Content-Length': 10 })], { timeoutMs: 4_000 });
    expect(status(silent)).toBe(408);
    expect(await fileEvents()).toEqual([]);
    await expectNoLeftovers();
  });

  it('cuts a chunked body without a length at byte 5,242,881 with 413 and keeps nothing of it', async () => {
    const piece = Buffer.alloc(256 * 1024, 4);
    const steps = [uploadHead(requestId, 'endless.bin', { ...auth(), 'Transfer-Encoding': 'chunked' })];
    const pieces: Buffer[] = [];
    for (let sent = 0; sent <= MAX_FILE_BYTES + piece.length; sent += piece.length) pieces.push(chunk(piece));
    const x = await rawHttp(h.relay.port, [...steps, ...pieces, chunk(Buffer.alloc(0))], { timeoutMs: 10_000 });
    expect(status(x)).toBe(413);
    expect(jsonOf(x.answers[0]).error.code).toBe('too_large');
    expect(await fileEvents()).toEqual([]);
    await expectNoLeftovers();
  });

  it('drops a request that carries both Content-Length and chunked encoding (smuggling) without storing anything', async () => {
    const body = chunk(Buffer.from('hidden')).toString() + chunk(Buffer.alloc(0)).toString();
    const x = await rawHttp(h.relay.port, [uploadHead(requestId, 'smuggle.txt', { ...auth(), 'Content-Length': 4, 'Transfer-Encoding': 'chunked' }), body], { timeoutMs: 3_000 });
    if (x.answers.length) expect(status(x)).toBeGreaterThanOrEqual(400);
    else expect(x.closedByRelay).toBe(true);
    expect(await fileEvents()).toEqual([]);
    await expectNoLeftovers();
  });
});
