/**
 * A fake WebSocket for the transport's tests: the transport's end calls `send` and
 * `close`; the test's end opens it, pushes frames, drops it, and reads what was sent.
 * Every socket made is kept in `sockets`, newest last.
 */
import type { SocketConstructor, SocketLike } from '../../src/transport/index.js';

export class FakeSocket implements SocketLike {
  readonly sent: { t: string; id?: string }[] = [];
  open = false;
  closedWith: number | null = null;
  onopen: ((ev: never) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number }) => void) | null = null;
  onerror: ((ev: never) => void) | null = null;
  /** Answers each `ping` with a `pong` while true. */
  answerPings = true;

  constructor(readonly url: string) {}

  send(data: string): void {
    if (!this.open) throw new Error('not open');
    const f = JSON.parse(data) as { t: string; id?: string };
    this.sent.push(f);
    if (f.t === 'ping' && this.answerPings) this.push({ t: 'pong' });
  }

  close(code = 1000): void {
    this.open = false;
    this.closedWith = code;
  }

  /** The server accepts the connection. */
  accept(): void {
    this.open = true;
    this.onopen?.(undefined as never);
  }

  /** A frame from the server. */
  push(frame: object): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  /** The connection goes away with `code`. */
  drop(code = 1006): void {
    this.open = false;
    this.onclose?.({ code });
  }

  /** Frames of one type sent so far. */
  frames(t: string): { t: string; id?: string }[] {
    return this.sent.filter((f) => f.t === t);
  }
}

/** A WebSocket constructor that records its sockets. */
export function fakeSockets(): { WebSocket: SocketConstructor; sockets: FakeSocket[]; last: () => FakeSocket } {
  const sockets: FakeSocket[] = [];
  class Recorded extends FakeSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
    }
  }
  return { WebSocket: Recorded, sockets, last: () => sockets[sockets.length - 1]! };
}
