/**
 * The client against the real relay, in-process, with `ws` as its WebSocket: a scripted
 * conversation with an agent on the other side while the visitor's sockets are cut at
 * random moments. Every message must arrive exactly once and in order on both sides.
 * The random choices (when and after which sends the sockets are cut, the pauses
 * between sends) come from generators seeded from one seed, which is printed;
 * `PARLEY_CUTS_SEED=N` replays a run's choices.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { ChatClient } from '../../src/client/index.js';
import type { LogEvent, RelayToAgentFrame } from '../../src/protocol/index.js';
import { SqliteStore, startRelay } from '../../src/relay/index.js';
import type { Relay } from '../../src/relay/index.js';
import { testStorage } from '../fake-relay/test-storage.js';
import { WAIT } from '../fake-relay/visitor-harness.js';
import { prng } from '../relay/proofs-fuzz.js';

/** The seed of this run's random choices: `PARLEY_CUTS_SEED` when given, else a fresh one (printed). */
const SEED = Number(process.env['PARLEY_CUTS_SEED'] ?? Math.floor(Math.random() * 2 ** 31));

/** `ws` sockets the visitor opened, so that the test can cut them. */
const visitorSockets: WebSocket[] = [];
class TrackedWebSocket extends WebSocket {
  constructor(url: string) {
    super(url);
    visitorSockets.push(this);
  }
}

/** A minimal agent console: one `ws` socket, requests by id, every event kept by seq. */
class Agent {
  readonly events = new Map<number, LogEvent>();
  readonly conversations = new Set<string>();
  private readonly waiting = new Map<string, (f: RelayToAgentFrame) => void>();
  private n = 0;
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const f = JSON.parse(String(data)) as RelayToAgentFrame;
      if (f.t === 'event') this.events.set(f.event.seq, f.event);
      if (f.t === 'conversation' && f.summary.status === 'queued') this.conversations.add(f.summary.id);
      if (f.t === 'welcome') for (const c of f.conversations) this.conversations.add(c.id);
      const id = 'id' in f ? f.id : undefined;
      if (id && this.waiting.has(id)) {
        this.waiting.get(id)!(f);
        this.waiting.delete(id);
      }
    });
  }

  static async connect(url: string, token: string): Promise<Agent> {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/agent`);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const agent = new Agent(socket);
    const welcome = await agent.request({ t: 'hello', token });
    expect(welcome.t).toBe('welcome');
    return agent;
  }

  request(frame: Record<string, unknown>): Promise<RelayToAgentFrame> {
    const id = `a${++this.n}`;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.socket.send(JSON.stringify({ ...frame, id }));
    });
  }
}

const texts = (events: Iterable<LogEvent>, from: 'visitor' | 'agent') =>
  [...events].sort((a, b) => a.seq - b.seq).flatMap((e) => (e.type === 'message' && e.from === from ? [e.text] : []));

describe('ChatClient against the real relay', () => {
  let relay: Relay;
  /** The relay's store, made here: a relay does not close a store it was given. */
  let relayStore: SqliteStore;
  let dataDir: string;
  let agent: Agent | undefined;
  let client: ChatClient | undefined;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'parley-client-'));
    relayStore = new SqliteStore(':memory:');
    relay = await startRelay({ port: 0, dataDir, store: relayStore, visitorMessageRate: { count: 1000, windowMs: 1000 } });
  });
  afterEach(async () => {
    client?.destroy();
    agent?.socket.terminate();
    await relay.close();
    await relayStore.close();
    rmSync(dataDir, { recursive: true, force: true });
    visitorSockets.length = 0;
  });

  it('delivers every message exactly once and in order while visitor sockets are cut', async () => {
    console.log(`cuts: seed ${SEED} (replay with PARLEY_CUTS_SEED=${SEED})`);
    // One generator for the timed cutter and one for the sends, so that neither's draws
    // depend on how the two interleave.
    const cutterRandom = prng(SEED);
    const sendRandom = prng(SEED + 1);
    const { token } = await relay.addAgent('Jane Doe');
    agent = await Agent.connect(relay.url, token);
    client = new ChatClient({ relay: relay.url, storage: testStorage(), WebSocket: TrackedWebSocket as unknown as typeof globalThis.WebSocket });

    await client.start({ email: 'ann@example.com', name: 'Ann' });
    const conversationId = client.state.conversationId!;
    await vi.waitFor(() => expect(agent!.conversations.has(conversationId), 'agent sees the request').toBe(true), WAIT);
    expect((await agent.request({ t: 'claim', conversationId })).t).toBe('ok');
    await vi.waitFor(() => expect(client!.state.phase, 'claimed').toBe('active'), WAIT);

    const N = 15;
    const visitorTexts = Array.from({ length: N }, (_, i) => `visitor ${i}`);
    const agentTexts = Array.from({ length: N }, (_, i) => `agent ${i}`);

    // Cut the visitor's current socket at random moments, a bounded number of times.
    let cuts = 0;
    let cutting = true;
    const cutter = (async () => {
      while (cutting && cuts < 10) {
        await new Promise((r) => setTimeout(r, 40 + cutterRandom() * 160));
        const open = visitorSockets.filter((s) => s.readyState === WebSocket.OPEN);
        if (open.length && cutting) {
          open.at(-1)!.terminate();
          cuts++;
        }
      }
    })();

    // Also cut right after a send, before its ack can come back, at four random points.
    const cutAfter = new Set<number>();
    while (cutAfter.size < 4) cutAfter.add(Math.floor(sendRandom() * N));
    const openSocket = () => visitorSockets.filter((s) => s.readyState === WebSocket.OPEN).at(-1);
    for (let i = 0; i < N; i++) {
      if (cutAfter.has(i)) {
        await vi.waitFor(() => {
          expect(client!.state.connection, 'visitor online').toBe('online');
          expect(openSocket(), 'visitor online').toBeTruthy();
        }, { ...WAIT, timeout: 5000 });
      }
      client.send(visitorTexts[i]!);
      if (cutAfter.has(i)) {
        openSocket()!.terminate();
        cuts++;
      }
      void agent.request({ t: 'send', conversationId, clientId: crypto.randomUUID(), text: agentTexts[i] });
      await new Promise((r) => setTimeout(r, 10 + sendRandom() * 40));
    }

    await vi.waitFor(() => expect(client!.state.timeline.filter((i) => i.kind === 'message' && i.message.delivery === 'sent').length, 'every message on the visitor side').toBe(2 * N), { ...WAIT, timeout: 15_000 });
    cutting = false;
    await cutter;
    expect(cuts).toBeGreaterThanOrEqual(4);
    expect(visitorSockets.length).toBeGreaterThan(4);

    // Visitor side: the log is contiguous, each message once, each side in its order.
    const log = client.state.events;
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    expect(texts(log, 'visitor')).toEqual(visitorTexts);
    expect(texts(log, 'agent')).toEqual(agentTexts);
    const messages = client.state.timeline.flatMap((i) => (i.kind === 'message' ? [i.message] : []));
    expect(new Set(messages.map((m) => m.clientId)).size).toBe(2 * N);

    // Agent side: live events and a fresh read of the whole log agree.
    await vi.waitFor(() => expect(texts(agent!.events.values(), 'visitor').length, 'every visitor message on the agent side').toBe(N), { ...WAIT, timeout: 5000 });
    expect(texts(agent.events.values(), 'visitor')).toEqual(visitorTexts);
    const watched = await agent.request({ t: 'watch', conversationId, afterSeq: 0 });
    const full = (watched as { events: LogEvent[] }).events;
    expect(full.map((e) => e.seq)).toEqual(full.map((_, i) => i + 1));
    expect(texts(full, 'visitor')).toEqual(visitorTexts);
    expect(texts(full, 'agent')).toEqual(agentTexts);
    expect(full.length).toBe(log.length);
  });
});
