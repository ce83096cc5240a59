// The one fold from a log to conversation state gives the documented status, owner
// and open upload request for each sequence of events, and merging finds gaps.
import { describe, expect, it } from 'vitest';
import { EMPTY_STATE, foldLog, mergeEvents, type EventBody, type LogEvent } from '../../src/protocol/index.js';

const jane = { id: 'a1', name: 'Jane Doe' };
const bob = { id: 'a2', name: 'Bob Stone' };

function log(...bodies: EventBody[]): LogEvent[] {
  return bodies.map((b, i) => ({ ...b, seq: i + 1, at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString() }) as LogEvent);
}
const requested: EventBody = { type: 'requested', visitor: { email: 'ann@example.com' } };
const msg = (from: 'visitor' | 'agent', text: string): EventBody => ({
  type: 'message',
  from,
  text,
  clientId: crypto.randomUUID(),
  ...(from === 'agent' ? { agent: jane } : {}),
});

describe('foldLog', () => {
  it('is queued after requested, with the visitor', () => {
    const s = foldLog(log(requested));
    expect(s).toMatchObject({ status: 'queued', lastSeq: 1, visitor: { email: 'ann@example.com' }, owner: null });
  });

  it('is active with an owner after claimed', () => {
    expect(foldLog(log(requested, { type: 'claimed', agent: jane }))).toMatchObject({ status: 'active', owner: jane });
  });

  it('moves the owner on a transfer to an agent and back to the queue on a transfer to the queue', () => {
    const toBob = foldLog(log(requested, { type: 'claimed', agent: jane }, { type: 'transferred', from: jane, to: { agent: bob } }, { type: 'claimed', agent: bob }));
    expect(toBob).toMatchObject({ status: 'active', owner: bob });
    const toQueue = foldLog(log(requested, { type: 'claimed', agent: jane }, { type: 'transferred', from: jane, to: { queue: true } }));
    expect(toQueue).toMatchObject({ status: 'queued', owner: null });
  });

  it('opens and closes an upload request', () => {
    const req: EventBody = { type: 'upload_requested', requestId: 'r1', agent: jane, maxBytes: 5242880, note: 'label' };
    const open = foldLog(log(requested, { type: 'claimed', agent: jane }, req));
    expect(open.openUpload).toMatchObject({ requestId: 'r1', note: 'label', seq: 3 });
    const filed = foldLog(log(requested, { type: 'claimed', agent: jane }, req, { type: 'file', requestId: 'r1', fileId: 'f', name: 'a.png', size: 3, mime: 'image/png' }));
    expect(filed.openUpload).toBeNull();
    const canceled = foldLog(log(requested, { type: 'claimed', agent: jane }, req, { type: 'upload_canceled', requestId: 'r1', by: 'visitor' }));
    expect(canceled.openUpload).toBeNull();
  });

  it('is ended for good after ended, whatever follows', () => {
    const s = foldLog(log(requested, { type: 'claimed', agent: jane }, { type: 'ended', by: 'agent', agent: jane }, { type: 'claimed', agent: bob }));
    expect(s).toMatchObject({ status: 'ended', ended: { by: 'agent', agent: jane }, lastSeq: 4 });
  });

  it('counts messages per side and ignores events it already has', () => {
    const events = log(requested, { type: 'claimed', agent: jane }, msg('visitor', 'hi'), msg('agent', 'hello'), msg('visitor', 'thanks'));
    const s = foldLog(events);
    expect(s.visitorMessageSeqs).toEqual([3, 5]);
    expect(s.agentMessageSeqs).toEqual([4]);
    expect(foldLog(events, s)).toEqual(s);
  });

  it('starts from an empty state that it never mutates', () => {
    foldLog(log(requested));
    expect(EMPTY_STATE.lastSeq).toBe(0);
  });
});

describe('mergeEvents', () => {
  const events = log(requested, msg('visitor', 'a'), msg('agent', 'b'), msg('visitor', 'c'));
  it('appends in order and drops duplicates', () => {
    const r = mergeEvents(events.slice(0, 2), [events[1]!, events[3]!, events[2]!]);
    expect(r.log.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(r.added.map((e) => e.seq)).toEqual([3, 4]);
    expect(r.gap).toBe(false);
  });
  it('reports a gap and keeps only the contiguous run', () => {
    const r = mergeEvents(events.slice(0, 1), [events[3]!]);
    expect(r.gap).toBe(true);
    expect(r.log.map((e) => e.seq)).toEqual([1]);
  });
});
