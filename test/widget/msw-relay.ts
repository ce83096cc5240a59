/**
 * A small in-process relay for the widget tests that use the real `ChatClient`: msw's
 * `ws.link` answers hello/resume/send/end on the visitor endpoint as PROTOCOL.md says
 * (a hello with `message` leaves it offline, outside the live line), msw's `http`
 * answers `GET /v1/availability` and `POST /v1/rating`, and a test acts as the agent by
 * appending events. One conversation, no limits. Pass `handlers` to `server.use`.
 */
import { http, HttpResponse, ws } from 'msw';
import type { WebSocketHandlerConnection } from 'msw';
import type { AvailabilityAnswer, EventBody, LogEvent, RatingValue, RelayToVisitorFrame, VisitorFrame } from '../../src/protocol/index.js';

export const RELAY = 'http://relay.test';
type Socket = WebSocketHandlerConnection['client'];

export class MswRelay {
  readonly link = ws.link('ws://relay.test/v1/visitor');
  readonly frames: VisitorFrame[] = [];
  readonly sockets: Socket[] = [];
  private readonly closed = new Set<Socket>();
  log: LogEvent[] = [];
  readonly token = 'tok_widget_0123456789abcdef';
  /** When set, `hello` is answered with this error instead of `welcome`. */
  refuse: { code: string; field?: string } | null = null;
  /** The answer to `GET /v1/availability`; `null` answers 500 (the relay cannot say). */
  availability: AvailabilityAnswer | null = { available: true };
  /** The ratings taken by `POST /v1/rating`; a second one is refused with 409 `conflict`. */
  readonly ratings: { value: RatingValue; comment?: string; token: string | null }[] = [];

  readonly handler = this.link.addEventListener('connection', ({ client }) => {
    this.sockets.push(client);
    client.addEventListener('close', () => this.closed.add(client));
    client.addEventListener('message', (e) => {
      const f = JSON.parse(String(e.data)) as VisitorFrame;
      this.frames.push(f);
      this.answer(f, client);
    });
  });

  readonly http = [
    http.get(`${RELAY}/v1/availability`, () =>
      this.availability ? HttpResponse.json(this.availability) : HttpResponse.json({ error: { code: 'internal', message: 'down' } }, { status: 500 }),
    ),
    http.post(`${RELAY}/v1/rating`, async ({ request }) => {
      if (this.ratings.length) return HttpResponse.json({ error: { code: 'conflict', message: 'rated already' } }, { status: 409 });
      const body = (await request.json()) as { value: RatingValue; comment?: string };
      this.ratings.push({ ...body, token: request.headers.get('authorization')?.replace(/^Bearer /, '') ?? null });
      return new HttpResponse(null, { status: 204 });
    }),
  ];

  /** Every handler of this relay, for `server.use(...relay.handlers)`. */
  readonly handlers = [this.handler, ...this.http];

  /** Appends an event (as the relay would for an agent's action) and sends it to every socket. */
  append(body: EventBody): LogEvent {
    const event = { ...body, seq: this.log.length + 1, at: new Date().toISOString() } as LogEvent;
    this.log.push(event);
    for (const s of this.sockets) if (!this.closed.has(s)) this.push(s, { t: 'event', event });
    return event;
  }

  private push(s: Socket, f: RelayToVisitorFrame): void {
    s.send(JSON.stringify(f));
  }

  private answer(f: VisitorFrame, s: Socket): void {
    switch (f.t) {
      case 'hello':
        if (this.refuse) {
          this.push(s, { t: 'error', id: f.id, code: this.refuse.code as 'invalid', field: this.refuse.field, message: 'refused' });
          return;
        }
        this.log = [];
        if (f.message !== undefined) {
          // A message left for later: offline, outside the live line (no position).
          this.append({ type: 'requested', visitor: { email: f.email, name: f.name }, offline: true });
          this.append({ type: 'message', from: 'visitor', text: f.message, clientId: '7d4a3c1e-0000-4000-8000-00000000000f' });
          this.push(s, { t: 'welcome', id: f.id, token: this.token, conversation: { id: 'conv_w', status: 'queued' }, events: this.log });
          return;
        }
        this.append({ type: 'requested', visitor: { email: f.email, name: f.name } });
        this.push(s, { t: 'welcome', id: f.id, token: this.token, conversation: { id: 'conv_w', status: 'queued', queuePosition: 2 }, events: this.log });
        this.push(s, { t: 'queue', position: 2 });
        return;
      case 'resume':
        this.push(s, {
          t: 'welcome',
          id: f.id,
          token: this.token,
          conversation: { id: 'conv_w', status: 'queued', queuePosition: 1 },
          events: this.log.filter((e) => e.seq > f.afterSeq),
        });
        return;
      case 'send': {
        const e = this.append({ type: 'message', from: 'visitor', text: f.text, clientId: f.clientId });
        this.push(s, { t: 'ack', id: f.id, clientId: f.clientId, seq: e.seq });
        return;
      }
      case 'end':
        this.push(s, { t: 'ok', id: f.id ?? '' });
        this.append({ type: 'ended', by: 'visitor' });
        return;
      case 'ping':
        this.push(s, { t: 'pong' });
        return;
      default:
        return;
    }
  }
}

/** Options for `vi.waitFor` over socket round trips: up to 2 s, looking every 5 ms. */
export const WAIT = { timeout: 2000, interval: 5 };
