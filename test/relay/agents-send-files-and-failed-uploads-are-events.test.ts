/**
 * Files go both ways: the owner (or a guest) sends the customer a file with
 * `POST /v1/agent-files/{conversationId}` (the same 5 MB cap, served the same inert way),
 * and the customer's upload that fails at the relay (too big, stalled) is an
 * `upload_failed` event the agents see, with the request still open for another try.
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from './helpers.js';

let h: Harness;
afterEach(() => h.cleanup());

const post = (path: string, token: string, body: Uint8Array<ArrayBuffer>, type = 'application/pdf') =>
  fetch(`${h.relay.url}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': type }, body });

describe('agents send files', () => {
  it('the owner sends a file; the customer hears who sent it and downloads it with their token', async () => {
    h = await Harness.start();
    const { visitor, agent } = await h.activeChat();
    const id = visitor.conversationId;
    const res = await post(`/v1/agent-files/${id}?name=return-label.pdf`, agent.token, new Uint8Array([37, 80, 68, 70]));
    expect(res.status).toBe(201);
    const sent = await res.json();
    expect(sent).toMatchObject({ name: 'return-label.pdf', size: 4, mime: 'application/pdf' });
    const ev = await visitor.s.next((f) => f.t === 'event' && f.event.type === 'file');
    expect(ev.event).toMatchObject({ fileId: sent.fileId, from: 'agent', agent: { id: agent.id, name: 'Jane Doe' } });
    const dl = await fetch(`${h.relay.url}/v1/files/${sent.fileId}`, { headers: { Authorization: `Bearer ${visitor.token}` } });
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(new Uint8Array(await dl.arrayBuffer())).toEqual(new Uint8Array([37, 80, 68, 70]));
  });

  it('refuses visitors, agents outside the chat, bodies over 5 MB and ended chats', async () => {
    h = await Harness.start();
    const { visitor, agent } = await h.activeChat();
    const id = visitor.conversationId;
    const bo = await h.agent('Bo Stone');
    expect((await post(`/v1/agent-files/${id}?name=a.txt`, visitor.token, new Uint8Array([1]))).status).toBe(401);
    expect((await post(`/v1/agent-files/${id}?name=a.txt`, bo.token, new Uint8Array([1]))).status).toBe(403);
    const big = await post(`/v1/agent-files/${id}?name=big.bin`, agent.token, new Uint8Array(5 * 1024 * 1024 + 1));
    expect(big.status).toBe(413);
    expect((await big.json()).error.code).toBe('too_large');
    agent.s.send({ t: 'end', id: 'e', conversationId: id });
    await agent.s.next({ id: 'e' });
    expect((await post(`/v1/agent-files/${id}?name=a.txt`, agent.token, new Uint8Array([1]))).status).toBe(409);
    expect((await h.relay.store.readEvents(id, 0)).filter((e) => e.type === 'file')).toEqual([]);
  });
});

describe("a customer's failed upload", () => {
  it('too big: the agents get upload_failed, the customer internal, and the request stays open', async () => {
    h = await Harness.start();
    const { visitor, agent } = await h.activeChat();
    const id = visitor.conversationId;
    agent.s.send({ t: 'request_upload', id: 'r', conversationId: id });
    const { requestId } = await agent.s.next({ id: 'r' });
    const big = await post(`/v1/uploads/${requestId}?name=big.png`, visitor.token, new Uint8Array(5 * 1024 * 1024 + 1), 'image/png');
    expect(big.status).toBe(413);
    const failed = await agent.s.next((f) => f.t === 'event' && f.event.type === 'upload_failed');
    expect(failed.event).toMatchObject({ requestId, reason: 'too_large' });
    expect((await visitor.s.next((f) => f.t === 'event' && f.event.seq === failed.event.seq)).event.type).toBe('internal');
    const ok = await post(`/v1/uploads/${requestId}?name=small.png`, visitor.token, new Uint8Array([1, 2]), 'image/png');
    expect(ok.status).toBe(201);
  });

  it('stalled: upload_failed with reason timeout', async () => {
    h = await Harness.start({ uploadTimeoutMs: 200 });
    const { visitor, agent } = await h.activeChat();
    agent.s.send({ t: 'request_upload', id: 'r', conversationId: visitor.conversationId });
    const { requestId } = await agent.s.next({ id: 'r' });
    const { port } = new URL(h.relay.url);
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: `/v1/uploads/${requestId}?name=slow.png`, headers: { Authorization: `Bearer ${visitor.token}`, 'Content-Length': '1000' } });
    req.on('error', () => {});
    req.write(new Uint8Array(10));
    const status = await new Promise<number>((r) => req.on('response', (res) => r(res.statusCode ?? 0)));
    expect(status).toBe(408);
    req.destroy();
    const failed = await agent.s.next((f) => f.t === 'event' && f.event.type === 'upload_failed');
    expect(failed.event).toMatchObject({ requestId, reason: 'timeout' });
  });
});
