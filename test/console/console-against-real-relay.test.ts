// The console's connection and store against the real relay (ws as WebSocket): a chat
// carried from request to end, a dropped agent socket in the middle, a file download,
// and History reading that chat back once it ended (search, record, note, file).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { Relay } from '../../src/relay/index.js';
import { Harness } from '../relay/helpers.js';
import { AgentConnection, type SocketConstructor } from '../../src/console/connection.js';
import type { ConsoleState } from '../../src/console/console-state.js';
import { tilesOf } from '../../src/console/selectors.js';
import { ConsoleStore } from '../../src/console/store.js';
import type { RelayToVisitorFrame } from '../../src/protocol/index.js';

let relay: Relay;
/** The relay for each test, on an in-memory store, with its temp folder (test/relay's harness). */
let harness: Harness;
const cleanups: (() => void)[] = [];
beforeEach(async () => {
  harness = await Harness.start();
  relay = harness.relay;
});
afterEach(async () => {
  for (const c of cleanups.splice(0)) c();
  await harness.cleanup();
});

/** Resolves when `pred` holds for the store's state (checked on every change), or fails after 5 s. */
function until(store: ConsoleStore, pred: (s: ConsoleState) => boolean, what: string): Promise<ConsoleState> {
  return new Promise((resolve, reject) => {
    if (pred(store.state)) return resolve(store.state);
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what}`));
    }, 5000);
    const off = store.subscribe((s) => {
      if (!pred(s)) return;
      clearTimeout(timer);
      off();
      resolve(s);
    });
  });
}

/** A visitor speaking the raw protocol. */
async function visitor(email: string) {
  const ws = new WebSocket(relay.url.replace('http', 'ws') + '/v1/visitor');
  const frames: RelayToVisitorFrame[] = [];
  ws.on('message', (d) => frames.push(JSON.parse(d.toString()) as RelayToVisitorFrame));
  await new Promise((r) => ws.once('open', r));
  cleanups.push(() => ws.terminate());
  /** The first frame so far that matches `pred`, waiting up to 10 s for it; `what` names it in the failure. */
  const next = (pred: (f: RelayToVisitorFrame) => boolean, what: string): Promise<RelayToVisitorFrame> =>
    vi.waitFor(
      () => {
        const f = frames.find(pred);
        if (!f) throw new Error(`the visitor's ${what} never came; got ${JSON.stringify(frames).slice(-300)}`);
        return f;
      },
      { timeout: 10_000, interval: 10 },
    );
  ws.send(JSON.stringify({ t: 'hello', id: 'h', email, name: 'Ann Lee', page: { url: 'https://shop.example/', title: 'Shop' } }));
  const welcome = (await next((f) => f.t === 'welcome', 'welcome')) as Extract<RelayToVisitorFrame, { t: 'welcome' }>;
  return { ws, frames, next, welcome, send: (f: object) => ws.send(JSON.stringify(f)) };
}

function agentConsole(token: string) {
  const sockets: WebSocket[] = [];
  const blobs: Blob[] = [];
  class RecordingSocket extends WebSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
    }
  }
  const connection = new AgentConnection({
    url: relay.url.replace('http', 'ws') + '/v1/agent',
    WebSocket: RecordingSocket as unknown as SocketConstructor,
    events: null,
    minDelayMs: 20,
    maxDelayMs: 100,
  });
  const store = new ConsoleStore({
    connection,
    baseUrl: `${relay.url}/console/`,
    fetch,
    createObjectURL: (b) => {
      blobs.push(b);
      return `blob:test/${blobs.length}`;
    },
  });
  cleanups.push(() => store.destroy());
  store.signIn(token);
  return { store, connection, sockets, blobs };
}

describe('console against the real relay', () => {
  it('carries a chat: tile, claim, messages both ways, a dropped socket, notes, end', async () => {
    const jane = await relay.addAgent('Jane Doe');
    const { store, sockets } = agentConsole(jane.token);
    await until(store, (s) => s.connection === 'open' && s.agent?.name === 'Jane Doe', 'welcome');

    const v = await visitor('ann@example.com');
    const convId = v.welcome.conversation.id;
    let s = await until(store, (st) => tilesOf(st).some((t) => t.chat.id === convId), 'the tile');
    expect(tilesOf(s)[0]!.kind).toBe('unassigned');
    // A queued tile lives on the relay's summary: its log is read when it is opened.
    expect(tilesOf(s)[0]!.chat.summary?.visitor.email).toBe('ann@example.com');
    expect(relay.stats().watchedConversations).toBe(0);

    store.select(convId);
    s = await until(store, (st) => !!st.chats[convId]?.loaded, 'the opened chat');
    expect(s.chats[convId]!.state.visitor?.email).toBe('ann@example.com');
    await store.claim(convId);
    s = await until(store, (st) => tilesOf(st)[0]?.kind === 'own', 'the claim');
    await v.next((f) => f.t === 'event' && f.event.type === 'claimed', 'claimed event');

    v.send({ t: 'send', clientId: crypto.randomUUID(), text: 'Where is my order?' });
    await until(store, (st) => st.chats[convId]!.state.visitorMessageSeqs.length === 1, 'the customer message');
    expect(store.send(convId, 'Let me check.')).toBe(true);
    await v.next((f) => f.t === 'event' && f.event.type === 'message' && f.event.text === 'Let me check.', "agent's message");

    // The agent's socket dies; the customer writes meanwhile; the agent replies while away.
    sockets[0]!.terminate();
    await until(store, (st) => st.connection === 'reconnecting', 'the drop');
    v.send({ t: 'send', clientId: crypto.randomUUID(), text: 'Hello?' });
    await v.next((f) => f.t === 'ack', 'ack');
    store.send(convId, 'Sorry, I am back.');
    s = await until(
      store,
      (st) => st.connection === 'open' && st.chats[convId]!.log.filter((e) => e.type === 'message').length === 4,
      'the re-watch',
    );
    const texts = s.chats[convId]!.log.flatMap((e) => (e.type === 'message' ? [e.text] : []));
    expect(texts).toEqual(['Where is my order?', 'Let me check.', 'Hello?', 'Sorry, I am back.']);
    expect(s.chats[convId]!.log.map((e) => e.seq)).toEqual(s.chats[convId]!.log.map((_, i) => i + 1));
    expect(s.chats[convId]!.outbox).toHaveLength(0);

    expect(await store.note(convId, 'gold customer')).toBe(true);
    await until(store, (st) => st.chats[convId]!.notes.some((n) => n.text === 'gold customer'), 'the note');
    expect(v.frames.some((f) => JSON.stringify(f).includes('gold customer'))).toBe(false);

    expect(await store.end(convId)).toBe(true);
    s = await until(store, (st) => st.chats[convId]!.state.status === 'ended', 'the end');
    expect(tilesOf(s)[0]!.kind).toBe('ended');
  });

  it('hides a chat from a second agent once the first claims it, and reports the lost race by name', async () => {
    const jane = await relay.addAgent('Jane Doe');
    const bob = await relay.addAgent('Bob Stone');
    const a = agentConsole(jane.token);
    const b = agentConsole(bob.token);
    await until(a.store, (s) => s.connection === 'open', 'jane');
    await until(b.store, (s) => s.connection === 'open', 'bob');
    const v = await visitor('ann@example.com');
    const id = v.welcome.conversation.id;
    await until(a.store, (s) => tilesOf(s).length === 1, 'jane tile');
    await until(b.store, (s) => tilesOf(s).length === 1, 'bob tile');
    a.store.select(id);
    await until(a.store, (s) => !!s.chats[id]?.loaded, 'jane opens it');
    b.store.select(id);
    await until(b.store, (s) => !!s.chats[id]?.loaded, 'bob opens it');
    await a.store.claim(id);
    await b.store.claim(id); // sent before or after Bob hears of Jane's claim: the relay refuses it
    const s = await until(b.store, (st) => st.chats[id]?.state.owner?.id === jane.id, 'bob hears the claim');
    expect(tilesOf(s)).toHaveLength(0);
    expect(s.chats[id]!.claimLost).toBe(true);
    expect(s.chats[id]!.state.owner?.name).toBe('Jane Doe');
  });

  it('downloads a file the customer uploaded on request', async () => {
    const jane = await relay.addAgent('Jane Doe');
    const { store, blobs } = agentConsole(jane.token);
    await until(store, (s) => s.connection === 'open', 'welcome');
    const v = await visitor('ann@example.com');
    const id = v.welcome.conversation.id;
    await until(store, (s) => !!s.chats[id], 'the tile');
    store.select(id);
    await until(store, (s) => !!s.chats[id]?.loaded, 'the opened chat');
    await store.claim(id);
    expect(await store.files.request(id, 'the receipt')).toBe(true);
    const req = await v.next((f) => f.t === 'event' && f.event.type === 'upload_requested', 'upload request');
    const requestId = req.t === 'event' && req.event.type === 'upload_requested' ? req.event.requestId : '';
    const res = await fetch(`${relay.url}/v1/uploads/${requestId}?name=receipt.txt`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${v.welcome.token}`, 'Content-Type': 'text/plain' },
      body: 'paid in full',
    });
    expect(res.status).toBe(201);
    const s = await until(store, (st) => st.chats[id]!.log.some((e) => e.type === 'file'), 'the file event');
    const file = s.chats[id]!.log.find((e) => e.type === 'file')!;
    expect(file.type === 'file' && file.name).toBe('receipt.txt');
    expect(s.chats[id]!.state.openUpload).toBeNull();
    const fileId = file.type === 'file' ? file.fileId : '';
    await store.download(id, fileId);
    expect(store.state.chats[id]!.downloads[fileId]).toEqual({ status: 'ready', url: 'blob:test/1' });
    expect(await blobs[0]!.text()).toBe('paid in full');
  });

  it('sends the customer a file, who hears who sent it and downloads it', async () => {
    const jane = await relay.addAgent('Jane Doe');
    const { store } = agentConsole(jane.token);
    await until(store, (s) => s.connection === 'open', 'welcome');
    const v = await visitor('ann@example.com');
    const id = v.welcome.conversation.id;
    await until(store, (s) => !!s.chats[id], 'the tile');
    store.select(id);
    await store.claim(id);
    const label = new File([new Uint8Array([37, 80, 68, 70])], 'return label.pdf', { type: 'application/pdf' });
    expect(await store.files.send(id, label)).toBe(true);
    expect(store.files.state[id]).toBeUndefined();
    const s = await until(store, (st) => st.chats[id]!.log.some((e) => e.type === 'file'), 'the file event');
    const file = s.chats[id]!.log.find((e) => e.type === 'file');
    expect(file).toMatchObject({ name: 'return label.pdf', size: 4, mime: 'application/pdf', from: 'agent', agent: { id: jane.id, name: 'Jane Doe' } });
    const heard = await v.next((f) => f.t === 'event' && f.event.type === 'file', 'file event');
    const fileId = heard.t === 'event' && heard.event.type === 'file' ? heard.event.fileId : '';
    const dl = await fetch(`${relay.url}/v1/files/${fileId}`, { headers: { Authorization: `Bearer ${v.welcome.token}` } });
    expect(new Uint8Array(await dl.arrayBuffer())).toEqual(new Uint8Array([37, 80, 68, 70]));

    // Once the chat ended, the relay refuses (409) and the console keeps the refusal.
    expect(await store.end(id)).toBe(true);
    expect(await store.files.send(id, label)).toBe(false);
    expect(store.files.state[id]).toMatchObject({ status: 'failed', error: { code: 'conflict', status: 409 } });
  });

  it('reads the ended chat back in History: found by words, opened with its note, its file downloaded', async () => {
    const jane = await relay.addAgent('Jane Doe');
    const { store, blobs } = agentConsole(jane.token);
    await until(store, (s) => s.connection === 'open', 'welcome');
    const v = await visitor('Ann@Example.com');
    const id = v.welcome.conversation.id;
    await until(store, (s) => !!s.chats[id], 'the tile');
    store.select(id);
    await store.claim(id);
    v.send({ t: 'send', clientId: crypto.randomUUID(), text: 'The Tide mug came chipped' });
    await until(store, (st) => st.chats[id]!.state.visitorMessageSeqs.length === 1, 'the message');
    expect(await store.note(id, 'Replacement sent')).toBe(true);
    expect(await store.files.request(id)).toBe(true);
    const req = await v.next((f) => f.t === 'event' && f.event.type === 'upload_requested', 'upload request');
    const requestId = req.t === 'event' && req.event.type === 'upload_requested' ? req.event.requestId : '';
    const up = await fetch(`${relay.url}/v1/uploads/${requestId}?name=chip.txt`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${v.welcome.token}`, 'Content-Type': 'text/plain' },
      body: 'a photo',
    });
    expect(up.status).toBe(201);
    await until(store, (st) => st.chats[id]!.log.some((e) => e.type === 'file'), 'the file');
    expect(await store.end(id)).toBe(true);

    const history = store.history;
    await history.search({ text: 'TIDE MUG', from: '', to: '' });
    expect(history.state.search).toMatchObject({ status: 'ready', next: null });
    expect(history.state.search!.items.map((r) => [r.conversationId, r.visitor.name, r.status])).toEqual([[id, 'Ann Lee', 'completed']]);
    await history.loadEarlier('ann@example.com');
    expect(history.state.earlier['ann@example.com']?.items.map((r) => r.conversationId)).toEqual([id]);

    await history.open(id);
    const record = history.state.open!.record!;
    expect(record.events.find((e) => e.type === 'note')).toMatchObject({ internal: true, text: 'Replacement sent' });
    expect(record.files).toEqual([{ id: expect.any(String), name: 'chip.txt', bytes: 7 }]);
    await history.download(record.files[0]!.id);
    expect(history.state.open!.downloads[record.files[0]!.id]).toMatchObject({ status: 'ready' });
    expect(await blobs.at(-1)!.text()).toBe('a photo');
  });
});
