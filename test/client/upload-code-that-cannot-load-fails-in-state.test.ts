// @vitest-environment happy-dom
// When the upload code cannot be fetched (the network), the upload fails as any failed
// upload does, in `state.upload`, so a UI offers Retry; the next try loads it again.
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { JANE } from '../fake-relay/model.js';
import { RELAY } from '../fake-relay/visitor-endpoint.js';
import { useVisitorRelay, WAIT } from '../fake-relay/visitor-harness.js';

const net = vi.hoisted(() => ({ down: true }));

vi.mock('../../src/client/transfers.js', async (importOriginal) => {
  if (net.down) throw new TypeError('Failed to fetch dynamically imported module');
  return importOriginal();
});

const env = useVisitorRelay();
const file = (bytes: number) => Object.assign(new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), { name: 'receipt.pdf' });

describe('ChatClient.upload without its code', () => {
  it('fails with network in state.upload, and uploads once the code loads', async () => {
    const client = env.client();
    await client.start({ email: 'ann@example.com' });
    env.relay.append({ type: 'claimed', agent: JANE });
    env.relay.append({ type: 'upload_requested', requestId: 'req_1', agent: JANE, maxBytes: 5_242_880 });
    await vi.waitFor(() => expect(client.state.openUpload?.requestId, 'open request').toBe('req_1'), WAIT);
    await expect(client.upload(file(10))).rejects.toMatchObject({ code: 'network' });
    expect(client.state.upload).toMatchObject({ requestId: 'req_1', fileName: 'receipt.pdf', status: 'failed', error: { code: 'network' } });

    net.down = false;
    env.server.use(http.post(`${RELAY}/v1/uploads/:id`, () => HttpResponse.json({ fileId: 'file_1', name: 'receipt.pdf', size: 10, mime: 'application/pdf' }, { status: 201 })));
    await expect(client.upload(file(10))).resolves.toMatchObject({ fileId: 'file_1' });
    expect(client.state.upload).toMatchObject({ status: 'done' });
  });
});
