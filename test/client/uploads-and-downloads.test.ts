// @vitest-environment happy-dom
import { HttpResponse, delay, http } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import type { ChatClient, ChatError } from '../../src/client/index.js';
import { JANE } from '../fake-relay/model.js';
import { RELAY } from '../fake-relay/visitor-endpoint.js';
import { useVisitorRelay, WAIT } from '../fake-relay/visitor-harness.js';

const env = useVisitorRelay();
const LIMIT = 5_242_880;

async function withOpenRequest(): Promise<ChatClient> {
  const client = env.client();
  await client.start({ email: 'ann@example.com' });
  env.relay.append({ type: 'claimed', agent: JANE });
  env.relay.append({ type: 'upload_requested', requestId: 'req_1', agent: JANE, note: 'Your receipt, please', maxBytes: LIMIT });
  await vi.waitFor(() => expect(client.state.openUpload?.requestId, 'open request').toBe('req_1'), WAIT);
  return client;
}

const file = (bytes: number, name = 'receipt.pdf', type = 'application/pdf') =>
  Object.assign(new Blob([new Uint8Array(bytes)], { type }), { name });

describe('ChatClient.upload', () => {
  it('refuses a file over 5,242,880 bytes before any byte is sent, with its size and the limit', async () => {
    const client = await withOpenRequest();
    let requests = 0;
    env.server.use(http.post(`${RELAY}/v1/uploads/:id`, () => void requests++));
    const err = (await client.upload(file(LIMIT + 1)).catch((e: ChatError) => e)) as ChatError;
    expect(err).toMatchObject({ code: 'file_too_large', size: LIMIT + 1, limit: LIMIT });
    expect(client.state.upload).toMatchObject({ status: 'failed', error: { code: 'file_too_large' } });
    expect(requests).toBe(0);
  });

  it('posts the file with the token in a header, reports progress and resolves with the relay’s answer', async () => {
    const client = await withOpenRequest();
    const seen: { url: string; auth: string | null; type: string | null; size: number }[] = [];
    env.server.use(
      http.post(`${RELAY}/v1/uploads/:id`, async ({ request }) => {
        const body = await request.arrayBuffer();
        seen.push({ url: request.url, auth: request.headers.get('authorization'), type: request.headers.get('content-type'), size: body.byteLength });
        return HttpResponse.json({ fileId: 'file_1', name: 'receipt.pdf', size: body.byteLength, mime: 'application/pdf' }, { status: 201 });
      }),
    );
    const progress: [number, number][] = [];
    const result = await client.upload(file(LIMIT), { onProgress: (l, t) => progress.push([l, t]) });
    expect(result).toEqual({ fileId: 'file_1', name: 'receipt.pdf', size: LIMIT, mime: 'application/pdf' });
    expect(seen).toEqual([{ url: `${RELAY}/v1/uploads/req_1?name=receipt.pdf`, auth: `Bearer ${env.relay.token}`, type: 'application/pdf', size: LIMIT }]);
    expect(seen[0]!.url).not.toContain(env.relay.token);
    expect(progress[0]).toEqual([0, LIMIT]);
    expect(progress.at(-1)).toEqual([LIMIT, LIMIT]);
    expect(client.state.upload).toMatchObject({ requestId: 'req_1', fileName: 'receipt.pdf', loaded: LIMIT, total: LIMIT, status: 'done' });
  });

  it.each([
    [413, 'too_large'],
    [409, 'conflict'],
    [404, 'not_found'],
    [403, 'forbidden'],
    [401, 'unauthorized'],
  ] as const)('turns the relay’s %i into a %s error with the status', async (status, code) => {
    const client = await withOpenRequest();
    env.server.use(http.post(`${RELAY}/v1/uploads/:id`, () => HttpResponse.json({ error: { code, message: `no: ${code}` } }, { status })));
    await expect(client.upload(file(10))).rejects.toMatchObject({ code, status, message: `no: ${code}` });
    expect(client.state.upload).toMatchObject({ status: 'failed', error: { code, status } });
  });

  it('without an open request refuses at once', async () => {
    const client = env.client();
    await client.start({ email: 'ann@example.com' });
    await expect(client.upload(file(10))).rejects.toMatchObject({ code: 'no_upload_request' });
  });

  it('cancelUpload aborts the upload in progress and withdraws the open request', async () => {
    const client = await withOpenRequest();
    env.server.use(
      http.post(`${RELAY}/v1/uploads/:id`, async () => {
        await delay(2000);
        return HttpResponse.json({}, { status: 201 });
      }),
    );
    const pending = client.upload(file(1000));
    await new Promise((r) => setTimeout(r, 20));
    client.cancelUpload();
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
    await vi.waitFor(() => expect(client.state.openUpload, 'request withdrawn').toBeNull(), WAIT);
    expect(env.relay.framesOf('cancel_upload')).toEqual([expect.objectContaining({ requestId: 'req_1' })]);
  });

  it('stops when the caller’s AbortSignal fires', async () => {
    const client = await withOpenRequest();
    env.server.use(
      http.post(`${RELAY}/v1/uploads/:id`, async () => {
        await delay(2000);
        return HttpResponse.json({}, { status: 201 });
      }),
    );
    const ac = new AbortController();
    const pending = client.upload(file(1000), { signal: ac.signal });
    setTimeout(() => ac.abort(), 20);
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
  });
});

describe('ChatClient.download', () => {
  it('fetches with Authorization: Bearer and never puts the token in the URL', async () => {
    const client = await withOpenRequest();
    const urls: string[] = [];
    env.server.use(
      http.get(`${RELAY}/v1/files/:id`, ({ request, params }) => {
        urls.push(request.url);
        if (request.headers.get('authorization') !== `Bearer ${env.relay.token}`) {
          return HttpResponse.json({ error: { code: 'not_found', message: 'no such file' } }, { status: 404 });
        }
        return new HttpResponse(`bytes of ${String(params['id'])}`, { headers: { 'Content-Type': 'text/plain' } });
      }),
    );
    const blob = await client.download('file_1');
    expect(await blob.text()).toBe('bytes of file_1');
    expect(urls).toEqual([`${RELAY}/v1/files/file_1`]);
    await expect(client.download('file_2')).resolves.toBeInstanceOf(Blob);
    env.relay.token = 'other';
    client.newChat();
    await expect(client.download('file_1')).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('turns a 404 into a not_found error', async () => {
    const client = await withOpenRequest();
    env.server.use(http.get(`${RELAY}/v1/files/:id`, () => HttpResponse.json({ error: { code: 'not_found', message: 'gone' } }, { status: 404 })));
    await expect(client.download('nope')).rejects.toMatchObject({ code: 'not_found', status: 404, message: 'gone' });
  });
});
