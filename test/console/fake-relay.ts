/**
 * An in-process stand-in for the relay's agent endpoint, for console tests: a fake
 * WebSocket class whose sockets talk to a small model of the relay (logs, claims,
 * notes, uploads, statuses, messages left while nobody was online, and routing: offers, transfer requests, invitations,
 * accepts, declines, withdrawals, leaving) speaking the frames of PROTOCOL.md section 6.
 * The console is always Jane's; other agents act through `append`. Tests can also push
 * frames by hand, hold replies back, and make the next request of a kind be refused.
 */
import type { ErrorCode, AgentFrame, AgentPresence, AgentRef, AgentStatus, ConversationSummary, EventBody, LogEvent, PageInfo, RelayToAgentFrame, Visitor } from '../../src/protocol/index.js';
import { foldAgentLog } from '../../src/protocol/index.js';
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
  /** Jane's capacity, in the welcome. */
  capacity = 3;
  /** How long transfer requests and invitations wait (ms of the fake clock). */
  requestMs = 60_000;
  /** The next request of each kind is refused with this code. */
  private readonly refusals = new Map<AgentFrame['t'], ErrorCode>();
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

  /** The fake clock now, in ms. */
  get now(): number {
    return this.clock;
  }

  /** Makes the next `t` request fail with `code` (as the relay would: `unavailable`, `at_capacity`…). */
  refuseNext(t: AgentFrame['t'], code: ErrorCode): void {
    this.refusals.set(t, code);
  }

  /** The relay offers a queued chat to an agent for `ms` (default 30 s of the fake clock). */
  offer(id: string, agent: AgentRef = JANE, ms = 30_000): LogEvent {
    return this.append(id, { type: 'offered', agent, until: new Date(this.clock + ms).toISOString() });
  }

  /** The agent a transfer request of the chat names accepts it (as another console would). */
  acceptTransfer(id: string): void {
    const r = foldAgentLog(this.conv(id).log).transferRequest;
    if (!r) throw new Error(`no transfer request in ${id}`);
    this.append(id, { type: 'transferred', from: r.from, to: { agent: r.to }, ...(r.note ? { note: r.note } : {}) });
    this.append(id, { type: 'claimed', agent: r.to });
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

  /**
   * A customer who found nobody online leaves a message (`hello.message`): the chat
   * starts `offline`, outside the live queue, with the message as its first; the
   * customer has gone.
   */
  leaveMessage(id: string, visitor: Visitor, text: string, page?: PageInfo): LogEvent {
    const c: Conv = { id, log: [], visitorOnline: false, unread: 0, clientIds: new Map() };
    this.conversations.set(id, c);
    const e = this.append(id, { type: 'requested', visitor, ...(page ? { page } : {}), offline: true });
    this.visitorSays(id, text);
    return e;
  }

  /** Appends an event, tells watchers, and pushes a summary when the status, owner or routing changed. */
  append(id: string, body: EventBody): LogEvent {
    const c = this.conv(id);
    const before = foldAgentLog(c.log);
    const event = { ...body, seq: c.log.length + 1, at: this.tick() } as LogEvent;
    c.log.push(event);
    if (event.type === 'message' && event.from === 'visitor') c.unread++;
    for (const [s, set] of this.watching) if (set.has(id)) s.push({ t: 'event', conversationId: id, event });
    const after = foldAgentLog(c.log);
    // As the relay does: every agent hears a status, owner or routing change, and a queued
    // chat's new messages as `activity` (its tile is on every list and nobody need watch it).
    const routing = (['offer', 'transferRequest', 'invite', 'guests'] as const).some((k) => before[k] !== after[k]);
    if (c.log.length === 1 || before.status !== after.status || before.owner?.id !== after.owner?.id || routing) {
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
    const s = foldAgentLog(c.log);
    return {
      id,
      status: s.status,
      visitor: s.visitor!,
      ...(s.page ? { page: s.page } : {}),
      visitorOnline: c.visitorOnline,
      requestedAt: s.requestedAt!,
      ...(s.owner ? { ownerId: s.owner.id } : {}),
      lastSeq: s.lastSeq,
      ...(s.offline ? { offline: true as const } : {}),
      unread: c.unread,
      ...(s.guests.length ? { guests: s.guests } : {}),
      ...(s.offer ? { offer: { agentId: s.offer.agent.id, until: s.offer.until } } : {}),
      ...(s.transferRequest ? { transferRequest: s.transferRequest } : {}),
      ...(s.invite ? { invite: { from: s.invite.from, to: s.invite.to, until: s.invite.until } } : {}),
    };
  }

  /** Whether Jane's list holds the chat: queued, hers, one she is a guest in or is asked about. */
  private onJanesList(c: ConversationSummary): boolean {
    if (c.status === 'queued') return true;
    if (c.status !== 'active') return false;
    const me = JANE.id;
    return c.ownerId === me || !!c.guests?.some((g) => g.id === me) || c.transferRequest?.to.id === me || c.invite?.to.id === me;
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
    const refused = this.refusals.get(f.t);
    if (refused) {
      this.refusals.delete(f.t);
      return error(refused, `refused: ${refused}`);
    }
    const until = () => new Date(this.clock + this.requestMs).toISOString();
    switch (f.t) {
      case 'hello': {
        if (f.token !== JANE_TOKEN) {
          error('unauthorized', 'unknown agent token');
          s.drop(4401);
          return;
        }
        this.watching.set(s, new Set());
        // A new sign-in counts as online, as on the relay.
        const i = this.agents.findIndex((a) => a.id === JANE.id);
        if (i >= 0) this.agents[i] = { ...JANE, status: 'online' };
        const convs = [...this.conversations.keys()]
          .map((id) => this.summary(id))
          .filter((c) => this.onJanesList(c));
        s.push({ t: 'welcome', id: f.id, agent: { ...JANE, capacity: this.capacity }, agents: this.agents, conversations: convs });
        return;
      }
      case 'ping':
        s.push({ t: 'pong' });
        return;
      case 'status':
        ok();
        this.setPresence(JANE, f.value);
        return;
      case 'watch': {
        const c = this.conversations.get(f.conversationId);
        if (!c) return error('not_found', 'no such conversation');
        s.push({ t: 'ok', id: f.id, events: c.log.filter((e) => e.seq > f.afterSeq) });
        this.watching.get(s)?.add(f.conversationId);
        return;
      }
      case 'claim': {
        const st = foldAgentLog(this.conv(f.conversationId).log);
        if (this.agents.find((a) => a.id === JANE.id)?.status !== 'online') return error('unavailable', 'you are not online');
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
        const to = f.toAgentId ? this.agents.find((a) => a.id === f.toAgentId)! : null;
        if (to && to.status !== 'online') return error('unavailable', `${to.name} is ${to.status}`);
        ok();
        const note = f.note ? { note: f.note } : {};
        if (!to) this.append(f.conversationId, { type: 'transferred', from: JANE, to: { queue: true }, ...note });
        else this.append(f.conversationId, { type: 'transfer_requested', from: JANE, to: { id: to.id, name: to.name }, until: until(), ...note });
        return;
      }
      case 'invite': {
        const to = this.agents.find((a) => a.id === f.toAgentId)!;
        if (to.status !== 'online') return error('unavailable', `${to.name} is ${to.status}`);
        ok();
        this.append(f.conversationId, { type: 'invited', from: JANE, to: { id: to.id, name: to.name }, until: until() });
        return;
      }
      case 'accept': {
        const st = foldAgentLog(this.conv(f.conversationId).log);
        if (st.offer?.agent.id === JANE.id) {
          ok();
          this.append(f.conversationId, { type: 'claimed', agent: JANE, via: 'offer' });
        } else if (st.transferRequest?.to.id === JANE.id) {
          const r = st.transferRequest;
          ok();
          this.append(f.conversationId, { type: 'transferred', from: r.from, to: { agent: JANE }, ...(r.note ? { note: r.note } : {}) });
          this.append(f.conversationId, { type: 'claimed', agent: JANE });
        } else if (st.invite?.to.id === JANE.id) {
          ok();
          this.append(f.conversationId, { type: 'joined', agent: JANE });
        } else error('not_found', 'nothing waits for your answer');
        return;
      }
      case 'decline': {
        const st = foldAgentLog(this.conv(f.conversationId).log);
        const id = f.conversationId;
        if (st.offer?.agent.id === JANE.id) this.append(id, { type: 'offer_declined', agent: JANE, reason: 'declined' });
        else if (st.transferRequest?.to.id === JANE.id) this.append(id, { type: 'transfer_declined', from: st.transferRequest.from, to: JANE, reason: 'declined' });
        else if (st.invite?.to.id === JANE.id) this.append(id, { type: 'invite_declined', from: st.invite.from, to: JANE, reason: 'declined' });
        else return error('not_found', 'nothing waits for your answer');
        ok();
        return;
      }
      case 'withdraw': {
        const { transferRequest: t, invite: i } = foldAgentLog(this.conv(f.conversationId).log);
        if (t) this.append(f.conversationId, { type: 'transfer_declined', from: t.from, to: t.to, reason: 'canceled' });
        else if (i) this.append(f.conversationId, { type: 'invite_declined', from: i.from, to: i.to, reason: 'canceled' });
        else return error('not_found', 'nothing to withdraw');
        ok();
        return;
      }
      case 'leave': {
        const st = foldAgentLog(this.conv(f.conversationId).log);
        const heir = st.guests.find((g) => g.id !== JANE.id);
        if (st.guests.some((g) => g.id === JANE.id)) {
          ok();
          this.append(f.conversationId, { type: 'left', agent: JANE });
        } else if (st.owner?.id === JANE.id && heir) {
          ok();
          this.append(f.conversationId, { type: 'transferred', from: JANE, to: { agent: heir } });
          this.append(f.conversationId, { type: 'left', agent: JANE });
        } else error('conflict', 'nobody else is in this chat');
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

  /** An agent's status changes; every agent hears `presence`. */
  setPresence(agent: AgentRef, status: AgentStatus): void {
    const i = this.agents.findIndex((a) => a.id === agent.id);
    const presence = { ...agent, status };
    if (i >= 0) this.agents[i] = presence;
    else this.agents.push(presence);
    this.broadcast({ t: 'presence', agent: presence });
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
