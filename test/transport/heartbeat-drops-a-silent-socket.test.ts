import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeSocket } from './harness.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('heartbeat and liveness', () => {
  it('pings every pingIntervalMs while open, and a pong keeps the socket', async () => {
    const s = makeSocket();
    s.t.open();
    s.welcomed();
    await vi.advanceTimersByTimeAsync(3000);
    expect(s.last().frames('ping')).toHaveLength(3);
    expect(s.t.state).toBe('open');
    expect(s.sockets).toHaveLength(1);
  });

  it('counts any frame as a sign of life, not only a pong', async () => {
    const s = makeSocket();
    s.t.open();
    s.welcomed();
    s.last().answerPings = false;
    await vi.advanceTimersByTimeAsync(1000); // ping
    s.last().push({ t: 'event' });
    await vi.advanceTimersByTimeAsync(999);
    expect(s.t.state).toBe('open');
  });

  it('drops a socket silent for pongTimeoutMs after a ping, and reconnects', async () => {
    const s = makeSocket();
    s.t.open();
    s.welcomed();
    s.last().answerPings = false;
    await vi.advanceTimersByTimeAsync(1000 + 299);
    expect(s.t.state).toBe('open');
    await vi.advanceTimersByTimeAsync(1);
    expect(s.sockets[0]!.closedWith).toBe(1000);
    expect(s.t.state).toBe('backoff');
    expect(s.closes).toEqual([0]);
    await vi.advanceTimersByTimeAsync(100);
    expect(s.sockets).toHaveLength(2);
  });

  it('drops a socket that opens but is not welcomed within pongTimeoutMs', async () => {
    const s = makeSocket();
    s.t.open();
    s.last().accept();
    await vi.advanceTimersByTimeAsync(299);
    expect(s.t.state).toBe('connecting');
    await vi.advanceTimersByTimeAsync(1);
    expect(s.t.state).toBe('backoff');
    await vi.advanceTimersByTimeAsync(100);
    expect(s.sockets).toHaveLength(2);
    expect(s.sockets[1]!.sent).toEqual([]); // not yet accepted
  });

  it('sends no ping before the welcome nor after close()', async () => {
    const s = makeSocket();
    s.t.open();
    s.last().open = true; // accepted, but the welcome has not come
    await vi.advanceTimersByTimeAsync(250);
    expect(s.last().frames('ping')).toHaveLength(0);
    s.t.ready();
    s.t.close();
    await vi.advanceTimersByTimeAsync(5000);
    expect(s.sockets[0]!.frames('ping')).toHaveLength(0);
  });
});
