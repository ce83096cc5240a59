/**
 * An in-process stand-in for the relay's agent endpoint, for console tests: a fake
 * WebSocket class whose sockets talk to a small model of the relay (logs, claims,
 * notes, uploads) speaking the frames of PROTOCOL.md section 6. Tests can also push
 * frames by hand and hold replies back.
 */
import type { ErrorCode, AgentFrame, AgentPresence, AgentRef, ConversationSummary, EventBody, LogEvent, PageInfo, RelayToAgentFrame, Visitor } from '../../src/protocol/index.js';
import { foldLog } from '../../src/protocol/index.js';
import type { SocketConstructor, SocketLike } from '../../src/console/connection.js';

export const JANE: AgentRef = { id: 'agent-jane', name: 'Jane Doe' };
export const BOB: AgentRef = { id: 'agent-bob', name: 'Bob Stone' };
export const JANE_TOKEN = 'jane-token-0123456789abcdef';

/** One fake socket: the console's end calls `send`; the test's end calls `open`, `push`, `drop`. */
export class FakeSocket implements SocketLike {
  readyState = 0;
  readonly sent: AgentFrame[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  closedWith: number | null = null;

  constructor(
    readonly url: string,
    private readonly relay: FakeRelay,
  ) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    const frame = JSON.parse(data) as AgentFrame;
    this.sent.push(frame);
    this.relay.handle(this, frame);
  }

  close(code = 1000): void {
    if (this.readyState >= 2) return;
    this.readyState = 3;
    this.closedWith = code;
    this.relay.forget(this);
  }

  /** The relay accepts the connection. */
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  /** A frame from the relay. */
  push(frame: RelayToAgentFrame | Record<string, unknown>): void {
    if (this.readyState === 1) this.onmessage?.({ data: JSON.stringify(frame) });
  }

  /** The connection drops (1006 unless told otherwise). */
  drop(code = 1006): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.relay.forget(this);
    this.onclose?.({ code });
  }

  /** Frames of one type the console sent. */
  frames<T extends AgentFrame['t']>(t: T): Extract<AgentFrame, { t: T }>[] {
    return this.sent.filter((f): f is Extract<AgentFrame, { t: T }> => f.t === t);
  }
}

interface Conv {
  id: string;
  log: LogEvent[];
  visitorOnline: boolean;
  unread: number;
  clientIds: Map<string, number>;
}

/** Options of the fake relay. */
export interface FakeRelayOptions {
  /** Open sockets at once when constructed (default true). */
  autoOpen?: boolean;
  /** Answer the console's requests (default true). */
  autoReply?: boolean;
}

/**
 * The fake relay. `relay.WebSocket` is the constructor to inject; `relay.socket` is
 * the newest socket. The clock advances one second per event so times order.
 */
export class FakeRelay {
  readonly sockets: FakeSocket[] = [];
  readonly conversations = new Map<string, Conv>();
  readonly agents: AgentPresence[] = [
    { ...JANE, status: 'online' },
    { ...BOB, status: 'online' },
  ];
  readonly me = JANE;
  autoOpen: boolean;
  autoReply: boolean;
  private readonly watching = new Map<FakeSocket, Set<string>>();
  private clock = Date.parse('2026-01-05T10:00:00.000Z');
  private notes = 0;
  private uploads = 0;

  constructor(options: FakeRelayOptions = {}) {
    this.autoOpen = options.autoOpen ?? true;
    this.autoReply = options.autoReply ?? true;
  }

  /** The WebSocket constructor for `AgentConnection`. */
  get WebSocket(): SocketConstructor {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const relay = this;
    return class extends FakeSocket {
      constructor(url: string) {
        super(url, relay);
        relay.sockets.push(this);
        if (relay.autoOpen) queueMicrotask(() => this.readyState === 0 && this.open());
      }
    };
  }

  /** The newest socket. */
  get socket(): FakeSocket {
    const s = this.sockets[this.sockets.length - 1];
    if (!s) throw new Error('no socket yet');
    return s;
  }

  /** The time of the next event. */
  tick(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }

  /** A customer asks for a chat; agents hear its summary. */
  request(id: string, visitor: Visitor, page?: PageInfo): LogEvent {
    const c: Conv = { id, log: [], visitorOnline: true, unread: 0, clientIds: new Map() };
    this.conversations.set(id, c);
    const e = this.append(id, { type: 'requested', visitor, ...(page ? { page } : {}) });
    return e;
  }

  /** Appends an event, tells watchers, and pushes a summary when the status changed. */
  append(id: string, body: EventBody): LogEvent {
    const c = this.conv(id);
    const before = foldLog(c.log);
    const event = { ...body, seq: c.log.length + 1, at: this.tick() } as LogEvent;
    c.log.push(event);
    if (event.type === 'message' && event.from === 'visitor') c.unread++;
    for (const [s, set] of this.watching) if (set.has(id)) s.push({ t: 'event', conversationId: id, event });
    const after = foldLog(c.log);
    // As the relay does: every agent hears a status or owner change, and a queued chat's
    // new messages as `activity` (its tile is on every list and nobody need watch it).
    if (c.log.length === 1 || before.status !== after.status || before.owner?.id !== after.owner?.id) {
      this.broadcast({ t: 'conversation', summary: this.summary(id) });
    } else if (after.status === 'queued') {
      const { lastSeq, unread } = this.summary(id);
      this.broadcast({ t: 'activity', conversationId: id, lastSeq, unread });
    }
    return event;
  }

  /** A customer message. */
  visitorSays(id: string, text: string): LogEvent {
    return this.append(id, { type: 'message', from: 'visitor', text, clientId: crypto.randomUUID() });
  }

  /** The summary agents see. */
  summary(id: string): ConversationSummary {
    const c = this.conv(id);
    const s = foldLog(c.log);
    return {
      id,
      status: s.status,
      visitor: s.visitor!,
      ...(s.page ? { page: s.page } : {}),
      visitorOnline: c.visitorOnline,
      requestedAt: s.requestedAt!,
      ...(s.owner ? { ownerId: s.owner.id } : {}),
      lastSeq: s.lastSeq,
      unread: c.unread,
    };
  }

  /** Pushes a frame to every open socket. */
  broadcast(frame: RelayToAgentFrame): void {
    for (const s of this.sockets) if (s.readyState === 1 && this.watching.has(s)) s.push(frame);
  }

  /** Drops what the relay knew of a socket. */
  forget(s: FakeSocket): void {
    this.watching.delete(s);
  }

  /** The model's answer to one frame from the console. */
  handle(s: FakeSocket, f: AgentFrame): void {
    if (!this.autoReply) return;
    const ok = (extra: Record<string, unknown> = {}) => 'id' in f && f.id !== undefined && s.push({ t: 'ok', id: f.id, ...extra });
    const error = (code: ErrorCode, message: string) => s.push({ t: 'error', ...('id' in f && f.id ? { id: f.id } : {}), code, message });
    switch (f.t) {
      case 'hello': {
        if (f.token !== JANE_TOKEN) {
          error('unauthorized', 'unknown agent token');
          s.drop(4401);
          return;
        }
        this.watching.set(s, new Set());
        const convs = [...this.conversations.keys()]
          .map((id) => this.summary(id))
          .filter((c) => c.status === 'queued' || (c.status === 'active' && c.ownerId === JANE.id));
        s.push({ t: 'welcome', id: f.id, agent: JANE, agents: this.agents, conversations: convs });
        return;
      }
      case 'ping':
        s.push({ t: 'pong' });
        return;
      case 'status':
        ok();
        return;
      case 'watch': {
        const c = this.conversations.get(f.conversationId);
        if (!c) return error('not_found', 'no such conversation');
        s.push({ t: 'ok', id: f.id, events: c.log.filter((e) => e.seq > f.afterSeq) });
        this.watching.get(s)?.add(f.conversationId);
        return;
      }
      case 'claim': {
        const st = foldLog(this.conv(f.conversationId).log);
        if (st.status !== 'queued') return error('conflict', 'already claimed');
        ok();
        this.append(f.conversationId, { type: 'claimed', agent: JANE });
        return;
      }
      case 'send': {
        const c = this.conv(f.conversationId);
        let seq = c.clientIds.get(f.clientId);
        if (seq === undefined) {
          seq = this.append(f.conversationId, { type: 'message', from: 'agent', agent: JANE, text: f.text, clientId: f.clientId }).seq;
          c.clientIds.set(f.clientId, seq);
        }
        s.push({ t: 'ack', ...(f.id ? { id: f.id } : {}), conversationId: f.conversationId, clientId: f.clientId, seq });
        return;
      }
      case 'note': {
        ok();
        const note = { id: `note-${++this.notes}`, conversationId: f.conversationId, agent: JANE, text: f.text, at: this.tick() };
        this.broadcast({ t: 'note', conversationId: f.conversationId, note });
        return;
      }
      case 'request_upload': {
        const requestId = `req-${++this.uploads}`;
        ok({ requestId });
        this.append(f.conversationId, { type: 'upload_requested', requestId, agent: JANE, ...(f.note ? { note: f.note } : {}), maxBytes: 5242880 });
        return;
      }
      case 'cancel_upload':
        ok();
        this.append(f.conversationId, { type: 'upload_canceled', requestId: f.requestId, by: 'agent' });
        return;
      case 'transfer': {
        ok();
        const to = f.toAgentId ? this.agents.find((a) => a.id === f.toAgentId)! : null;
        this.append(f.conversationId, {
          type: 'transferred',
          from: JANE,
          to: to ? { agent: { id: to.id, name: to.name } } : { queue: true },
          ...(f.note ? { note: f.note } : {}),
        });
        if (to) this.append(f.conversationId, { type: 'claimed', agent: { id: to.id, name: to.name } });
        return;
      }
      case 'end':
        ok();
        this.append(f.conversationId, { type: 'ended', by: 'agent', agent: JANE });
        return;
      case 'block':
        ok();
        this.append(f.conversationId, { type: 'ended', by: 'agent', agent: JANE, reason: 'blocked' });
        return;
      case 'typing':
      case 'read':
        return;
    }
  }

  private conv(id: string): Conv {
    const c = this.conversations.get(id);
    if (!c) throw new Error(`no conversation ${id}`);
    return c;
  }
}

/** Lets queued microtasks (socket opens, promise callbacks) run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}
