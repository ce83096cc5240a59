/**
 * Security proof for downloads (PROTOCOL.md section 5): whatever a visitor uploads
 * (an HTML page, an SVG with script, a name built to inject headers) comes back as an
 * attachment that a browser will neither sniff nor run, and only to its own visitor
 * and to agents, with the token in a header and never in the URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from './helpers.js';
import { jsonOf, rawHttp, uploadHead } from './proofs-http.js';

const HTML = '<!doctype html><script>parent.__xss = 1; fetch("/v1/files")</script><h1>hi</h1>';
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>';

describe('GET /v1/files/{fileId} for hostile content', () => {
  let h: Harness;
  let chat: Awaited<ReturnType<Harness['activeChat']>>;

  /** Has the agent ask for a file, uploads it as the visitor, returns its id. */
  const upload = async (name: string, mime: string, body: string): Promise<string> => {
    const n = Math.random().toString(36).slice(2);
    chat.agent.s.send({ t: 'request_upload', id: n, conversationId: chat.visitor.conversationId });
    const ok = await chat.agent.s.next({ id: n });
    const bytes = Buffer.from(body);
    const x = await rawHttp(h.relay.port, [
      uploadHead(ok.requestId, name, { Authorization: `Bearer ${chat.visitor.token}`, 'Content-Type': mime, 'Content-Length': bytes.length }),
      bytes,
    ]);
    expect(x.answers[0]?.status).toBe(201);
    return jsonOf(x.answers[0]).fileId as string;
  };
  const get = (fileId: string, token?: string, method = 'GET') =>
    fetch(`${h.relay.url}/v1/files/${fileId}`, { method, headers: token ? { Authorization: `Bearer ${token}` } : {} });

  const expectInert = (res: Response): void => {
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp.split(';').map((d) => d.trim())).toEqual(expect.arrayContaining(['sandbox', "default-src 'none'"]));
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  };

  beforeAll(async () => {
    h = await Harness.start({ sqlite: true });
    chat = await h.activeChat();
  });
  afterAll(() => h.cleanup());

  it('serves an uploaded .html page as an attachment with nosniff and a sandboxing CSP', async () => {
    const id = await upload('page.html', 'text/html', HTML);
    const res = await get(id, chat.visitor.token);
    expectInert(res);
    expect(res.headers.get('content-disposition')).toContain('filename="page.html"');
    expect(await res.text()).toBe(HTML);
    const head = await get(id, chat.visitor.token, 'HEAD');
    expectInert(head);
  });

  it('serves an uploaded .svg with script the same way, to the visitor and to an agent', async () => {
    const id = await upload('logo.svg', 'image/svg+xml', SVG);
    expectInert(await get(id, chat.visitor.token));
    const agentRes = await get(id, chat.agent.token);
    expectInert(agentRes);
    expect(await agentRes.text()).toBe(SVG);
  });

  it('keeps a file name built to inject headers inside the Content-Disposition value', async () => {
    const id = await upload('a";\r\nSet-Cookie: owned=1;\r\nx=".html', 'text/html', HTML);
    const res = await get(id, chat.visitor.token);
    expectInert(res);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('x')).toBeNull();
    const cd = res.headers.get('content-disposition')!;
    // One quoted ASCII name with no quote inside it, then the exact name percent-encoded.
    expect(cd).toMatch(/^attachment; filename="[^"]*"; filename\*=UTF-8''[A-Za-z0-9%._~!$&+,=@^`|-]*$/);
  });

  it('gives a file to nobody else: no token, another visitor, a token in the query string, a made-up id', async () => {
    const id = await upload('secret.txt', 'text/plain', 'the secret');
    const other = await h.visitor('eve@example.com');
    for (const res of [
      await get(id),
      await get(id, other.token),
      await fetch(`${h.relay.url}/v1/files/${id}?token=${chat.visitor.token}`),
      await fetch(`${h.relay.url}/v1/files/${id}?access_token=${chat.visitor.token}`),
      await get('A'.repeat(22), chat.visitor.token),
      await get(id, 'x'.repeat(43)),
    ]) {
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('the secret');
    }
  });

  it('keeps paths out of ids and names: traversal in a file id, a request id or a file name reaches nothing', async () => {
    for (const path of ['/v1/files/..%2F..%2Fparley.db', '/v1/files/%2e%2e%2fparley.db', '/v1/files/..', '/v1/files/.upload-x', '/v1/files/files%2F..%2F..%2Fpackage.json']) {
      const res = await fetch(h.relay.url + path, { headers: { Authorization: `Bearer ${chat.agent.token}` } });
      expect(res.status).toBe(404);
      expect(await res.text()).not.toMatch(/SQLite format|"name"\s*:\s*"parley-chat"/);
    }
    const up = await fetch(`${h.relay.url}/v1/uploads/..%2F..%2Fparley.db?name=x.txt`, { method: 'POST', headers: { Authorization: `Bearer ${chat.visitor.token}` }, body: 'x' });
    expect(up.status).toBe(404);
    // A name with path parts is cut to its last segment and stored under a random id.
    const id = await upload('../../parley.db', 'application/octet-stream', 'not a database');
    const res = await get(id, chat.visitor.token);
    expect(res.headers.get('content-disposition')).toContain('filename="parley.db"');
    expect(id).not.toContain('parley');
    const v = await h.visitor('after.traversal@example.com');
    expect(v.welcome.t).toBe('welcome');
  });

  it("stops serving files to a removed agent's token", async () => {
    const id = await upload('later.txt', 'text/plain', 'for agents');
    const temp = await h.relay.addAgent('Temp Agent');
    expect((await get(id, temp.token)).status).toBe(200);
    expect(await h.relay.store.removeAgent(temp.id)).toBe(true);
    const after = await get(id, temp.token);
    expect(after.status).toBe(404);
    expect(await after.text()).not.toContain('for agents');
  });

  it('uses file ids of at least 122 random bits that do not follow one another', async () => {
    const ids = [await upload('1.txt', 'text/plain', '1'), await upload('2.txt', 'text/plain', '2'), await upload('3.txt', 'text/plain', '3')];
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
      // base64url carries 6 bits per character.
      expect(id.length * 6).toBeGreaterThanOrEqual(122);
    }
    expect(new Set(ids).size).toBe(3);
    // No shared prefix longer than chance would give (sequential ids share most of theirs).
    const common = (a: string, b: string) => [...a].findIndex((c, i) => c !== b[i]);
    expect(common(ids[0]!, ids[1]!)).toBeLessThan(6);
    expect(common(ids[1]!, ids[2]!)).toBeLessThan(6);
  });
});
