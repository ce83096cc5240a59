/**
 * The fake relay's visitor endpoint, on msw's `ws.link`, for the client and widget
 * tests: one customer's chat in the model, answering hello/resume/send/end/
 * cancel_upload/ping as docs/protocol.md section 4 says (a hello with `message` leaves
 * it offline, outside the live line), plus its HTTP endpoints (visitor-http.ts). A test
 * acts as the agent by appending events, and its hooks swallow frames, drop or refuse
 * sockets and push frames by hand. Every hello starts the chat anew under the same id.
 * Events reach visitor sockets through `visitorView`, as on the relay.
 */
import { ws } from 'msw';
import type { WebSocketHandlerConnection } from 'msw';
import type { AvailabilityAnswer, EventBody, LogEvent, RelayToVisitorFrame, VisitorFrame } from '../../src/protocol/index.js';
import { foldAgentLog, visitorLog, visitorView } from '../../src/protocol/index.js';
import { RelayModel, type Conversation } from './model.js';
import { visitorHttp, type TakenRating } from './visitor-http.js';

/** The fake relay's address, for `ChatClient({ relay })` and `<parley-chat relay>`. */
export const RELAY = 'http://relay.test';

type Socket = WebSocketHandlerConnection['client'];

export class VisitorEndpoint {
  readonly link = ws.link(`${RELAY.replace(/^http/, 'ws')}/v1/visitor`);
  /** Every frame received, in order, with the index (in `sockets`) of the socket it came on. */
  readonly frames: { conn: number; frame: VisitorFrame }[] = [];
  /** Every socket ever opened, in order. */
  readonly sockets: Socket[] = [];
  /** Return true to swallow a frame: no reply, no effect. */
  intercept: (frame: VisitorFrame, socket: Socket) => boolean = () => false;
  /** Answer `ping` with `pong` (false: the socket goes silent to the heartbeat). */
  answerPings = true;
  /** When set, `hello` is refused with this error frame (and close code, if any). */
  refuseHello: { code: string; field?: string; close?: number } | null = null;
  /** The place in line that welcomes to a live, queued chat carry. */
  queuePosition = 1;
  /** The queue's usual wait in seconds that those welcomes carry (`queueWait`); none when unset. */
  queueWait: number | undefined;
  /** The answer to `GET /v1/availability`; `null` answers 500 (the relay cannot say). */
  availability: AvailabilityAnswer | null = { available: true };
  /** The ratings `POST /v1/rating` took (each also logged as `rated`: the next is refused with 409). */
  readonly ratings: TakenRating[] = [];
  private readonly live = new Set<Socket>();
  /** The conversation each socket was welcomed to: it hears that conversation's events. */
  private readonly welcomed = new Map<Socket, Conversation>();

  constructor(
    readonly model = new RelayModel(),
    /** The id of the one conversation this endpoint serves. */
    readonly conversationId = 'conv_1',
  ) {
    model.subscribe((id, event) => {
      const c = model.conversations.get(id);
      for (const [s, of] of this.welcomed) if (of === c && this.live.has(s)) this.push(s, { t: 'event', event: visitorView(event) });
    });
  }

  /** The socket handler, for `server.use`. */
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

  /** The HTTP handlers: `GET /v1/availability`, `POST /v1/rating`. */
  readonly http = visitorHttp(RELAY, this);

  /** Every handler of this endpoint, for `server.use(...relay.handlers)`. */
  readonly handlers = [this.handler, ...this.http];

  /** Frames of one type received so far. */
  framesOf<T extends VisitorFrame['t']>(t: T): Extract<VisitorFrame, { t: T }>[] {
    return this.frames.filter((f) => f.frame.t === t).map((f) => f.frame as Extract<VisitorFrame, { t: T }>);
  }

  /** Sockets still open. */
  get open(): Socket[] {
    return this.sockets.filter((s) => this.live.has(s));
  }

  /** The chat's log (empty before the first hello). */
  get log(): readonly LogEvent[] {
    return this.model.conversations.get(this.conversationId)?.log ?? [];
  }

  /** The chat's visitor token (set it to make the stored one stale). */
  get token(): string {
    return this.model.conversation(this.conversationId).token;
  }

  set token(token: string) {
    this.model.conversation(this.conversationId).token = token;
  }

  /** clientId → seq of each message logged in the chat. */
  get sent(): ReadonlyMap<string, number> {
    return this.model.conversations.get(this.conversationId)?.clientIds ?? new Map();
  }

  /** Appends an event to the chat (as for an agent's action); `quiet`: no socket hears of it. */
  append(body: EventBody, options: { quiet?: boolean } = {}): LogEvent {
    return this.model.append(this.conversationId, body, options);
  }

  /** Jane writes in the chat. */
  agentSays(text: string): LogEvent {
    return this.model.agentSays(this.conversationId, text);
  }

  /**
   * Logs a visitor message as `send` would (once per clientId) but tells no socket:
   * the ack and the event are lost in transit. Returns its seq.
   */
  logUnheard(text: string, clientId: string): number {
    return this.model.logMessage(this.conversationId, { type: 'message', from: 'visitor', text, clientId }, { quiet: true }).seq;
  }

  /** Sends a frame to one socket, as the relay would. */
  push(socket: Socket, frame: RelayToVisitorFrame): void {
    socket.send(JSON.stringify(frame));
  }

  /** Welcomes a socket to the chat with `events`, and lets it hear what comes next. */
  private welcome(s: Socket, id: string, events: readonly LogEvent[]): void {
    const c = this.model.conversation(this.conversationId);
    const { status, offline } = foldAgentLog(c.log);
    const line = status === 'queued' && !offline ? { queuePosition: this.queuePosition, queueWait: this.queueWait } : {};
    this.welcomed.set(s, c);
    this.push(s, { t: 'welcome', id, token: c.token, conversation: { id: c.id, status, ...line }, events: visitorLog(events) });
  }

  private answer(f: VisitorFrame, s: Socket): void {
    const id = this.conversationId;
    switch (f.t) {
      case 'hello': {
        if (this.refuseHello) {
          const { code, field, close } = this.refuseHello;
          this.push(s, { t: 'error', id: f.id, code: code as 'invalid', field, message: `refused: ${code}` });
          if (close) s.close(close);
          return;
        }
        const visitor = { email: f.email, ...(f.name !== undefined ? { name: f.name } : {}) };
        if (f.message !== undefined) this.model.leaveMessage(id, visitor, f.message, f.page);
        else this.model.request(id, visitor, { page: f.page });
        this.welcome(s, f.id, this.log);
        return;
      }
      case 'resume': {
        const c = this.model.conversations.get(id);
        if (!c || f.token !== c.token || f.conversationId !== id) {
          this.push(s, { t: 'error', id: f.id, code: 'unauthorized', message: 'bad token' });
          s.close(4401);
          return;
        }
        this.welcome(s, f.id, c.log.filter((e) => e.seq > f.afterSeq));
        return;
      }
      case 'send': {
        if (this.log.some((e) => e.type === 'ended')) {
          this.push(s, { t: 'error', id: f.id, code: 'ended', message: 'the chat has ended' });
          return;
        }
        const { seq, fresh } = this.model.logMessage(id, { type: 'message', from: 'visitor', text: f.text, clientId: f.clientId }, { quiet: true });
        this.push(s, { t: 'ack', id: f.id, clientId: f.clientId, seq });
        if (fresh) this.model.publish(id, this.log[seq - 1]!);
        return;
      }
      case 'end':
        if (f.id) this.push(s, { t: 'ok', id: f.id });
        this.append({ type: 'ended', by: 'visitor' });
        return;
      case 'cancel_upload':
        if (f.id) this.push(s, { t: 'ok', id: f.id });
        this.append({ type: 'upload_canceled', requestId: f.requestId, by: 'visitor' });
        return;
      case 'ping':
        if (this.answerPings) this.push(s, { t: 'pong' });
        return;
      default:
        return;
    }
  }
}
