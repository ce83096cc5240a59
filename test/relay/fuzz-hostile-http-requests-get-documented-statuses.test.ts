/**
 * Fuzz proof for the HTTP API: seeded hostile requests (odd methods, traversal and junk
 * in ids and names, every kind of token, lying lengths, malformed request lines) get a
 * documented status and error body, or a dropped connection; never a 500, never a file
 * stored but through the open request. PARLEY_FUZZ_SEED replays a run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/protocol/index.js';
import { Harness } from './helpers.js';
import { prng } from './proofs-fuzz.js';
import { filesOf, rawHttp, storedFilesOf, type Step } from './proofs-http.js';

const SEED = Number(process.env['PARLEY_FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 32));
const REQUESTS = 5_000;
const PARALLEL = 6;
/** Every status PROTOCOL.md and the HTTP routes document. */
const DOCUMENTED = new Set([200, 201, 204, 301, 400, 401, 403, 404, 405, 408, 409, 413]);

describe(`the relay's HTTP API under ${REQUESTS} hostile requests (seed ${SEED})`, () => {
  let h: Harness;
  let chat: Awaited<ReturnType<Harness['activeChat']>>;
  const relayLog: string[] = [];
  const requestIds: string[] = [];

  beforeAll(async () => {
    // Thousands of requests from one address: the per-address request budget is lifted here (it has its own test).
    h = await Harness.start({ sqlite: true, uploadTimeoutMs: 200, fileRequestRate: { count: 1_000_000, windowMs: 60_000 }, log: (l) => relayLog.push(l) });
    chat = await h.activeChat();
    chat.agent.s.send({ t: 'request_upload', id: 'r', conversationId: chat.visitor.conversationId });
    requestIds.push((await chat.agent.s.next({ id: 'r' })).requestId);
    console.log(`http fuzz seed ${SEED} (replay with PARLEY_FUZZ_SEED=${SEED})`);
  });
  afterAll(() => h.cleanup());

  it('answers each with a documented status and error body, or drops a malformed one; never 500', async () => {
    const r = prng(SEED);
    const int = (n: number) => Math.floor(r() * n);
    const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
    const ids = () =>
      pick([
        requestIds[0]!,
        'A'.repeat(22),
        '..%2F..%2Fparley.db',
        '%2e%2e',
        '.upload-x',
        '__proto__',
        'constructor',
        'x'.repeat(65),
        '%00',
        '%ED%A0%80',
        encodeURIComponent('<script>'),
        '',
        'a/b',
      ]);
    const names = () =>
      pick(['shot.png', '', '..%2F..%2Fparley.db', '%00.txt', 'a'.repeat(400), '%ED%A0%80', encodeURIComponent('<img src=x onerror=alert(1)>.html'), '.', '...', '%E2%80%AE.txt', 'CON', 'x%0D%0ASet-Cookie:%20a=1']);
    const auths = () =>
      pick([
        undefined,
        `Bearer ${chat.visitor.token}`,
        `Bearer ${chat.agent.token}`,
        'Bearer',
        'Bearer ' + 'x'.repeat(300),
        'Basic YTpi',
        `bearer   ${chat.visitor.token}   `,
        `Bearer ${chat.visitor.token} extra`,
        'Bearer \u00ff\u00fe',
      ]);

    const tally: Record<string, number> = {};
    const failures: string[] = [];
    const one = async (): Promise<void> => {
      const method = pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'POST', 'GET']);
      const path = pick([
        () => `/v1/uploads/${ids()}?name=${names()}`,
        () => `/v1/uploads/${ids()}`,
        () => `/v1/files/${ids()}`,
        () => '/v1/rating',
        () => `/v1/${ids()}`,
        () => '/healthz',
        () => `/console/${pick(['..%2F..%2Fpackage.json', '%2e%2e/%2e%2e/parley.db', 'index.html', ''])}`,
        () => `/v1/uploads/${requestIds[0]}?name=${names()}&name=${names()}`,
        () => `/${pick(['', 'parley.js', '..%2F..%2Fparley.db'])}`,
      ])();
      const headers: string[] = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1'];
      const auth = auths();
      if (auth !== undefined) headers.push(`Authorization: ${auth}`);
      if (r() < 0.3) headers.push(`Origin: ${pick(['https://shop.example', 'null', 'https://evil.example', 'javascript:alert(1)'])}`);
      if (r() < 0.5) headers.push(`Content-Type: ${pick(['text/html', 'image/svg+xml', 'x'.repeat(300), 'text/html; charset=<script>', '', 'application/json'])}`);
      const body = Buffer.alloc(int(3) === 0 ? 0 : 1 + int(2000), 0x41 + int(26));
      const steps: Step[] = [];
      let expectAnswer = true;
      switch (int(5)) {
        case 0:
          headers.push(`Content-Length: ${body.length}`);
          steps.push(`${headers.join('\r\n')}\r\n\r\n`, body);
          break;
        case 1:
          headers.push('Transfer-Encoding: chunked');
          steps.push(`${headers.join('\r\n')}\r\n\r\n`, `${body.length.toString(16)}\r\n`, body, '\r\n0\r\n\r\n');
          break;
        case 2:
          // Claims more than it sends, then stops: a stall (408) or, for GETs, ignored.
          headers.push(`Content-Length: ${body.length + 10}`);
          steps.push(`${headers.join('\r\n')}\r\n\r\n`, body);
          break;
        case 3:
          headers.push(`Content-Length: ${pick(['-1', '1e3', 'abc', '99999999999999999999', '5242881', ' 5'])}`);
          steps.push(`${headers.join('\r\n')}\r\n\r\n`, body);
          break;
        default:
          // A malformed request line or header: Node's parser refuses it.
          steps.push(pick([`${method} /v1/files/a b HTTP/1.1\r\nHost: x\r\n\r\n`, `GET /v1/files/x HTTP/9.9\r\n\r\n`, `POST /v1/uploads/x HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab`, '\u0000\u0001garbage\r\n\r\n', `GET /healthz HTTP/1.1\r\nBad Header\r\n\r\n`]));
          expectAnswer = false;
      }
      const x = await rawHttp(h.relay.port, steps, { timeoutMs: 2_000, head: method === 'HEAD' && expectAnswer });
      const a = x.answers[0];
      const label = a ? String(a.status) : x.closedByRelay ? 'dropped' : 'no answer';
      tally[label] = (tally[label] ?? 0) + 1;
      const what = `${steps[0]?.toString().split('\r\n')[0]} -> ${label} ${a ? a.body.toString().slice(0, 120) : ''}`;
      if (!a) {
        if (expectAnswer && !x.closedByRelay) failures.push(`no answer: ${what}`);
        return;
      }
      if (!DOCUMENTED.has(a.status)) failures.push(`undocumented status: ${what}`);
      if (a.status >= 400 && path.startsWith('/v1/') && method !== 'HEAD') {
        let code: unknown;
        try {
          code = (JSON.parse(a.body.toString()) as { error: { code: unknown } }).error.code;
        } catch {
          code = undefined;
        }
        if (!(ERROR_CODES as readonly string[]).includes(code as string)) failures.push(`error body without a documented code: ${what}`);
      }
      if (a.headers['set-cookie']) failures.push(`set a cookie: ${what}`);
    };

    let sent = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (sent < REQUESTS) {
          sent++;
          await one();
        }
      }),
    );
    console.log(`http fuzz (seed ${SEED}): ${sent} requests; answers ${JSON.stringify(tally)}; failures ${failures.length}`);
    expect(failures.slice(0, 10)).toEqual([]);
    expect(tally['500']).toBeUndefined();
    expect(relayLog.filter((l) => /failed|error/i.test(l))).toEqual([]);
    // Only the one open request could take a file, and only one file.
    // Files live in the store now: nothing of an upload is left on disk.
    expect(filesOf(h.dataDir)).toEqual([]);
    const files = storedFilesOf(h.dataDir);
    const stored = (await h.relay.store.readEvents(chat.visitor.conversationId, 0)).filter((e) => e.type === 'file');
    expect(stored.length).toBeLessThanOrEqual(1);
    expect(files.length).toBe(stored.length);
    expect(files).toEqual(stored.map((e) => ({ name: e.type === 'file' ? e.fileId : '', size: e.type === 'file' ? e.size : -1 })));
    expect((await fetch(`${h.relay.url}/healthz`)).status).toBe(200);
  }, 120_000);
});
