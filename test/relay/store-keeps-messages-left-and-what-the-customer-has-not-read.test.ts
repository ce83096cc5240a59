/**
 * On every store (a SQLite file, SQLite in memory, PostgreSQL): a conversation made with
 * a message left (`requested {offline}` and its message, and the webhook delivery, in
 * one write) reads back `offline`; and what `message.unseen` needs: the conversations
 * whose oldest agent message the customer has not read nor a delivery told of was logged
 * within a time range, the customer's read mark (never lowered), and a batch recorded
 * once, with its delivery and its seqs, only while the row is as it was read. Also a
 * SQLite file from before these columns gains them when opened.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgentRef, EventBody } from '../../src/protocol/index.js';
import { SqliteStore } from '../../src/relay/store-sqlite.js';
import type { ConversationChange, NewDelivery, Store } from '../../src/relay/store.js';
import { storeKinds } from './store-kinds.js';

const kinds = storeKinds('unseen');

const t = (minute: number): string => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
const FAR = ['2999-01-01T00:00:00.000Z', '2999-01-02T00:00:00.000Z'] as const;
const jane: AgentRef = { id: 'a', name: 'Jane' };
const active: ConversationChange = { status: 'active', ownerId: 'a' };
const fromAgent = (clientId: string): EventBody => ({ type: 'message', from: 'agent', agent: jane, text: clientId, clientId });
const fromVisitor = (clientId: string): EventBody => ({ type: 'message', from: 'visitor', text: clientId, clientId });
const unseenDelivery = (id: string, afterSeq: number, upToSeq: number): NewDelivery => ({
  id: `d-${id}-${upToSeq}`,
  type: 'message.unseen',
  conversationId: id,
  createdAt: t(30),
  batch: { afterSeq, upToSeq },
});

/** A live chat `id`, requested at minute 0 and claimed by Jane: seq 2. */
async function claimedChat(store: Store, id: string): Promise<void> {
  await store.createConversation({ id, tokenHash: `h-${id}`, email: 'ann@example.com', ip: '10.0.0.1' }, { type: 'requested', visitor: { email: 'ann@example.com' } }, t(0));
  expect(await store.append(id, 1, [{ type: 'claimed', agent: jane }], t(0), active)).not.toBeNull();
}

describe.each(kinds)('%s store', (_name, open) => {
  let store: Store;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(() => store.close());

  it('creates a message left with its message and delivery in one write, and reads it back offline', async () => {
    const delivery: NewDelivery = { id: 'd1', type: 'conversation.offline_message', conversationId: 'left', createdAt: t(1) };
    const first = await store.createConversation(
      { id: 'left', tokenHash: 'h-left', email: 'ann@example.com', ip: '10.0.0.1' },
      { type: 'requested', visitor: { email: 'ann@example.com' }, offline: true },
      t(1),
      { then: [fromVisitor('m1')], deliveries: [delivery] },
    );
    expect(first).toEqual({ type: 'requested', visitor: { email: 'ann@example.com' }, offline: true, seq: 1, at: t(1) });
    expect(await store.readEvents('left', 0)).toEqual([first, { ...fromVisitor('m1'), seq: 2, at: t(1) }]);
    expect(await store.getConversation('left')).toMatchObject({ status: 'queued', lastSeq: 2, offline: true });
    expect(await store.findClientSeq('left', 'm1')).toBe(2);
    await claimedChat(store, 'live');
    expect((await store.listConversations(['queued', 'active'])).map((c) => [c.id, c.offline])).toEqual([
      ['live', undefined],
      ['left', true],
    ]);
    const [claimed] = await store.claimDeliveries('probe', ...FAR, 10);
    expect(claimed).toMatchObject({ id: 'd1', type: 'conversation.offline_message', conversationId: 'left', attempts: 1 });
    expect(claimed!.batch).toBeUndefined();
    // The next append goes after both.
    expect((await store.append('left', 2, [{ type: 'claimed', agent: jane }], t(2), active))![0]!.seq).toBe(3);
  });

  it('lists a conversation from its oldest unread agent message, within the range asked', async () => {
    await claimedChat(store, 'c');
    expect(await store.listUnseen('', FAR[1], 10)).toEqual([]);
    await store.append('c', 2, [fromVisitor('v1')], t(1), active);
    expect(await store.listUnseen('', FAR[1], 10)).toEqual([]);
    await store.append('c', 3, [fromAgent('a1')], t(2), active); // seq 4
    await store.append('c', 4, [fromAgent('a2')], t(3), active); // seq 5: the oldest stays a1's
    const seen = { id: 'c', visitorReadSeq: 0, notifiedSeq: 0 };
    expect(await store.listUnseen('', t(2), 10)).toEqual([seen]);
    expect(await store.listUnseen(t(2), t(2), 10)).toEqual([seen]);
    expect(await store.listUnseen('', t(1), 10)).toEqual([]);
    expect(await store.listUnseen(t(3), FAR[1], 10)).toEqual([]);
    // Reading a1 moves it on to a2; the mark never goes down.
    await store.setVisitorReadSeq('c', 4);
    await store.setVisitorReadSeq('c', 2);
    expect(await store.listUnseen('', t(2), 10)).toEqual([]);
    expect(await store.listUnseen('', t(3), 10)).toEqual([{ id: 'c', visitorReadSeq: 4, notifiedSeq: 0 }]);
    // Reading everything: nothing unseen.
    await store.setVisitorReadSeq('c', 5);
    expect(await store.listUnseen('', FAR[1], 10)).toEqual([]);
    // Ended chats count: their last answer may be unread.
    await store.append('c', 5, [fromAgent('a3'), { type: 'ended', by: 'agent', agent: jane }], t(4), { status: 'ended', ownerId: 'a' });
    expect(await store.listUnseen('', FAR[1], 10)).toEqual([{ id: 'c', visitorReadSeq: 5, notifiedSeq: 0 }]);
  });

  it('lists oldest first, at most the limit', async () => {
    for (const [id, minute] of [['x', 5], ['y', 3], ['z', 4]] as const) {
      await claimedChat(store, id);
      await store.append(id, 2, [fromAgent(`a-${id}`)], t(minute), active);
    }
    expect((await store.listUnseen('', FAR[1], 10)).map((u) => u.id)).toEqual(['y', 'z', 'x']);
    expect((await store.listUnseen('', FAR[1], 2)).map((u) => u.id)).toEqual(['y', 'z']);
  });

  it('records a batch once, with its delivery, while the row is as it was read; a later answer starts a new one', async () => {
    await claimedChat(store, 'c');
    await store.append('c', 2, [fromAgent('a1'), fromAgent('a2')], t(1), active); // seqs 3, 4
    const [seen] = await store.listUnseen('', FAR[1], 10);
    // The customer read meanwhile: what was read is no longer what it was.
    await store.setVisitorReadSeq('c', 3);
    expect(await store.recordUnseen(seen!, 4, unseenDelivery('c', 0, 4))).toBe(false);
    expect(await store.claimDeliveries('probe', ...FAR, 10)).toEqual([]);

    const [fresh] = await store.listUnseen('', FAR[1], 10);
    expect(fresh).toEqual({ id: 'c', visitorReadSeq: 3, notifiedSeq: 0 });
    expect(await store.recordUnseen(fresh!, 4, unseenDelivery('c', 3, 4))).toBe(true);
    // A second relay that found the same batch records nothing.
    expect(await store.recordUnseen(fresh!, 4, unseenDelivery('c', 3, 4))).toBe(false);
    expect(await store.listUnseen('', FAR[1], 10)).toEqual([]);
    const claimed = await store.claimDeliveries('probe', ...FAR, 10);
    expect(claimed).toEqual([expect.objectContaining({ id: 'd-c-4', type: 'message.unseen', conversationId: 'c', batch: { afterSeq: 3, upToSeq: 4 } })]);

    // A customer message is no answer; the next agent message is a new batch.
    await store.append('c', 4, [fromVisitor('v1')], t(2), active);
    expect(await store.listUnseen('', FAR[1], 10)).toEqual([]);
    await store.append('c', 5, [fromAgent('a3')], t(3), active); // seq 6
    expect(await store.listUnseen('', FAR[1], 10)).toEqual([{ id: 'c', visitorReadSeq: 3, notifiedSeq: 4 }]);
    expect(await store.listUnseen('', t(2), 10)).toEqual([]);
    // Passed over (no delivery): marked told, nothing to send.
    expect(await store.recordUnseen({ id: 'c', visitorReadSeq: 3, notifiedSeq: 4 }, 6, null)).toBe(true);
    expect(await store.listUnseen('', FAR[1], 10)).toEqual([]);
    // Nothing new to send (d-c-4 is still the probe's).
    expect(await store.claimDeliveries('probe', ...FAR, 10)).toEqual([]);
  });
});

describe('an older SQLite file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'parley-unseen-migrate-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gains the columns of messages left and of unseen answers, its rows live chats with nothing read or told', async () => {
    const file = join(dir, 'parley.db');
    const before = new SqliteStore(file);
    await claimedChat(before, 'old');
    await before.close();
    // The file as a relay before these columns left it.
    const db = new Database(file);
    db.exec('DROP INDEX conversations_unseen');
    for (const column of ['offline', 'visitor_read_seq', 'unseen_notified_seq', 'unseen_since']) db.exec(`ALTER TABLE conversations DROP COLUMN ${column}`);
    for (const column of ['after_seq', 'up_to_seq']) db.exec(`ALTER TABLE deliveries DROP COLUMN ${column}`);
    db.close();

    const store = new SqliteStore(file);
    try {
      const old = await store.getConversation('old');
      expect(old).toMatchObject({ status: 'active', lastSeq: 2 });
      expect(old!.offline).toBeUndefined();
      await store.append('old', 2, [fromAgent('a1')], t(1), active);
      expect(await store.listUnseen('', FAR[1], 10)).toEqual([{ id: 'old', visitorReadSeq: 0, notifiedSeq: 0 }]);
      expect(await store.recordUnseen({ id: 'old', visitorReadSeq: 0, notifiedSeq: 0 }, 3, unseenDelivery('old', 0, 3))).toBe(true);
      expect(await store.claimDeliveries('probe', ...FAR, 10)).toMatchObject([{ batch: { afterSeq: 0, upToSeq: 3 } }]);
    } finally {
      await store.close();
    }
  });
});
