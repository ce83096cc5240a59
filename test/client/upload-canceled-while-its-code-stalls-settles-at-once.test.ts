// @vitest-environment happy-dom
// The upload code is fetched on first use; if that fetch stalls, a cancel (or the
// caller's signal) still settles the upload at once, as `aborted`, and a new upload for
// a new request is not refused as a conflict.
import { describe, expect, it, vi } from 'vitest';
import type { ChatError } from '../../src/client/index.js';
import { JANE } from '../fake-relay/model.js';
import { useVisitorRelay, WAIT } from '../fake-relay/visitor-harness.js';

// The module never arrives.
vi.mock('../../src/client/transfers.js', () => new Promise(() => {}));

const env = useVisitorRelay();
const file = () => Object.assign(new Blob([new Uint8Array(10)], { type: 'text/plain' }), { name: 'a.txt' });

describe('an upload whose code never arrives', () => {
  it('settles at once on cancelUpload() and on its signal', async () => {
    const client = env.client();
    await client.start({ email: 'ann@example.com' });
    env.relay.append({ type: 'claimed', agent: JANE });
    env.relay.append({ type: 'upload_requested', requestId: 'req_1', agent: JANE, maxBytes: 5_242_880 });
    await vi.waitFor(() => expect(client.state.openUpload?.requestId).toBe('req_1'), WAIT);

    const first = client.upload(file());
    client.cancelUpload();
    expect(((await first.catch((e: ChatError) => e)) as ChatError).code).toBe('aborted');
    expect(client.state.upload).toMatchObject({ status: 'failed', error: { code: 'aborted' } });

    env.relay.append({ type: 'upload_requested', requestId: 'req_2', agent: JANE, maxBytes: 5_242_880 });
    await vi.waitFor(() => expect(client.state.openUpload?.requestId).toBe('req_2'), WAIT);
    const signal = new AbortController();
    const second = client.upload(file(), { signal: signal.signal });
    signal.abort();
    expect(((await second.catch((e: ChatError) => e)) as ChatError).code).toBe('aborted');
  });
});
