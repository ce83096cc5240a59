/**
 * The fake relay's agent endpoint, for console tests: `WebSocket` is the constructor to
 * inject into the console's connection, and its sockets speak the frames of
 * docs/protocol.md section 6 with the model (sign-in, watching logs, claims, replies,
 * notes, file requests, statuses, ends and blocks; routing is in agent-routing.ts).
 * Agents hear what the relay would tell them of each event the model logs. The console
 * is always Jane's. Tests can push frames by hand, intercept frames to answer them
 * themselves, and make the next request of a kind be refused.
 */
import type { AgentFrame, AgentRef, AgentStatus, ConversationSummary, ErrorCode, EventBody, LogEvent, PageInfo, RelayToAgentFrame, Visitor } from '../../src/protocol/index.js';
import { foldAgentLog } from '../../src/protocol/index.js';
import type { SocketConstructor } from '../../src/console/connection.js';
import { acceptTransfer, answerRouting, isRouting, offer } from './agent-routing.js';
import { FakeSocket } from './agent-socket.js';
import { JANE, RelayModel } from './model.js';

/** Jane's agent token: the only one the endpoint signs in. */
export const JANE_TOKEN = 'jane-token-0123456789abcdef';

export interface AgentEndpointOptions {
  /** The relay's state, when shared with another endpoint (a new one by default). */
  model?: RelayModel;
  /** Open sockets at once when constructed (default true). */
  autoOpen?: boolean;
}

export class AgentEndpoint {
  readonly model: RelayModel;
  /** Every socket the console made, in order. */
  readonly sockets: FakeSocket[] = [];
  readonly me = JANE;
  /** Sockets open by themselves a microtask after they are made; false: the test opens them. */
  autoOpen: boolean;
  /** Return true to swallow a frame: no reply, no effect (the test may answer by hand). */
  intercept: (frame: AgentFrame, socket: FakeSocket) => boolean = () => false;
  /** Jane's capacity, in the welcome. */
  capacity = 3;
  /** How long transfer requests and invitations wait (ms of the fake clock). */
  requestMs = 60_000;
  /** The next request of each kind is refused with this code. */
  private readonly refusals = new Map<AgentFrame['t'], ErrorCode>();
  /** The signed-in sockets and the conversations each watches. */
  private readonly watching = new Map<FakeSocket, Set<string>>();
  private notes = 0;
  private uploads = 0;

  constructor(options: AgentEndpointOptions = {}) {
    this.model = options.model ?? new RelayModel();
    this.autoOpen = options.autoOpen ?? true;
    this.model.subscribe((id, event) => this.tell(id, event));
  }

  /** The WebSocket constructor for `AgentConnection`. */
  get WebSocket(): SocketConstructor {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const endpoint = this;
    return class extends FakeSocket {
      constructor(url: string) {
        super(url, endpoint);
        endpoint.sockets.push(this);
        if (endpoint.autoOpen) queueMicrotask(() => this.readyState === 0 && this.open());
      }
    };
  }

  /** The newest socket. */
  get socket(): FakeSocket {
    const s = this.sockets[this.sockets.length - 1];
    if (!s) throw new Error('no socket yet');
    return s;
  }

  // What happens at the relay, in the model, that agents hear of.

  get conversations(): RelayModel['conversations'] {
    return this.model.conversations;
  }

  /** The fake clock now, in ms. */
  get now(): number {
    return this.model.now;
  }

  /** The time of the next event. */
  tick(): string {
    return this.model.tick();
  }

  /** A customer asks for a chat; agents hear its summary. */
  request(id: string, visitor: Visitor, page?: PageInfo): LogEvent {
    return this.model.request(id, visitor, { page });
  }

  /** A customer who found nobody online leaves a message: an `offline` chat, its customer gone. */
  leaveMessage(id: string, visitor: Visitor, text: string, page?: PageInfo): LogEvent {
    return this.model.leaveMessage(id, visitor, text, page);
  }

  /** Logs an event (another agent's action, the relay's own); agents hear as the relay would tell them. */
  append(id: string, body: EventBody): LogEvent {
    return this.model.append(id, body);
  }

  /** A customer message. */
  visitorSays(id: string, text: string): LogEvent {
    return this.model.visitorSays(id, text);
  }

  /** The summary agents see. */
  summary(id: string): ConversationSummary {
    return this.model.summary(id);
  }

  /** The relay offers a queued chat to an agent for `ms` (default 30 s of the fake clock). */
  offer(id: string, agent: AgentRef = JANE, ms = 30_000): LogEvent {
    return offer(this.model, id, agent, ms);
  }

  /** The agent a transfer request of the chat names accepts it (as another console would). */
  acceptTransfer(id: string): void {
    acceptTransfer(this.model, id);
  }

  /** An agent's status changes; every agent hears `presence`. */
  setPresence(agent: AgentRef, status: AgentStatus): void {
    this.broadcast({ t: 'presence', agent: this.model.setStatus(agent, status) });
  }

  // The endpoint's own hooks.

  /** Makes the next `t` request fail with `code` (as the relay would: `unavailable`, `at_capacity`…). */
  refuseNext(t: AgentFrame['t'], code: ErrorCode): void {
    this.refusals.set(t, code);
  }

  /** Pushes a frame to every signed-in socket. */
  broadcast(frame: RelayToAgentFrame): void {
    for (const s of this.sockets) if (s.readyState === 1 && this.watching.has(s)) s.push(frame);
  }

  /** Drops what the relay knew of a socket: it hears nothing more. */
  forget(s: FakeSocket): void {
    this.watching.delete(s);
  }

  /** A frame from the console: answered unless `intercept` takes it. */
  receive(s: FakeSocket, f: AgentFrame): void {
    if (!this.intercept(f, s)) this.answer(s, f);
  }

  /** What agents hear of one event: watchers the event; everyone a changed summary or a queued chat's activity. */
  private tell(id: string, event: LogEvent): void {
    for (const [s, set] of this.watching) if (set.has(id)) s.push({ t: 'event', conversationId: id, event });
    const log = this.model.conversation(id).log;
    const before = foldAgentLog(log.slice(0, event.seq - 1));
    const after = foldAgentLog(log.slice(0, event.seq));
    // As the relay does: every agent hears a status, owner or routing change, and a queued
    // chat's new messages as `activity` (its tile is on every list and nobody need watch it).
    const routing = (['offer', 'transferRequest', 'invite', 'guests'] as const).some((k) => before[k] !== after[k]);
    if (event.seq === 1 || before.status !== after.status || before.owner?.id !== after.owner?.id || routing) {
      this.broadcast({ t: 'conversation', summary: this.summary(id) });
    } else if (after.status === 'queued') {
      const { lastSeq, unread } = this.summary(id);
      this.broadcast({ t: 'activity', conversationId: id, lastSeq, unread });
    }
  }

  /** Whether Jane's list holds the chat: queued, hers, one she is a guest in or is asked about. */
  private onJanesList(c: ConversationSummary): boolean {
    if (c.status === 'queued') return true;
    if (c.status !== 'active') return false;
    const me = JANE.id;
    return c.ownerId === me || !!c.guests?.some((g) => g.id === me) || c.transferRequest?.to.id === me || c.invite?.to.id === me;
  }

  /** The model's answer to one frame from the console, whatever `intercept` says. */
  answer(s: FakeSocket, f: AgentFrame): void {
    const ok = (extra: Record<string, unknown> = {}) => 'id' in f && f.id !== undefined && s.push({ t: 'ok', id: f.id, ...extra });
    const error = (code: ErrorCode, message: string) => s.push({ t: 'error', ...('id' in f && f.id ? { id: f.id } : {}), code, message });
    const refused = this.refusals.get(f.t);
    if (refused) {
      this.refusals.delete(f.t);
      return error(refused, `refused: ${refused}`);
    }
    if (isRouting(f)) return answerRouting(this.model, f, { ok: () => ok(), error }, this.requestMs);
    switch (f.t) {
      case 'hello': {
        if (f.token !== JANE_TOKEN) {
          error('unauthorized', 'unknown agent token');
          s.drop(4401);
          return;
        }
        this.watching.set(s, new Set());
        // A new sign-in counts as online, as on the relay.
        this.model.setStatus(JANE, 'online');
        const convs = [...this.conversations.keys()].map((id) => this.summary(id)).filter((c) => this.onJanesList(c));
        s.push({ t: 'welcome', id: f.id, agent: { ...JANE, capacity: this.capacity }, agents: this.model.agents, conversations: convs });
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
        const st = foldAgentLog(this.model.conversation(f.conversationId).log);
        if (this.model.agents.find((a) => a.id === JANE.id)?.status !== 'online') return error('unavailable', 'you are not online');
        if (st.status !== 'queued') return error('conflict', 'already claimed');
        ok();
        this.append(f.conversationId, { type: 'claimed', agent: JANE });
        return;
      }
      case 'send': {
        const { seq } = this.model.logMessage(f.conversationId, { type: 'message', from: 'agent', agent: JANE, text: f.text, clientId: f.clientId });
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
}
