/**
 * Upload and download requests cost the relay a read of its store each, and one
 * connection may carry many: past `fileRequestRate` per address they are refused with
 * HTTP 429 `rate_limited` before any read (a refused upload is still answered, not
 * reset), and another address (forwarded by a trusted proxy) keeps its own budget.
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from './helpers.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request on a fresh connection; resolves with the answer. */
function call(url: string, method: string, headers: Record<string, string> = {}, body?: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...headers, ...(body ? { 'Content-Length': String(body.length) } : {}) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('file requests per address', () => {
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.cleanup();
    h = null;
  });

  it('refuses downloads and uploads past the budget with 429, and counts each forwarded client apart', async () => {
    h = await Harness.start({ fileRequestRate: { count: 5, windowMs: 60_000 }, trustProxy: '127.0.0.1' });
    const files = `${h.relay.url}/v1/files/${'A'.repeat(22)}`;
    const auth = { Authorization: `Bearer ${'B'.repeat(43)}` };
    for (let i = 0; i < 5; i++) expect((await call(files, 'GET', auth)).status).toBe(404);

    const refused = await call(files, 'GET', auth);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    expect(JSON.parse(refused.body)).toEqual({ error: { code: 'rate_limited', message: expect.stringContaining('too many') } });

    // An upload is refused the same way, its body read and dropped, the answer whole.
    const upload = await call(`${h.relay.url}/v1/uploads/${'C'.repeat(22)}?name=a.txt`, 'POST', auth, Buffer.alloc(64 * 1024, 1));
    expect(upload.status).toBe(429);
    expect(JSON.parse(upload.body).error.code).toBe('rate_limited');

    // Another customer behind the same trusted proxy has a budget of its own.
    const other = await call(files, 'GET', { ...auth, 'X-Forwarded-For': '203.0.113.7' });
    expect(other.status).toBe(404);
  });
});
