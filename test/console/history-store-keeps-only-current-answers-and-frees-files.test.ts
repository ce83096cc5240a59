/**
 * The History store on its own: an answer that comes after a newer search, or after a
 * sign-out, is dropped; earlier chats are read once per email and again only after
 * `earlierFreshMs` or a failure; a past chat's file URLs are freed when it closes, when
 * another opens and at sign-out, and a file that arrives too late is freed at once; an
 * answer that is not a transcript page is refused; the agent's days become the bounds
 * of their own time zone.
 */
import { describe, expect, it } from 'vitest';
import { dayBounds } from '../../src/console/history-api.js';
import { ANY_CHAT } from '../../src/console/history-state.js';
import { HistoryStore, type HistoryStoreOptions } from '../../src/console/history-store.js';
import { ParleyError } from '../../src/protocol/index.js';
import { JANE_TOKEN } from '../fake-relay/agent-endpoint.js';
import { FakeTranscripts } from '../fake-relay/transcripts-http.js';

/** Resolves after pending promises and a timer turn (fake HTTP answers settle in a few). */
const settle = () => new Promise((r) => setTimeout(r, 10));

function storeOver(transcripts: FakeTranscripts, options: Partial<HistoryStoreOptions> = {}) {
  const made: string[] = [];
  const revoked: string[] = [];
  const store = new HistoryStore({
    token: () => JANE_TOKEN,
    fetch: transcripts.fetch,
    baseUrl: 'http://relay.test/console/',
    createObjectURL: () => {
      made.push(`blob:test/${made.length + 1}`);
      return made[made.length - 1]!;
    },
    revokeObjectURL: (u) => revoked.push(u),
    ...options,
  });
  return { store, made, revoked };
}

function withChats(): FakeTranscripts {
  const t = new FakeTranscripts();
  t.add({ id: 'p1', email: 'ann@example.com', endedAt: '2026-01-03T10:00:00.000Z', messages: [['visitor', 'chipped mug']] });
  t.add({ id: 'p2', email: 'bob@example.com', endedAt: '2026-01-04T10:00:00.000Z', files: [{ id: 'f1', name: 'a.png', bytes: new Uint8Array([1]) }] });
  return t;
}

describe('HistoryStore', () => {
  it('keeps the newest search only, whatever order the answers come in', async () => {
    const t = withChats();
    const { store } = storeOver(t);
    t.hold();
    const first = store.search(ANY_CHAT);
    const second = store.search({ ...ANY_CHAT, text: 'chipped' });
    t.release();
    await Promise.all([first, second]);
    expect(store.state.search?.query.text).toBe('chipped');
    expect(store.state.search?.items.map((r) => r.conversationId)).toEqual(['p1']);
  });

  it('drops what comes after a sign-out, and reads nothing without a token', async () => {
    const t = withChats();
    let token: string | null = JANE_TOKEN;
    const { store } = storeOver(t, { token: () => token });
    t.hold();
    const search = store.search(ANY_CHAT);
    const open = store.open('p1');
    store.clear();
    token = null;
    t.release();
    await Promise.all([search, open]);
    expect(store.state).toEqual({ search: null, open: null, earlier: {} });
    await store.search(ANY_CHAT);
    expect(store.state.search?.error?.code).toBe('unauthorized');
  });

  it('reads earlier chats once per email until they are stale, and again after a failure', async () => {
    const t = withChats();
    let now = 1_000_000;
    const { store } = storeOver(t, { now: () => now, earlierFreshMs: 60_000 });
    await store.loadEarlier('ann@example.com');
    await store.loadEarlier('ANN@example.com');
    expect(t.transcriptRequests).toHaveLength(1);
    expect(store.state.earlier['ann@example.com']?.items.map((r) => r.conversationId)).toEqual(['p1']);
    now += 59_999;
    await store.loadEarlier('ann@example.com');
    expect(t.transcriptRequests).toHaveLength(1);
    now += 1;
    await store.loadEarlier('ann@example.com');
    expect(t.transcriptRequests).toHaveLength(2);

    t.failWith = 500;
    await store.loadEarlier('bob@example.com');
    // A failure keeps nothing it did not have, and is tried again at the next opening.
    expect(store.state.earlier['bob@example.com']).toMatchObject({ status: 'failed', items: [] });
    t.failWith = null;
    await store.loadEarlier('bob@example.com');
    expect(store.state.earlier['bob@example.com']?.status).toBe('ready');
  });

  it("frees a past chat's file URLs when it closes, when another opens and at sign-out", async () => {
    const t = withChats();
    const { store, made, revoked } = storeOver(t);
    await store.open('p2');
    await store.download('f1');
    expect(store.state.open?.downloads['f1']).toEqual({ status: 'ready', url: 'blob:test/1' });
    // A newer download of the same file replaces the older URL.
    await store.download('f1');
    expect(revoked).toEqual(['blob:test/1']);
    await store.open('p1');
    expect(revoked).toEqual(['blob:test/1', 'blob:test/2']);
    await store.open('p2');
    await store.download('f1');
    store.close();
    expect(revoked).toContain('blob:test/3');
    await store.open('p2');
    await store.download('f1');
    store.clear();
    expect(revoked).toContain('blob:test/4');
    expect(made).toHaveLength(4);
  });

  it('frees a file that arrives after its chat closed, and never shows it', async () => {
    const t = withChats();
    const { store, revoked } = storeOver(t);
    await store.open('p2');
    t.hold();
    const download = store.download('f1');
    await settle();
    store.close();
    t.release();
    await download;
    expect(revoked).toEqual(['blob:test/1']);
    expect(store.state.open).toBeNull();
  });

  it('refuses an answer that is not a page of records, and says what the relay refused', async () => {
    const t = withChats();
    const { store } = storeOver(t, {
      fetch: (async () => new Response(JSON.stringify({ items: [{ conversationId: 7 }], next: null }), { status: 200 })) as typeof fetch,
    });
    await store.search(ANY_CHAT);
    expect(store.state.search?.error).toBeInstanceOf(ParleyError);
    expect(store.state.search?.error).toMatchObject({ code: 'bad_frame', message: 'The relay sent an answer the console cannot read' });
    const refused = storeOver(t, {
      fetch: (async () => new Response(JSON.stringify({ error: { code: 'invalid', message: 'q must be at most 200 characters' } }), { status: 400 })) as typeof fetch,
    }).store;
    await refused.search({ ...ANY_CHAT, text: 'x' });
    expect(refused.state.search?.error).toBeInstanceOf(ParleyError);
    expect(refused.state.search?.error).toMatchObject({ code: 'invalid', status: 400, message: 'q must be at most 200 characters' });
    const down = storeOver(t, { fetch: (async () => Promise.reject(new TypeError('offline'))) as typeof fetch }).store;
    await down.open('p1');
    expect(down.state.open).toMatchObject({ status: 'failed', error: { code: 'network' } });
  });
});

describe('dayBounds', () => {
  it("gives the midnights of the agent's time zone: the first day's and the one after the last", () => {
    expect(dayBounds('2026-01-30', '2026-01-31')).toEqual({ since: new Date(2026, 0, 30).toISOString(), until: new Date(2026, 1, 1).toISOString() });
    expect(dayBounds('', '2026-12-31')).toEqual({ until: new Date(2027, 0, 1).toISOString() });
    expect(dayBounds('2026-02-01', '')).toEqual({ since: new Date(2026, 1, 1).toISOString() });
    expect(dayBounds('yesterday', '31/01/2026')).toEqual({});
  });
});
