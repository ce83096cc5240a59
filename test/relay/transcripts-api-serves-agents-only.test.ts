/**
 * The transcript endpoints (`/v1/transcripts`, `/v1/transcripts/{id}`,
 * `/v1/transcripts.csv`): an agent's token reads them; a visitor's token, a made-up
 * token or none gets 401 with `WWW-Authenticate: Bearer`. Lists filter by email and
 * end time and come in pages; one record carries its events with the agents' notes
 * marked internal; an open chat has no record; the CSV defuses formula cells.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/relay/index.js';
import { csvCell } from '../../src/relay/transcript-csv.js';
import { cid, Harness, TestSocket } from './helpers.js';

describe('the transcripts API serves agents only', () => {
  let h: Harness;
  let agentToken: string;
  beforeEach(async () => {
    h = await Harness.start();
    agentToken = (await h.relay.addAgent('Reader')).token;
  });
  afterEach(() => h.cleanup());

  const get = (path: string, token: string | null = agentToken, headers: Record<string, string> = {}) =>
    fetch(`${h.relay.url}${path}`, { headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers } });

  /** A chat by `email` (and `name`) that the visitor ends; resolves to its id. */
  async function endedChat(email: string, extra: Record<string, string> = {}): Promise<string> {
    const v = await h.visitor(email, extra);
    v.s.send({ t: 'end', id: 'e' });
    expect(await v.s.next({ id: 'e' })).toEqual({ t: 'ok', id: 'e' });
    // Distinct end times, so since/until have something to tell apart.
    await TestSocket.wait(5);
    return v.conversationId;
  }

  it('refuses a missing token, a visitor token and an unknown token with 401 and WWW-Authenticate', async () => {
    const v = await h.visitor('ann@example.com');
    for (const path of ['/v1/transcripts', `/v1/transcripts/${v.conversationId}`, '/v1/transcripts.csv']) {
      for (const token of [null, v.token, 'x'.repeat(43)]) {
        const res = await get(path, token);
        expect(res.status, `${path} with ${String(token)}`).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
        expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: 'an agent token is required' } });
      }
    }
  });

  it('lists ended chats newest first for an agent, without events, filtered by email, since and until', async () => {
    const first = await endedChat('Ann@example.com');
    const second = await endedChat('bob@example.com');
    const third = await endedChat('ann@example.com');
    await h.visitor('ann@example.com'); // open: never listed
    const res = await get('/v1/transcripts');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const body = await res.json();
    expect(body.items.map((r: { conversationId: string }) => r.conversationId)).toEqual([third, second, first]);
    expect(body.next).toBeNull();
    expect(body.items[0]).not.toHaveProperty('events');
    expect(body.items[0]).toMatchObject({ visitor: { email: 'ann@example.com' }, status: 'missed', endedBy: 'visitor' });

    const ids = async (query: string) => ((await (await get(`/v1/transcripts?${query}`)).json()).items as { conversationId: string }[]).map((r) => r.conversationId);
    expect(await ids('email=ANN%40example.com')).toEqual([third, first]);
    const endedAt = (body.items as { conversationId: string; endedAt: string }[]).find((r) => r.conversationId === second)!.endedAt;
    expect(await ids(`since=${encodeURIComponent(endedAt)}`)).toEqual([third, second]);
    expect(await ids(`until=${encodeURIComponent(endedAt)}`)).toEqual([first]);
  });

  it('pages with an opaque cursor and refuses bad parameters with 400 invalid', async () => {
    const made = [await endedChat('a@example.com'), await endedChat('b@example.com'), await endedChat('c@example.com')];
    const one = await (await get('/v1/transcripts?limit=2')).json();
    expect(one.items).toHaveLength(2);
    expect(typeof one.next).toBe('string');
    const two = await (await get(`/v1/transcripts?limit=2&cursor=${one.next}`)).json();
    expect(two.next).toBeNull();
    expect([...one.items, ...two.items].map((r: { conversationId: string }) => r.conversationId)).toEqual([...made].reverse());
    for (const bad of ['since=yesterday', 'until=2026-13-45T00:00:00Z', 'cursor=not-a-cursor', 'limit=0', 'limit=201', 'email=nobody']) {
      const res = await get(`/v1/transcripts?${bad}`);
      expect(res.status, bad).toBe(400);
      expect((await res.json()).error.code).toBe('invalid');
    }
    expect((await get('/v1/transcripts.csv?cursor=%3D%3D')).status).toBe(400);
  });

  it('gives one record with its events and the notes marked internal; 404 while the chat is open', async () => {
    const { visitor, agent } = await h.activeChat();
    agent.s.send({ t: 'send', id: 's', conversationId: visitor.conversationId, clientId: cid(), text: 'Hello!' });
    await agent.s.next({ id: 's' });
    agent.s.send({ t: 'note', id: 'n', conversationId: visitor.conversationId, text: 'VIP customer' });
    await agent.s.next({ id: 'n' });
    const open = await get(`/v1/transcripts/${visitor.conversationId}`);
    expect(open.status).toBe(404);
    expect((await open.json()).error.code).toBe('not_found');
    agent.s.send({ t: 'end', id: 'e', conversationId: visitor.conversationId });
    await agent.s.next({ id: 'e' });
    const res = await get(`/v1/transcripts/${visitor.conversationId}`);
    expect(res.status).toBe(200);
    const record = await res.json();
    expect(record).toMatchObject({ conversationId: visitor.conversationId, status: 'completed', endedBy: 'agent', agents: [{ id: agent.id }] });
    const note = record.events.find((e: { type: string }) => e.type === 'note');
    expect(note).toMatchObject({ internal: true, text: 'VIP customer', agent: { id: agent.id } });
    expect(record.events.filter((e: { internal: boolean }) => !e.internal).map((e: { type: string }) => e.type)).toEqual(['requested', 'claimed', 'message', 'ended']);
    expect((await get('/v1/transcripts/no-such-conversation')).status).toBe(404);
  });

  it('serves CSV with a header row, one row per record, quoted fields and formula cells defused', async () => {
    await endedChat('ann@example.com', { name: '=HYPERLINK("http://evil.example","x")' });
    await endedChat('bob@example.com', { name: 'Bob, Jr.' });
    const res = await get('/v1/transcripts.csv?email=ann@example.com');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const lines = (await res.text()).split('\r\n');
    expect(lines[0]).toMatch(/^conversationId,email,name,verified,/);
    expect(lines).toHaveLength(3); // header, one record, and the empty string after the last CRLF
    expect(lines[1]).toContain(`,"'=HYPERLINK(""http://evil.example"",""x"")",`);
    const all = (await (await get('/v1/transcripts.csv')).text()).split('\r\n');
    expect(all).toHaveLength(4);
    expect(all[1]).toContain(',"Bob, Jr.",');
  });

  it('streams every page into the CSV, past the 200 records of one page', async () => {
    const store = new SqliteStore(':memory:');
    const relay = await Harness.start({ store });
    try {
      const token = (await relay.relay.addAgent('Reader')).token;
      for (let i = 0; i < 205; i++) {
        const id = `conv${String(i).padStart(3, '0')}`;
        const email = `c${i}@example.com`;
        await store.createConversation({ id, tokenHash: `h${i}`, email, ip: '10.0.0.1' }, { type: 'requested', visitor: { email } }, '2026-01-01T00:00:00.000Z');
        await store.append(id, 1, [{ type: 'ended', by: 'visitor' }], '2026-01-01T00:01:00.000Z', { status: 'ended', ownerId: null });
      }
      const res = await fetch(`${relay.relay.url}/v1/transcripts.csv`, { headers: { Authorization: `Bearer ${token}` } });
      const rows = (await res.text()).split('\r\n').slice(1, -1);
      expect(rows).toHaveLength(205);
      expect(new Set(rows.map((r) => r.split(',')[0])).size).toBe(205);
    } finally {
      await relay.cleanup();
      await store.close();
    }
  });

  it('is not for other origins: a preflight gets 405 and no CORS headers', async () => {
    const res = await fetch(`${h.relay.url}/v1/transcripts`, { method: 'OPTIONS', headers: { Origin: 'https://shop.example' } });
    expect(res.status).toBe(405);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('a CSV cell', () => {
  it('defuses text a spreadsheet would run, quotes per RFC 4180, and writes numbers as they are', () => {
    expect(['=1+2', '+1', '-1', '@SUM(A1)', '\tx', 'plain'].map(csvCell)).toEqual(["'=1+2", "'+1", "'-1", "'@SUM(A1)", "'\tx", 'plain']);
    expect(csvCell('a "b", c\r\nd')).toBe('"a ""b"", c\r\nd"');
    expect([null, -1.5, true].map(csvCell)).toEqual(['', '-1.5', 'true']);
  });
});
