// @vitest-environment happy-dom
// The upload and download code is a module of its own, loaded when an agent first asks
// for a file (the script tag fetches it then). While it loads, an upload already counts
// as in progress: a second one is refused and a cancel stops it before any byte is sent.
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import type { ChatError } from '../../src/client/index.js';
import { JANE } from '../fake-relay/model.js';
import { RELAY } from '../fake-relay/visitor-endpoint.js';
import { useVisitorRelay, WAIT } from '../fake-relay/visitor-harness.js';

/** Holds the module back until a test lets it through, and counts the times it was asked for. */
const gate = vi.hoisted(() => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open, asked: 0 };
});

vi.mock('../../src/client/transfers.js', async (importOriginal) => {
  gate.asked++;
  await gate.opened;
  return importOriginal();
});

const env = useVisitorRelay();
const file = (bytes: number) => Object.assign(new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), { name: 'receipt.pdf' });

describe('ChatClient uploads while their code loads', () => {
  it('asks for the code when an agent asks for a file, and a cancel meanwhile stops the upload', async () => {
    const client = env.client();
    await client.start({ email: 'ann@example.com' });
    env.relay.append({ type: 'claimed', agent: JANE });
    expect(gate.asked).toBe(0);
    env.relay.append({ type: 'upload_requested', requestId: 'req_1', agent: JANE, maxBytes: 5_242_880 });
    await vi.waitFor(() => expect(client.state.openUpload?.requestId, 'open request').toBe('req_1'), WAIT);
    expect(gate.asked).toBe(1);

    let posts = 0;
    env.server.use(http.post(`${RELAY}/v1/uploads/:id`, () => (posts++, HttpResponse.json({}, { status: 201 }))));
    const pending = client.upload(file(10));
    await expect(client.upload(file(10))).rejects.toMatchObject({ code: 'conflict' });
    client.cancelUpload();
    gate.open();
    const err = (await pending.catch((e: ChatError) => e)) as ChatError;
    expect(err.code).toBe('aborted');
    expect(client.state.upload).toMatchObject({ requestId: 'req_1', status: 'failed', error: { code: 'aborted' } });
    expect(posts).toBe(0);
    await vi.waitFor(() => expect(env.relay.framesOf('cancel_upload')).toHaveLength(1), WAIT);
  });
});
