/**
 * `Store.listEnded` with `search`, on every store (a SQLite file, SQLite in memory,
 * PostgreSQL), as in store-lists-ended-conversations.test.ts: the term is found, ignoring
 * case, in the email, the visitor's name, any message (visitor's or agent's) and any
 * agent's note, and nowhere else; `%`, `_` and `\` in it are plain characters; it combines
 * with the other filters and with keyset pages; open conversations are never found.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventBody } from '../../src/protocol/index.js';
import type { EndedConversationRecord, Store } from '../../src/relay/store.js';
import { storeKinds } from './store-kinds.js';

const kinds = storeKinds('search');

const t = (minute: number): string => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
const JANE = { id: 'agent-jane', name: 'Jane Doe' };

interface Chat {
  email: string;
  name?: string;
  /** Events after `requested`, before `ended`. */
  then?: EventBody[];
  notes?: string[];
  /** Minute it ends at; null leaves it open. */
  endedAt: number | null;
}

async function chat(store: Store, id: string, c: Chat): Promise<void> {
  const visitor = { email: c.email, ...(c.name ? { name: c.name } : {}) };
  await store.createConversation({ id, tokenHash: `h-${id}`, email: c.email, ip: '10.0.0.1' }, { type: 'requested', visitor, page: { url: 'https://shop.example/mugs', title: 'Tide mugs' } }, t(0));
  let seq = 1;
  for (const body of c.then ?? []) {
    const out = await store.append(id, seq, [body], t(1), { status: 'active', ownerId: JANE.id });
    expect(out).not.toBeNull();
    seq++;
  }
  for (const [i, text] of (c.notes ?? []).entries()) await store.addNote({ id: `${id}-n${i}`, conversationId: id, agent: JANE, text, at: t(1) });
  if (c.endedAt === null) return;
  expect(await store.append(id, seq, [{ type: 'ended', by: 'visitor' }], t(c.endedAt), { status: 'ended', ownerId: null })).not.toBeNull();
}

const says = (from: 'visitor' | 'agent', text: string): EventBody =>
  from === 'agent' ? { type: 'message', from, agent: JANE, text, clientId: crypto.randomUUID() } : { type: 'message', from, text, clientId: crypto.randomUUID() };

const ids = (rs: readonly EndedConversationRecord[]): string[] => rs.map((r) => r.id);

describe.each(kinds)('%s store searches ended conversations', (_name, open) => {
  let store: Store;
  const find = async (search: string, extra: object = {}) => ids(await store.listEnded({ search, limit: 100, ...extra }));

  beforeEach(async () => {
    store = await open();
    await chat(store, 'c1', { email: 'Ann.Lee@Example.com', name: 'Ann Lee', then: [says('visitor', 'Where is my ORDER 4471?')], endedAt: 10 });
    await chat(store, 'c2', { email: 'bob@example.com', name: 'Bob Stone', then: [{ type: 'claimed', agent: JANE }, says('agent', 'Your refund is on its way')], endedAt: 20 });
    await chat(store, 'c3', { email: 'cy@example.com', then: [{ type: 'claimed', agent: JANE }], notes: ['Asked for a RETURN label twice'], endedAt: 30 });
    await chat(store, 'c4', {
      email: 'di@example.com',
      name: 'Di',
      then: [
        says('visitor', 'I am 100% sure, see file_1'),
        { type: 'claimed', agent: JANE },
        { type: 'transferred', from: JANE, to: { queue: true }, note: 'wants a manager' },
        { type: 'upload_requested', requestId: 'r1', agent: JANE, note: 'photo of the invoice', maxBytes: 5242880 },
        { type: 'file', requestId: 'r1', fileId: 'f1', name: 'invoice-scan.png', size: 10, mime: 'image/png' },
      ],
      endedAt: 40,
    });
    await chat(store, 'open', { email: 'ann.lee@example.com', name: 'Ann Lee', then: [says('visitor', 'order 4471 again')], endedAt: null });
  });
  afterEach(() => store.close());

  it('finds the term in the email and the name, ignoring case', async () => {
    expect(await find('ann.lee@')).toEqual(['c1']);
    expect(await find('EXAMPLE.COM')).toEqual(['c4', 'c3', 'c2', 'c1']);
    expect(await find('bob stone')).toEqual(['c2']);
    expect(await find('stone')).toEqual(['c2']);
  });

  it("finds it in the visitor's and the agents' messages and in agents' notes", async () => {
    expect(await find('order 4471')).toEqual(['c1']);
    expect(await find('REFUND')).toEqual(['c2']);
    expect(await find('return label')).toEqual(['c3']);
  });

  it('finds nothing in transfer notes, file request notes, file names, the page or the event types', async () => {
    for (const term of ['manager', 'invoice', 'Tide mugs', 'shop.example', 'claimed', 'message', 'visitor']) {
      expect(await find(term), term).toEqual([]);
    }
  });

  it('takes %, _ and \\ as plain characters', async () => {
    expect(await find('100%')).toEqual(['c4']);
    expect(await find('%')).toEqual(['c4']);
    expect(await find('file_1')).toEqual(['c4']);
    // `_` would match any one character, and `4_71` would find c1's "4471".
    expect(await find('4_71')).toEqual([]);
    expect(await find('\\')).toEqual([]);
  });

  it('combines with email, since, until and keyset pages', async () => {
    expect(await find('example.com', { email: 'BOB@example.com' })).toEqual(['c2']);
    expect(await find('example.com', { since: t(20), until: t(40) })).toEqual(['c3', 'c2']);
    const first = await store.listEnded({ search: 'example', limit: 2 });
    expect(ids(first)).toEqual(['c4', 'c3']);
    const last = first[1]!;
    expect(await find('example', { after: { endedAt: last.endedAt, id: last.id } })).toEqual(['c2', 'c1']);
  });
});
