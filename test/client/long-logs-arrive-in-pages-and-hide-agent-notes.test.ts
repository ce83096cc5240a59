/**
 * The client against the real relay: a log longer than one page arrives whole after
 * `resume` (the relay pushes the pages after the welcome), on one socket, and what the
 * client exposes never carries a transfer note meant for agents.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { ChatClient } from '../../src/client/index.js';
import { SqliteStore, startRelay, type Relay } from '../../src/relay/index.js';
import { testStorage } from '../fake-relay/test-storage.js';
import { WAIT } from '../fake-relay/visitor-harness.js';

let relay: Relay;

/** The relay's store, made here: a relay does not close a store it was given. */

let relayStore: SqliteStore;
let dataDir: string;
const sockets: WebSocket[] = [];
class TrackedWebSocket extends WebSocket {
  constructor(url: string) {
    super(url);
    sockets.push(this);
  }
}

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'parley-client-pages-'));
  relayStore = new SqliteStore(':memory:');
  relay = await startRelay({
    port: 0,
    dataDir,
    store: relayStore,
    visitorMessageRate: { count: 10_000, windowMs: 1000 },
    visitorBytesRate: { count: 1e9, windowMs: 1000 },
  });
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await relay.close();
  await relayStore.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A raw agent socket: sends a frame and waits for the reply with its id. */
async function agentSocket(token: string) {
  const ws = new WebSocket(`${relay.url.replace(/^http/, 'ws')}/v1/agent`);
  sockets.push(ws);
  const replies = new Map<string, (f: Record<string, unknown>) => void>();
  ws.on('message', (d) => {
    const f = JSON.parse(String(d)) as Record<string, unknown>;
    if (typeof f['id'] === 'string') replies.get(f['id'])?.(f);
  });
  await new Promise((r) => ws.once('open', r));
  let n = 0;
  const ask = (frame: object) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const id = `a${++n}`;
      replies.set(id, resolve);
      ws.send(JSON.stringify({ ...frame, id }));
    });
  await ask({ t: 'hello', token });
  return ask;
}

describe('ChatClient and long logs', () => {
  it('reads a log of many pages after a reload, whole and in order, on one socket, with no transfer note', async () => {
    const storage = testStorage();
    const first = new ChatClient({ relay: relay.url, storage, WebSocket: TrackedWebSocket as unknown as typeof globalThis.WebSocket });
    await first.start({ email: 'ann@example.com' });
    const jane = await relay.addAgent('Jane Doe');
    const bo = await relay.addAgent('Bo Stone');
    const conversationId = JSON.parse([...storage.map.values()].find((v) => v.includes('conversationId'))!).conversationId as string;
    const ask = await agentSocket(jane.token);
    await ask({ t: 'claim', conversationId });
    const text = '😀'.repeat(4000);
    for (let i = 0; i < 60; i++) await ask({ t: 'send', conversationId, clientId: crypto.randomUUID(), text });
    await ask({ t: 'transfer', conversationId, toAgentId: bo.id, note: 'AGENTS-ONLY note for Bo' });
    await vi.waitFor(() => expect(first.state.timeline.length, 'the live messages').toBeGreaterThan(60), { ...WAIT, timeout: 10_000 });
    first.destroy();

    // A reload: the stored session resumes from seq 0 of what this tab holds.
    storage.map.forEach((v, k) => {
      if (v.includes('lastSeq')) storage.map.set(k, v.replace(/"lastSeq":\d+/, '"lastSeq":0'));
    });
    const before = sockets.length;
    const second = new ChatClient({ relay: relay.url, storage, WebSocket: TrackedWebSocket as unknown as typeof globalThis.WebSocket });
    expect(second.resume()).toBe(true);
    await vi.waitFor(() => expect(second.state.timeline.filter((t) => t.kind === 'message').length, 'the whole log').toBe(60), { ...WAIT, timeout: 10_000 });
    expect(sockets.length - before).toBe(1); // one socket: pages, not a reconnect loop
    expect(JSON.stringify(second.state)).not.toContain('AGENTS-ONLY');
    second.destroy();
  }, 30_000);
});
