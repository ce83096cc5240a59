import { existsSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../../src/protocol/index.js';
import { Harness, TestSocket } from './helpers.js';
import { storedFilesOf } from './proofs-http.js';

interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A raw HTTP request: `chunks` are written one by one (chunked unless Content-Length is given). */
function http(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; chunks?: Buffer[]; hold?: boolean } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'POST', headers: opts.headers ?? {} }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    const chunks = [...(opts.chunks ?? [])];
    req.flushHeaders();
    const pump = (): void => {
      while (chunks.length) {
        if (!req.write(chunks.shift()!)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!opts.hold) req.end();
    };
    pump();
  });
}

const json = (a: HttpAnswer): any => JSON.parse(a.body.toString('utf8'));
const filesIn = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir) : []);

describe('uploads and downloads', () => {
  let h: Harness;
  let chat: Awaited<ReturnType<Harness['activeChat']>>;
  let requestId: string;

  const requestUpload = async (): Promise<string> => {
    chat.agent.s.send({ t: 'request_upload', id: 'ru', conversationId: chat.visitor.conversationId, note: 'a screenshot please' });
    const ok = await chat.agent.s.next({ id: 'ru' });
    expect(ok.t).toBe('ok');
    return ok.requestId as string;
  };
  const uploadUrl = (id: string, name = 'shot.png'): string => `${h.relay.url}/v1/uploads/${id}?name=${encodeURIComponent(name)}`;
  const auth = (token: string): Record<string, string> => ({ Authorization: `Bearer ${token}` });

  beforeEach(async () => {
    h = await Harness.start({ sqlite: true, uploadTimeoutMs: 300 });
    chat = await h.activeChat();
    requestId = await requestUpload();
  });
  afterEach(() => h.cleanup());

  it('appends upload_requested with the 5 MB limit, and refuses a second open request with conflict', async () => {
    const e = await chat.visitor.s.next((f) => f.t === 'event' && f.event.type === 'upload_requested');
    expect(e.event).toMatchObject({ requestId, agent: { id: chat.agent.id }, note: 'a screenshot please', maxBytes: MAX_FILE_BYTES });
    chat.agent.s.send({ t: 'request_upload', id: 'again', conversationId: chat.visitor.conversationId });
    expect(await chat.agent.s.next({ id: 'again' })).toMatchObject({ t: 'error', code: 'conflict' });
  });

  it('accepts exactly 5,242,880 bytes: 201, a file event, and a download with safe headers', async () => {
    const bytes = Buffer.alloc(MAX_FILE_BYTES, 7);
    bytes.write('<script>alert(1)</script>', 0);
    const res = await http(uploadUrl(requestId, '../../etc/évil "name".html'), {
      headers: { ...auth(chat.visitor.token), 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(bytes.length) },
      chunks: [bytes],
    });
    expect(res.status).toBe(201);
    const body = json(res);
    expect(body).toMatchObject({ name: 'évil "name".html', size: MAX_FILE_BYTES, mime: 'text/html' });
    expect(body.fileId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const ev = await chat.visitor.s.next((f) => f.t === 'event' && f.event.type === 'file');
    expect(ev.event).toMatchObject({ requestId, fileId: body.fileId, size: MAX_FILE_BYTES, name: body.name });
    await chat.agent.s.next((f) => f.t === 'event' && f.event.type === 'file');

    const dl = await http(`${h.relay.url}/v1/files/${body.fileId}`, { method: 'GET', headers: auth(chat.visitor.token) });
    expect(dl.status).toBe(200);
    expect(dl.body.equals(bytes)).toBe(true);
    expect(dl.headers['content-disposition']).toBe(`attachment; filename="_vil _name_.html"; filename*=UTF-8''%C3%A9vil%20%22name%22.html`);
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect(dl.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
    expect(dl.headers['referrer-policy']).toBe('no-referrer');

    const byAgent = await http(`${h.relay.url}/v1/files/${body.fileId}`, { method: 'GET', headers: auth(chat.agent.token) });
    expect(byAgent.status).toBe(200);
    expect(byAgent.body.length).toBe(MAX_FILE_BYTES);

    // The request is fulfilled now: a second upload is refused.
    const again = await http(uploadUrl(requestId), { headers: auth(chat.visitor.token), chunks: [Buffer.from('x')] });
    expect(again.status).toBe(409);
  });

  it('refuses 5,242,881 bytes sent without Content-Length with 413 and leaves no partial file', async () => {
    const chunk = Buffer.alloc(64 * 1024, 1);
    const chunks = Array.from({ length: MAX_FILE_BYTES / chunk.length }, () => chunk);
    chunks.push(Buffer.from([1]));
    const res = await http(uploadUrl(requestId), { headers: auth(chat.visitor.token), chunks });
    expect(res.status).toBe(413);
    expect(json(res)).toEqual({ error: { code: 'too_large', message: expect.any(String) } });
    await TestSocket.wait(50);
    expect(filesIn(join(h.dataDir, 'files'))).toEqual([]);
    expect(storedFilesOf(h.dataDir)).toEqual([]);
    expect((await h.relay.store.readEvents(chat.visitor.conversationId, 0)).some((e) => e.type === 'file')).toBe(false);
    // The request stays open: a file within the limit still goes through.
    const ok = await http(uploadUrl(requestId), { headers: auth(chat.visitor.token), chunks: [Buffer.from('fine')] });
    expect(ok.status).toBe(201);
  });

  it('refuses a Content-Length over the limit before reading the body', async () => {
    const res = await http(uploadUrl(requestId), {
      headers: { ...auth(chat.visitor.token), 'Content-Length': String(MAX_FILE_BYTES + 1) },
      hold: true,
    });
    expect(res.status).toBe(413);
    expect(filesIn(join(h.dataDir, 'files'))).toEqual([]);
    expect(storedFilesOf(h.dataDir)).toEqual([]);
  });

  it('times out a stalled body with 408 timeout and removes the partial file', async () => {
    const res = await http(uploadUrl(requestId), {
      headers: { ...auth(chat.visitor.token), 'Content-Length': '1000' },
      chunks: [Buffer.alloc(100, 2)],
      hold: true,
    });
    expect(res.status).toBe(408);
    expect(json(res).error.code).toBe('timeout');
    await TestSocket.wait(50);
    expect(filesIn(join(h.dataDir, 'files'))).toEqual([]);
    expect(storedFilesOf(h.dataDir)).toEqual([]);
  });

  it('answers 401 without a token, 403 for another visitor\'s token, 404 for no such request', async () => {
    const other = await h.visitor('other@example.com');
    const none = await http(uploadUrl(requestId), { chunks: [Buffer.from('x')] });
    expect(none.status).toBe(401);
    const bogus = await http(uploadUrl(requestId), { headers: auth('B'.repeat(43)), chunks: [Buffer.from('x')] });
    expect(bogus.status).toBe(401);
    const foreign = await http(uploadUrl(requestId), { headers: auth(other.token), chunks: [Buffer.from('x')] });
    expect(foreign.status).toBe(403);
    const missing = await http(uploadUrl('no-such-request'), { headers: auth(chat.visitor.token), chunks: [Buffer.from('x')] });
    expect(missing.status).toBe(404);
    expect(json(missing).error.code).toBe('not_found');
  });

  it('answers 409 once the request was canceled, and 409 after the conversation ended', async () => {
    chat.visitor.s.send({ t: 'cancel_upload', id: 'cu', requestId });
    expect(await chat.visitor.s.next({ id: 'cu' })).toEqual({ t: 'ok', id: 'cu' });
    const canceled = await chat.agent.s.next((f) => f.t === 'event' && f.event.type === 'upload_canceled');
    expect(canceled.event).toMatchObject({ requestId, by: 'visitor' });
    const res = await http(uploadUrl(requestId), { headers: auth(chat.visitor.token), chunks: [Buffer.from('x')] });
    expect(res.status).toBe(409);

    const second = await requestUpload();
    chat.agent.s.send({ t: 'end', id: 'e', conversationId: chat.visitor.conversationId });
    await chat.agent.s.next({ id: 'e' });
    const afterEnd = await http(uploadUrl(second), { headers: auth(chat.visitor.token), chunks: [Buffer.from('x')] });
    expect(afterEnd.status).toBe(409);
  });

  it('lets the owner cancel the open request', async () => {
    chat.agent.s.send({ t: 'cancel_upload', id: 'c', conversationId: chat.visitor.conversationId, requestId });
    expect(await chat.agent.s.next({ id: 'c' })).toEqual({ t: 'ok', id: 'c' });
    const ev = await chat.visitor.s.next((f) => f.t === 'event' && f.event.type === 'upload_canceled');
    expect(ev.event.by).toBe('agent');
    chat.agent.s.send({ t: 'cancel_upload', id: 'c2', conversationId: chat.visitor.conversationId, requestId });
    expect(await chat.agent.s.next({ id: 'c2' })).toMatchObject({ t: 'error', code: 'conflict' });
  });

  it('answers 400 for an empty body and for a name with nothing usable', async () => {
    const empty = await http(uploadUrl(requestId), { headers: { ...auth(chat.visitor.token), 'Content-Length': '0' } });
    expect(empty.status).toBe(400);
    const badName = await http(uploadUrl(requestId, '../..'), { headers: auth(chat.visitor.token), chunks: [Buffer.from('x')] });
    expect(badName.status).toBe(400);
  });

  it('serves a file to nobody but its visitor and agents: 404 for another visitor and without a token', async () => {
    const res = await http(uploadUrl(requestId, 'note.txt'), { headers: auth(chat.visitor.token), chunks: [Buffer.from('secret')] });
    const { fileId } = json(res);
    const other = await h.visitor('other@example.com');
    const foreign = await http(`${h.relay.url}/v1/files/${fileId}`, { method: 'GET', headers: auth(other.token) });
    expect(foreign.status).toBe(404);
    expect(foreign.body.toString()).not.toContain('secret');
    const anonymous = await http(`${h.relay.url}/v1/files/${fileId}`, { method: 'GET' });
    expect(anonymous.status).toBe(404);
    const unknown = await http(`${h.relay.url}/v1/files/nope`, { method: 'GET', headers: auth(chat.visitor.token) });
    expect(unknown.status).toBe(404);
    const mine = await http(`${h.relay.url}/v1/files/${fileId}`, { method: 'GET', headers: auth(chat.visitor.token) });
    expect(mine.body.toString()).toBe('secret');
    expect((await h.relay.store.readFile(fileId))?.toString('utf8')).toBe('secret');
  });
});

describe('CORS on the HTTP API', () => {
  let h: Harness;
  afterEach(() => h.cleanup());

  it('answers preflights with the allowed methods and headers and exposes Content-Disposition', async () => {
    h = await Harness.start();
    const res = await http(`${h.relay.url}/v1/uploads/abc`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://shop.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(res.headers['access-control-allow-methods']).toBe('GET, POST');
    expect(res.headers['access-control-allow-headers']).toBe('Authorization, Content-Type');
    expect(res.headers['access-control-expose-headers']).toBe('Content-Disposition');
    const plain = await http(`${h.relay.url}/v1/files/abc`, { method: 'GET', headers: { Origin: 'https://shop.example' } });
    expect(plain.status).toBe(404);
    expect(plain.headers['access-control-allow-origin']).toBe('https://shop.example');
  });

  it('refuses origins outside a configured allow-list', async () => {
    h = await Harness.start({ allowedOrigins: ['https://shop.example'] });
    const res = await http(`${h.relay.url}/v1/uploads/abc`, { method: 'OPTIONS', headers: { Origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const ok = await http(`${h.relay.url}/v1/uploads/abc`, { method: 'OPTIONS', headers: { Origin: 'https://shop.example' } });
    expect(ok.status).toBe(204);
  });
});
