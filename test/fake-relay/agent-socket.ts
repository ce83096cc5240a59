/**
 * The socket the console's connection is given instead of a WebSocket (its
 * `SocketConstructor` seam) in console tests: the console's end calls `send` and
 * `close`; the test's end, through the fake relay's agent endpoint, calls `open`,
 * `push` and `drop`. Frames the console sends go to the endpoint at once, in process.
 */
import type { AgentFrame, RelayToAgentFrame } from '../../src/protocol/index.js';
import type { SocketLike } from '../../src/console/connection.js';

/** What a socket tells the endpoint it belongs to. */
export interface SocketOwner {
  receive(socket: FakeSocket, frame: AgentFrame): void;
  forget(socket: FakeSocket): void;
}

export class FakeSocket implements SocketLike {
  readyState = 0;
  /** Every frame the console sent on this socket, in order. */
  readonly sent: AgentFrame[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  /** The code the console closed it with; null while it has not. */
  closedWith: number | null = null;

  constructor(
    readonly url: string,
    private readonly owner: SocketOwner,
  ) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    const frame = JSON.parse(data) as AgentFrame;
    this.sent.push(frame);
    this.owner.receive(this, frame);
  }

  close(code = 1000): void {
    if (this.readyState >= 2) return;
    this.readyState = 3;
    this.closedWith = code;
    this.owner.forget(this);
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
    this.owner.forget(this);
    this.onclose?.({ code });
  }

  /** Frames of one type the console sent. */
  frames<T extends AgentFrame['t']>(t: T): Extract<AgentFrame, { t: T }>[] {
    return this.sent.filter((f): f is Extract<AgentFrame, { t: T }> => f.t === t);
  }
}

/** Lets queued microtasks (socket opens, promise callbacks) run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}
