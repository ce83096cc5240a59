/**
 * The day of a message left while nobody could answer: the customer leaves it and goes;
 * an agent signs in later, claims it and answers; the customer comes back with the token
 * of the welcome (`resume`) and reads the answer, and the conversation goes on as a live
 * one. Also across a restart of the relay on the same data folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { SqliteStore } from '../../src/relay/store-sqlite.js';
import { cid, Harness } from './helpers.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.cleanup();
  h = null;
});

it('lets an agent claim and answer it, and the customer read the answer on resume', async () => {
  h = await Harness.start();
  const left = await h.visitor('ann@example.com', { name: 'Ann', message: 'Do you ship to Norway?' });
  left.s.close();
  await left.s.closed;

  const jane = await h.agent('Jane Doe');
  expect(jane.welcome.conversations).toMatchObject([{ id: left.conversationId, offline: true, visitorOnline: false, unread: 1 }]);
  jane.s.send({ t: 'watch', id: 'w', conversationId: left.conversationId, afterSeq: 0 });
  const watched = await jane.s.next({ id: 'w' });
  expect(watched.events.map((e: { type: string }) => e.type)).toEqual(['requested', 'message']);
  jane.s.send({ t: 'claim', id: 'c', conversationId: left.conversationId });
  expect(await jane.s.next({ id: 'c' })).toEqual({ t: 'ok', id: 'c' });
  jane.s.send({ t: 'send', id: 's', conversationId: left.conversationId, clientId: cid(), text: 'Hello Ann, yes: 3 to 5 days.' });
  expect(await jane.s.next({ id: 's' })).toMatchObject({ t: 'ack', seq: 4 });

  // The customer comes back later with the token the welcome gave.
  const back = await h.connect('/v1/visitor');
  back.send({ t: 'resume', id: 'r', token: left.token, conversationId: left.conversationId, afterSeq: 2 });
  const welcome = await back.next({ id: 'r' });
  expect(welcome.conversation).toEqual({ id: left.conversationId, status: 'active' });
  expect(welcome.events).toMatchObject([
    { seq: 3, type: 'claimed', agent: { id: jane.id, name: 'Jane Doe' } },
    { seq: 4, type: 'message', from: 'agent', text: 'Hello Ann, yes: 3 to 5 days.' },
  ]);
  // And the chat goes on, live.
  back.send({ t: 'send', id: 'm', clientId: cid(), text: 'Great, thanks!' });
  expect(await back.next({ id: 'm' })).toMatchObject({ t: 'ack', seq: 5 });
  expect(await jane.s.next((f) => f.t === 'event' && f.event.seq === 5)).toMatchObject({ event: { from: 'visitor', text: 'Great, thanks!' } });
});

it('keeps a message left and its answer across a restart of the relay', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-left-restart-'));
  const file = join(dir, 'parley.db');
  let store = new SqliteStore(file);
  try {
    h = await Harness.start({ store });
    const left = await h.visitor('ann@example.com', { message: 'Is my parcel lost?' });
    await h.cleanup();
    await store.close();
    store = new SqliteStore(file);
    h = await Harness.start({ store });
    const jane = await h.agent('Jane Doe');
    // Read back from the file: still a message left, outside the live queue.
    expect(jane.welcome.conversations).toMatchObject([{ id: left.conversationId, status: 'queued', offline: true }]);
    jane.s.send({ t: 'claim', id: 'c', conversationId: left.conversationId });
    await jane.s.next({ id: 'c' });
    jane.s.send({ t: 'send', id: 's', conversationId: left.conversationId, clientId: cid(), text: 'It is on its way.' });
    await jane.s.next({ id: 's' });
    const back = await h.connect('/v1/visitor');
    back.send({ t: 'resume', id: 'r', token: left.token, conversationId: left.conversationId, afterSeq: 0 });
    const welcome = await back.next({ id: 'r' });
    expect(welcome.events.map((e: { type: string }) => e.type)).toEqual(['requested', 'message', 'claimed', 'message']);
    expect(welcome.events[3]).toMatchObject({ from: 'agent', text: 'It is on its way.' });
  } finally {
    await h?.cleanup();
    h = null;
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
