/**
 * An in-process fake of the relay's visitor endpoint for the client tests, on msw's
 * `ws.link`: one conversation, hello/resume/send/end/cancel_upload/ping as PROTOCOL.md
 * section 4 says, plus hooks that let a test swallow frames, drop sockets and append
 * agent-side events. It is a test double, not a second relay: no limits, no agents.
 */
import { ws } from 'msw';
import type { WebSocketHandlerConnection } from 'msw';
import type { EventBody, LogEvent, RelayToVisitorFrame, VisitorFrame } from '../../src/protocol/index.js';

export const RELAY = 'http://relay.test';
export const WS_URL = 'ws://relay.test/v1/visitor';

type Client = WebSocketHandlerConnection['client'];

export const AGENT = { id: 'agent_1', name: 'Jane Doe' };

export class FakeRelay {
  readonly link = ws.link(WS_URL);
  /** Every frame received, in order, with the index of the connection it came on. */
  readonly frames: { conn: number; frame: VisitorFrame }[] = [];
  readonly sockets: Client[] = [];
  private readonly live = new Set<Client>();
  log: LogEvent[] = [];
  token = 'tok_0123456789abcdef0123';
  conversationId = 'conv_1';
  /** Return true to swallow a frame (no reply, no effect). */
  intercept: (frame: VisitorFrame, client: Client) => boolean = () => false;
  answerPings = true;
  /** clientId → seq, for idempotent sends. */
  readonly sent = new Map<string, number>();
  /** When set, `hello` is refused with this error frame (and close code, if any). */
  refuseHello: { code: string; field?: string; close?: number } | null = null;
  /** The queue's usual wait in seconds that welcomes carry (`conversation.queueWait`); none when unset. */
  queueWait: number | undefined;

  /** The msw handler to pass to `setupServer` / `server.use`. */
  readonly handler = this.link.addEventListener('connection', ({ client }) => {
    const conn = this.sockets.push(client) - 1;
    this.live.add(client);
    client.addEventListener('close', () => this.live.delete(client));
    client.addEventListener('message', (e) => {
      const frame = JSON.parse(String(e.data)) as VisitorFrame;
      this.frames.push({ conn, frame });
      if (!this.intercept(frame, client)) this.answer(frame, client);
    });
  });

  /** Frames of one type received so far. */
  framesOf<T extends VisitorFrame['t']>(t: T): Extract<VisitorFrame, { t: T }>[] {
    return this.frames.filter((f) => f.frame.t === t).map((f) => f.frame as Extract<VisitorFrame, { t: T }>);
  }

  /** Sockets still open. */
  get open(): Client[] {
    return this.sockets.filter((c) => this.live.has(c));
  }

  /** Appends an event to the log and sends it to every open socket (unless `quiet`). */
  append(body: EventBody, quiet = false): LogEvent {
    const event = { ...body, seq: this.log.length + 1, at: new Date().toISOString() } as LogEvent;
    this.log.push(event);
    if (!quiet) for (const c of this.open) this.push(c, { t: 'event', event });
    return event;
  }

  push(client: Client, f: RelayToVisitorFrame): void {
    client.send(JSON.stringify(f));
  }

  private answer(f: VisitorFrame, c: Client): void {
    switch (f.t) {
      case 'hello':
        if (this.refuseHello) {
          const { code, field, close } = this.refuseHello;
          this.push(c, { t: 'error', id: f.id, code: code as 'invalid', field, message: `refused: ${code}` });
          if (close) c.close(close);
          return;
        }
        this.log = [];
        this.append({ type: 'requested', visitor: { email: f.email, name: f.name } }, true);
        this.push(c, { t: 'welcome', id: f.id, token: this.token, conversation: { id: this.conversationId, status: 'queued', queuePosition: 1, queueWait: this.queueWait }, events: this.log });
        return;
      case 'resume':
        if (f.token !== this.token || f.conversationId !== this.conversationId) {
          this.push(c, { t: 'error', id: f.id, code: 'unauthorized', message: 'bad token' });
          c.close(4401);
          return;
        }
        this.push(c, {
          t: 'welcome',
          id: f.id,
          token: this.token,
          conversation: { id: this.conversationId, status: 'queued', queueWait: this.queueWait },
          events: this.log.filter((e) => e.seq > f.afterSeq),
        });
        return;
      case 'send': {
        if (this.log.some((e) => e.type === 'ended')) {
          this.push(c, { t: 'error', id: f.id, code: 'ended', message: 'the chat has ended' });
          return;
        }
        let seq = this.sent.get(f.clientId);
        if (seq === undefined) {
          seq = this.append({ type: 'message', from: 'visitor', text: f.text, clientId: f.clientId }, true).seq;
          this.sent.set(f.clientId, seq);
          this.push(c, { t: 'ack', id: f.id, clientId: f.clientId, seq });
          const event = this.log[seq - 1]!;
          for (const s of this.open) this.push(s, { t: 'event', event });
        } else {
          this.push(c, { t: 'ack', id: f.id, clientId: f.clientId, seq });
        }
        return;
      }
      case 'end':
        if (f.id) this.push(c, { t: 'ok', id: f.id });
        this.append({ type: 'ended', by: 'visitor' });
        return;
      case 'cancel_upload':
        if (f.id) this.push(c, { t: 'ok', id: f.id });
        this.append({ type: 'upload_canceled', requestId: f.requestId, by: 'visitor' });
        return;
      case 'ping':
        if (this.answerPings) this.push(c, { t: 'pong' });
        return;
      default:
        return;
    }
  }

  /** An agent's message, as the relay would log it. */
  agentSays(text: string): LogEvent {
    return this.append({ type: 'message', from: 'agent', agent: AGENT, text, clientId: crypto.randomUUID() });
  }
}

/** A `Storage`-like map that tests can inspect. */
export function testStorage(): Storage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    key: (i: number) => [...map.keys()][i] ?? null,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, String(v)),
    removeItem: (k: string) => void map.delete(k),
  };
}

/** Options for `vi.waitFor` in these tests: up to 3 s of real time, looking every 5 ms. */
export const WAIT = { timeout: 3000, interval: 5 };
