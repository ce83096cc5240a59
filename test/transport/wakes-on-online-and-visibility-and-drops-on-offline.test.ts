// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeSocket } from './harness.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** A socket in a long backoff (the ceiling is 60 s), listening where told. */
function backingOff(wakeOn: EventTarget[]) {
  const s = makeSocket({ wakeOn, minDelayMs: 60_000, maxDelayMs: 60_000 });
  s.t.open();
  s.welcomed();
  s.last().drop();
  expect(s.t.state).toBe('backoff');
  return s;
}

describe('wake-up', () => {
  it('connects at once on online, instead of waiting out the backoff', () => {
    const events = new EventTarget();
    const s = backingOff([events]);
    events.dispatchEvent(new Event('online'));
    expect(s.sockets).toHaveLength(2);
    expect(s.t.state).toBe('connecting');
  });

  it('connects at once when the page becomes visible, but not while it is hidden', () => {
    const s = backingOff([document]);
    const visibility = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    document.dispatchEvent(new Event('visibilitychange'));
    expect(s.sockets).toHaveLength(1);
    visibility.mockReturnValue('visible');
    document.dispatchEvent(new Event('visibilitychange'));
    expect(s.sockets).toHaveLength(2);
  });

  it('listens to the window and the document by default', () => {
    const s = makeSocket({ wakeOn: 'default', minDelayMs: 60_000, maxDelayMs: 60_000 });
    s.t.open();
    s.welcomed();
    s.last().drop();
    window.dispatchEvent(new Event('online'));
    expect(s.sockets).toHaveLength(2);
    s.t.close();
  });

  it('drops the socket at once on offline, so owners hold what they would send', () => {
    const events = new EventTarget();
    const s = makeSocket({ wakeOn: [events] });
    s.t.open();
    s.welcomed();
    events.dispatchEvent(new Event('offline'));
    expect(s.t.state).toBe('backoff');
    expect(s.closes).toEqual([0]);
    expect(s.sockets[0]!.closedWith).toBe(1000);
  });

  it('stops listening after close()', () => {
    const events = new EventTarget();
    const s = backingOff([events]);
    s.t.close();
    events.dispatchEvent(new Event('online'));
    expect(s.sockets).toHaveLength(1);
    expect(s.t.state).toBe('closed');
  });
});
