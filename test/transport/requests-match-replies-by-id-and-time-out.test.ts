import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ParleyError } from '../../src/protocol/index.js';
import { makeSocket, type Frame } from './harness.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function open() {
  const s = makeSocket();
  s.t.open();
  s.welcomed();
  return s;
}

/** The outcome of a call, once it is known. */
function outcome(s: ReturnType<typeof makeSocket>, frame: Frame, timeoutMs?: number) {
  const seen: { error: ParleyError | null; reply?: Frame }[] = [];
  s.t.call(frame as never, (error, reply) => seen.push({ error, reply }), timeoutMs);
  return seen;
}

describe('requests', () => {
  it('gives each request a new id and settles it with the reply that repeats it, once', () => {
    const s = open();
    const a = outcome(s, { t: 'claim' });
    const b = outcome(s, { t: 'claim' });
    const [fa, fb] = s.last().frames('claim');
    expect(fa!.id).not.toBe(fb!.id);
    s.last().push({ t: 'ok', id: fb!.id, n: 2 });
    s.last().push({ t: 'ok', id: fb!.id, n: 3 }); // a repeat answers nothing: it is just a frame
    expect(b).toEqual([{ error: null, reply: { t: 'ok', id: fb!.id, n: 2 } }]);
    expect(a).toEqual([]);
    expect(s.frames).toEqual([{ t: 'ok', id: fb!.id, n: 3 }]);
  });

  it('rejects with a ParleyError carrying the code and field of an error reply', () => {
    const s = open();
    const a = outcome(s, { t: 'note' });
    s.last().push({ t: 'error', id: s.last().frames('note')[0]!.id, code: 'invalid', field: 'text', message: 'too long' });
    expect(a[0]!.error).toBeInstanceOf(ParleyError);
    expect(a[0]!.error).toMatchObject({ code: 'invalid', field: 'text', message: 'too long', name: 'ParleyError' });
  });

  it('times out after requestTimeoutMs, or the caller’s own timeout', async () => {
    const s = open();
    const a = outcome(s, { t: 'end' });
    const b = outcome(s, { t: 'send' }, 2000);
    await vi.advanceTimersByTimeAsync(499);
    expect(a).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(a[0]!.error).toMatchObject({ code: 'timeout' });
    s.last().push({ t: 'ok', id: s.last().frames('end')[0]!.id }); // too late: a frame like any other
    expect(a).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1500);
    expect(b[0]!.error).toMatchObject({ code: 'timeout' });
  });

  it('rejects with network at once when not open, and when the socket goes', () => {
    const s = makeSocket();
    const early = outcome(s, { t: 'end' });
    expect(early[0]!.error).toMatchObject({ code: 'network' });
    s.t.open();
    s.last().accept();
    expect(outcome(s, { t: 'end' })[0]!.error).toMatchObject({ code: 'network' }); // connecting, not yet welcomed
    s.t.ready();
    const inFlight = outcome(s, { t: 'end' });
    s.last().drop();
    expect(inFlight[0]!.error).toMatchObject({ code: 'network' });
  });

  it('settles requests without a reply on close(true), when their purpose is over', () => {
    const s = open();
    const a = outcome(s, { t: 'end' });
    s.t.close(true);
    expect(a).toEqual([{ error: null, reply: undefined }]);
  });

  it('passes on every frame that answers no request, and drops what does not parse', () => {
    const s = open();
    s.last().onmessage?.({ data: 'not json' });
    s.last().push({ t: 'event', n: 1 });
    s.last().push({ t: 'error', code: 'bad_frame', message: 'x' });
    expect(s.frames).toEqual([
      { t: 'event', n: 1 },
      { t: 'error', code: 'bad_frame', message: 'x' },
    ]);
  });
});
