/**
 * Test helpers for the relay: an in-process relay on port 0 with a temp data folder,
 * and a `ws` client that queues every frame so tests can await the next one of a
 * kind. Everything opened here is closed by `cleanup()`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { SqliteStore, startRelay, type Relay, type RelayOptions, type Store } from '../../src/relay/index.js';

export type Frame = Record<string, any>;

/** A WebSocket client that records frames and the close. */
export class TestSocket {
  readonly frames: Frame[] = [];
  private waiters: { match: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly opened: Promise<void>;
  private cursor = 0;
  /** How many barriers this socket has sent (each pings with its own id). */
  private barriers = 0;

  constructor(
    readonly ws: WebSocket,
  ) {
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('error', () => {});
    ws.on('message', (data) => {
      const f = JSON.parse(data.toString()) as Frame;
      this.frames.push(f);
      const i = this.waiters.findIndex((w) => w.match(f));
      if (i >= 0) {
        const [w] = this.waiters.splice(i, 1);
        w!.resolve(f);
      }
    });
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /**
   * The next frame (after those already taken by `next`) matching `match`, waiting up
   * to `timeoutMs`. Frames skipped over stay in `frames`.
   */
  next(match: Partial<Frame> | ((f: Frame) => boolean) = () => true, timeoutMs = 3000): Promise<Frame> {
    const pred: (f: Frame) => boolean =
      typeof match === 'function' ? (match as (f: Frame) => boolean) : (f: Frame) => Object.entries(match).every(([k, v]) => f[k] === v);
    for (let i = this.cursor; i < this.frames.length; i++) {
      if (pred(this.frames[i]!)) {
        this.cursor = i + 1;
        return Promise.resolve(this.frames[i]!);
      }
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no frame matching ${String(typeof match === 'function' ? 'predicate' : JSON.stringify(match))} in ${timeoutMs} ms; got ${JSON.stringify(this.frames.slice(this.cursor))}`)), timeoutMs);
      this.waiters.push({
        match: pred,
        resolve: (f) => {
          clearTimeout(timer);
          this.cursor = this.frames.length;
          resolve(f);
        },
      });
    });
  }

  /** Frames received so far that match. */
  all(match: Partial<Frame>): Frame[] {
    return this.frames.filter((f) => Object.entries(match).every(([k, v]) => f[k] === v));
  }

  /**
   * Sends `{ t: 'ping', id: 'barrier-N' }` and resolves on its pong: a barrier instead of a
   * sleep, to show that a frame this socket's own earlier frames would have caused did
   * not come. Sound because the relay handles one socket's frames one at a time, in
   * order (`Peer.dispatch`), and answers the ping only after every frame before it was
   * handled, so every reply to those frames is on the wire before the pong; and the
   * events a frame causes go out on the in-process bus in the same turn as its reply
   * (`AfterReplies` in src/relay/bus.ts), so they are before the pong too once that reply
   * was awaited. It proves nothing about frames caused by other sockets, timers or a
   * bus between relays: for those, wait.
   */
  async barrier(timeoutMs = 3000): Promise<void> {
    // Like the sleep it replaces, it leaves `next` where it was.
    // Each barrier has its own id: an earlier one's pong, still unread, must not end this one.
    const cursor = this.cursor;
    const id = `barrier-${++this.barriers}`;
    this.send({ t: 'ping', id });
    await this.next({ t: 'pong', id }, timeoutMs);
    this.cursor = cursor;
  }

  /** Resolves after `ms` (to prove that nothing more arrives). */
  static wait(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
  }
}

/** A relay for one test, with its temp folder and every socket it opened. */
export class Harness {
  readonly sockets: TestSocket[] = [];
  private constructor(
    readonly relay: Relay,
    readonly dataDir: string,
    /** A store made here (closed by `cleanup`), if any. */
    private readonly ownStore: Store | null,
  ) {}

  /**
   * Starts a relay on 127.0.0.1:0 with a temp data folder, on an in-memory SQLite store
   * unless `store` or `storeUrl` is given, or `sqlite` asks for the relay's own file.
   */
  static async start(options: RelayOptions & { sqlite?: boolean } = {}): Promise<Harness> {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-relay-test-'));
    const { sqlite, ...rest } = options;
    const ownStore = sqlite || rest.store || rest.storeUrl ? null : new SqliteStore(':memory:');
    const relay = await startRelay({
      port: 0,
      dataDir,
      ...(ownStore ? { store: ownStore } : {}),
      pingIntervalMs: 60_000,
      ...rest,
    });
    return new Harness(relay, dataDir, ownStore);
  }

  get wsUrl(): string {
    return this.relay.url.replace(/^http/, 'ws');
  }

  /** Opens a socket to `/v1/visitor` or `/v1/agent` and waits for it to open. */
  async connect(path: '/v1/visitor' | '/v1/agent', headers: Record<string, string> = {}): Promise<TestSocket> {
    const s = new TestSocket(new WebSocket(this.wsUrl + path, { headers }));
    this.sockets.push(s);
    await s.opened;
    return s;
  }

  /** A visitor who said hello: the socket and its welcome. */
  async visitor(email = 'ann@example.com', extra: Frame = {}): Promise<{ s: TestSocket; welcome: Frame; conversationId: string; token: string }> {
    const s = await this.connect('/v1/visitor');
    s.send({ t: 'hello', id: 'h1', email, ...extra });
    const welcome = await s.next({ t: 'welcome' });
    return { s, welcome, conversationId: welcome.conversation.id, token: welcome.token };
  }

  /** A signed-in agent: the socket, its welcome, and its id/token. */
  async agent(name = 'Jane Doe'): Promise<{ s: TestSocket; welcome: Frame; id: string; token: string; name: string }> {
    const a = await this.relay.addAgent(name);
    const s = await this.connect('/v1/agent');
    s.send({ t: 'hello', id: 'a1', token: a.token });
    const welcome = await s.next({ t: 'welcome' });
    return { s, welcome, ...a };
  }

  /** A conversation claimed by a fresh agent. */
  async activeChat(): Promise<{
    visitor: Awaited<ReturnType<Harness['visitor']>>;
    agent: Awaited<ReturnType<Harness['agent']>>;
  }> {
    const visitor = await this.visitor();
    const agent = await this.agent();
    agent.s.send({ t: 'claim', id: 'c1', conversationId: visitor.conversationId });
    await agent.s.next({ t: 'ok', id: 'c1' });
    await visitor.s.next((f) => f.t === 'event' && f.event.type === 'claimed');
    return { visitor, agent };
  }

  async cleanup(): Promise<void> {
    for (const s of this.sockets) s.close();
    await this.relay.close();
    await this.ownStore?.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** A fresh client message id. */
export const cid = (): string => randomUUID();
