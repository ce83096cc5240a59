import { describe, expect, it } from 'vitest';
import { readTranscript, readTranscriptPage, type HistoryHttp } from '../../src/console/history-api.js';
import { ParleyError } from '../../src/protocol/index.js';

const baseUrl = 'http://relay.test/console/';
const answering = (body: BodyInit | null, status: number): HistoryHttp => ({ baseUrl, fetch: async () => new Response(body, { status }) });

/** What a failed request rejected with, checked to be a `ParleyError`. */
async function failure(p: Promise<unknown>): Promise<ParleyError> {
  const e = await p.then(
    () => expect.fail('the request resolved'),
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ParleyError);
  return e as ParleyError;
}

describe('history requests', () => {
  it('reject with network when the relay cannot be reached', async () => {
    const http: HistoryHttp = { baseUrl, fetch: () => Promise.reject(new TypeError('Failed to fetch')) };
    const e = await failure(readTranscriptPage(http, 'token', { q: 'mug' }));
    expect(e).toMatchObject({ code: 'network', name: 'ParleyError' });
  });

  it('reject with the code a refused status stands for, and the relay’s message when it sent one', async () => {
    const bare = await failure(readTranscriptPage(answering('oops', 500), 'token', {}));
    expect(bare).toMatchObject({ code: 'internal', status: 500, message: 'The relay answered 500' });
    const said = await failure(readTranscriptPage(answering(JSON.stringify({ error: { code: 'unauthorized', message: 'bad token' } }), 401), 'token', {}));
    expect(said).toMatchObject({ code: 'unauthorized', status: 401, message: 'bad token' });
    const gone = await failure(readTranscript(answering(null, 404), 'token', 'c1'));
    expect(gone).toMatchObject({ code: 'not_found', status: 404 });
  });

  it('reject with bad_frame when the answer cannot be read', async () => {
    expect(await failure(readTranscriptPage(answering('not json', 200), 'token', {}))).toMatchObject({ code: 'bad_frame' });
    expect(await failure(readTranscript(answering(JSON.stringify({ id: 42 }), 200), 'token', 'c1'))).toMatchObject({ code: 'bad_frame' });
  });
});
