import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeSocket } from './harness.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('ReconnectingSocket states', () => {
  it('goes idle → connecting → open, sending the greeting on each new socket, and tells each change once', () => {
    const s = makeSocket();
    expect(s.t.state).toBe('idle');
    s.t.open();
    s.t.open(); // already connecting: nothing more
    expect(s.sockets).toHaveLength(1);
    expect(s.sockets[0]!.url).toBe('ws://relay.test/v1/x');
    expect(s.t.state).toBe('connecting');
    s.last().accept();
    expect(s.last().sent).toEqual([{ t: 'hello', id: 'hello' }]);
    expect(s.t.state).toBe('connecting'); // open only once the owner saw its welcome
    s.t.ready();
    expect(s.t.state).toBe('open');
    expect(s.states).toEqual(['connecting', 'open']);
  });

  it('backs off after a drop, tells the owner the close code, and connects again when the delay is over', async () => {
    const s = makeSocket();
    s.t.open();
    s.welcomed();
    s.last().drop(1011);
    expect(s.t.state).toBe('backoff');
    expect(s.closes).toEqual([1011]);
    await vi.advanceTimersByTimeAsync(100);
    expect(s.sockets).toHaveLength(2);
    s.welcomed();
    expect(s.states).toEqual(['connecting', 'open', 'backoff', 'connecting', 'open']);
  });

  it('closes for good on close(), idempotently, and opens again from closed', async () => {
    const s = makeSocket();
    s.t.close(); // idle: nothing to close
    expect(s.states).toEqual([]);
    s.t.open();
    s.welcomed();
    const first = s.last();
    s.t.close();
    s.t.close();
    expect(s.t.state).toBe('closed');
    expect(first.closedWith).toBe(1000);
    expect(s.closes).toEqual([]); // a close asked for is no loss
    await vi.advanceTimersByTimeAsync(10_000);
    expect(s.sockets).toHaveLength(1);
    s.t.open();
    expect(s.sockets).toHaveLength(2);
    expect(s.states).toEqual(['connecting', 'open', 'closed', 'connecting']);
  });

  it('stops when a close listener calls close(): the backoff timer never fires', async () => {
    const s = makeSocket();
    s.t.addEventListener('close', () => s.t.close());
    s.t.open();
    s.last().drop(1006);
    expect(s.t.state).toBe('closed');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(s.sockets).toHaveLength(1);
  });

  it('never reconnects after 4401 or 4403', async () => {
    for (const code of [4401, 4403]) {
      const s = makeSocket();
      s.t.open();
      s.welcomed();
      s.last().drop(code);
      expect(s.t.state).toBe('closed');
      expect(s.closes).toEqual([code]);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(s.sockets).toHaveLength(1);
    }
  });

  it('treats a socket constructor that throws as a lost socket, and tries again', async () => {
    let made = 0;
    const s = makeSocket({
      WebSocket: class {
        constructor() {
          made++;
          throw new Error('refused');
        }
      } as never,
    });
    s.t.open();
    expect(s.t.state).toBe('backoff');
    expect(s.closes).toEqual([0]);
    await vi.advanceTimersByTimeAsync(100);
    expect(made).toBe(2);
    s.t.close();
  });
});
