/**
 * One `ReconnectingSocket` on fake sockets for each test: frames are plain JSON objects
 * with `t` (parsed as-is), the greeting is `hello`, and the timings are short and round.
 */
import { ReconnectingSocket, type TransportOptions, type TransportState } from '../../src/transport/index.js';
import { fakeSockets } from './fake-socket.js';

export type Frame = { t: string; id?: string; [k: string]: unknown };

export const TIMINGS = { minDelayMs: 100, maxDelayMs: 1000, pingIntervalMs: 1000, pongTimeoutMs: 300, requestTimeoutMs: 500 };

/** Parses like the protocol's parsers: an object with a string `t`, else null. */
export function parse(raw: unknown): Frame | null {
  try {
    const f = JSON.parse(String(raw)) as Frame;
    return typeof f?.t === 'string' ? f : null;
  } catch {
    return null;
  }
}

/** A socket on fake sockets; `wakeOn` is `null` (nowhere) unless the test names it, or passes `'default'`. */
export function makeSocket(options: Omit<TransportOptions, 'wakeOn'> & { wakeOn?: TransportOptions['wakeOn'] | 'default' } = {}) {
  const { wakeOn = null, ...rest } = options;
  options = { ...rest, ...(wakeOn === 'default' ? {} : { wakeOn }) };
  const fake = fakeSockets();
  const t = new ReconnectingSocket<Frame, Frame>('ws://relay.test/v1/x', parse, () => ({ t: 'hello', id: 'hello' }), {
    WebSocket: fake.WebSocket,
    random: () => 1,
    ...TIMINGS,
    ...(options as TransportOptions),
  });
  const states: TransportState[] = [];
  const frames: Frame[] = [];
  const closes: number[] = [];
  t.addEventListener('state', (e) => states.push(e.detail.newState));
  t.addEventListener('frame', (e) => frames.push(e.detail));
  t.addEventListener('close', (e) => closes.push(e.detail));
  /** Opens the socket, accepts it and answers the greeting with a welcome. */
  const welcomed = () => {
    fake.last().accept();
    t.ready();
  };
  return { t, ...fake, states, frames, closes, welcomed };
}
