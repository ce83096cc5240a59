/**
 * `q` on `GET /v1/transcripts` and `/v1/transcripts.csv` (docs/protocol.md,
 * "Transcripts"): it finds chats by the visitor's name, a message either side wrote or
 * an agent's note, over real sockets; it is trimmed, an empty one searches nothing, a
 * long one is refused. And an ended chat's files stay downloadable by any agent, which
 * the console's History view relies on.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_SEARCH_LENGTH } from '../../src/protocol/index.js';
import { cid, Harness, type TestSocket } from './helpers.js';
import { csvCell } from '../../src/relay/transcript-csv.js';

describe('the transcripts API searches with q', () => {
  let h: Harness;
  let agent: Awaited<ReturnType<Harness['agent']>>;
  beforeEach(async () => {
    h = await Harness.start();
    agent = await h.agent('Jane Doe');
    // Jane takes more chats than the default capacity of 3 in these tests.
    await h.relay.store.setAgentCapacity(agent.id, 20);
  });
  afterEach(() => h.cleanup());

  const get = (path: string, token = agent.token) => fetch(`${h.relay.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  const ask = async (s: TestSocket, frame: Record<string, unknown>) => {
    const id = `r${Math.random()}`;
    s.send({ ...frame, id });
    const reply = await s.next({ id });
    expect(reply.t, JSON.stringify(reply)).not.toBe('error');
    return reply;
  };

  /** A chat Jane claims, where the visitor and Jane may write and Jane may note; `end()` ends it. */
  async function chat(email: string, name: string, words: { visitor?: string; agent?: string; note?: string } = {}) {
    const v = await h.visitor(email, { name });
    const conversationId = v.conversationId;
    await ask(agent.s, { t: 'claim', conversationId });
    if (words.visitor) await ask(v.s, { t: 'send', clientId: cid(), text: words.visitor });
    if (words.agent) await ask(agent.s, { t: 'send', conversationId, clientId: cid(), text: words.agent });
    if (words.note) await ask(agent.s, { t: 'note', conversationId, text: words.note });
    return { v, conversationId, end: () => ask(agent.s, { t: 'end', conversationId }) };
  }

  const ids = async (query: string): Promise<string[]> => {
    const res = await get(`/v1/transcripts?${query}`);
    expect(res.status, query).toBe(200);
    return ((await res.json()).items as { conversationId: string }[]).map((r) => r.conversationId);
  };

  it("finds ended chats by the visitor's name, either side's messages and agents' notes, ignoring case", async () => {
    const ann = await chat('ann@example.com', 'Ann Lee', { visitor: 'My parcel never came' });
    const bob = await chat('bob@example.com', 'Bob Stone', { agent: 'I have refunded the mug' });
    const cy = await chat('cy@example.com', 'Cy Park', { note: 'Wants the blue glaze only' });
    await chat('ann.lee@example.com', 'Ann Lee', { visitor: 'parcel again' }); // left open
    for (const c of [ann, bob, cy]) await c.end();

    expect(await ids('q=ann%20LEE')).toEqual([ann.conversationId]);
    expect(await ids('q=PARCEL')).toEqual([ann.conversationId]);
    expect(await ids('q=refunded')).toEqual([bob.conversationId]);
    expect(await ids('q=blue%20glaze')).toEqual([cy.conversationId]);
    expect(await ids('q=bob%40example')).toEqual([bob.conversationId]);
    expect(await ids('q=nothing-like-this')).toEqual([]);
    // The open chat is no record yet, whatever it says.
    expect(await ids('q=again')).toEqual([]);

    const csv = await (await get('/v1/transcripts.csv?q=glaze')).text();
    const rows = csv.split('\r\n').slice(1, -1);
    expect(rows).toHaveLength(1);
    // The id as a CSV cell: one that starts with "-" is defused like a formula.
    expect(rows[0]!.startsWith(`${csvCell(cy.conversationId)},`)).toBe(true);
  });

  it('trims q, takes an empty one as no search, and refuses one over the limit with 400 invalid', async () => {
    const ann = await chat('ann@example.com', 'Ann Lee');
    const bob = await chat('bob@example.com', 'Bob Stone');
    await ann.end();
    // Records list newest end first: Bob's must end in a later millisecond than Ann's.
    const annEnded = Date.now();
    while (Date.now() === annEnded) await new Promise((r) => setTimeout(r, 1));
    await bob.end();
    expect(await ids('q=%20%20stone%20')).toEqual([bob.conversationId]);
    expect(await ids('q=')).toEqual([bob.conversationId, ann.conversationId]);
    expect(await ids('q=%20%20')).toEqual([bob.conversationId, ann.conversationId]);
    expect(await ids(`q=${'x'.repeat(MAX_SEARCH_LENGTH)}`)).toEqual([]);
    for (const path of ['/v1/transcripts', '/v1/transcripts.csv']) {
      const res = await get(`${path}?q=${'x'.repeat(MAX_SEARCH_LENGTH + 1)}`);
      expect(res.status).toBe(400);
      expect((await res.json()).error).toEqual({ code: 'invalid', message: `q must be at most ${MAX_SEARCH_LENGTH} characters` });
    }
  });

  it("serves an ended chat's file to any agent, as its record lists it", async () => {
    const ann = await chat('ann@example.com', 'Ann Lee');
    const request = await ask(agent.s, { t: 'request_upload', conversationId: ann.conversationId });
    const up = await fetch(`${h.relay.url}/v1/uploads/${request.requestId}?name=label.png`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ann.v.token}`, 'Content-Type': 'image/png' },
      body: new Uint8Array([1, 2, 3]),
    });
    expect(up.status).toBe(201);
    await ann.end();

    const record = await (await get(`/v1/transcripts/${ann.conversationId}`)).json();
    expect(record.files).toEqual([{ id: expect.any(String), name: 'label.png', bytes: 3 }]);
    // Another agent, who never saw the chat.
    const bo = await h.relay.addAgent('Bo Lind');
    const file = await get(`/v1/files/${record.files[0].id}`, bo.token);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect([...new Uint8Array(await file.arrayBuffer())]).toEqual([1, 2, 3]);
  });
});
