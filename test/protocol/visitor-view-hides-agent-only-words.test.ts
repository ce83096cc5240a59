import { describe, expect, it } from 'vitest';
import { visitorLog, visitorView, type LogEvent } from '../../src/protocol/index.js';

const at = '2026-11-30T10:00:00.000Z';
const jane = { id: 'j', name: 'Jane' };
const bo = { id: 'b', name: 'Bo' };

/** One event of every type, with every optional field set. */
const every: LogEvent[] = [
  { type: 'requested', visitor: { email: 'ann@example.com', name: 'Ann' }, page: { url: 'https://shop.example/', title: 'Shop' }, seq: 1, at },
  { type: 'message', from: 'visitor', text: 'hi', clientId: 'c1', seq: 2, at },
  { type: 'claimed', agent: jane, seq: 3, at },
  { type: 'message', from: 'agent', agent: jane, text: 'hello', clientId: 'c2', seq: 4, at },
  { type: 'upload_requested', requestId: 'r', agent: jane, note: 'the label, please', maxBytes: 5242880, seq: 5, at },
  { type: 'upload_canceled', requestId: 'r', by: 'agent', seq: 6, at },
  { type: 'file', requestId: 'r', fileId: 'f', name: 'a.png', size: 3, mime: 'image/png', seq: 7, at },
  { type: 'transferred', from: jane, to: { agent: bo }, note: 'billing, be gentle', seq: 8, at },
  { type: 'transferred', from: bo, to: { queue: true }, note: 'not mine', seq: 9, at },
  { type: 'ended', by: 'agent', agent: jane, reason: 'blocked', seq: 10, at },
];

describe('visitorView', () => {
  it('removes transfer notes and keeps everything else of every event, seq and all', () => {
    const seen = visitorLog(every);
    expect(seen.map((e) => e.seq)).toEqual(every.map((e) => e.seq));
    for (const [i, e] of seen.entries()) {
      if (e.type === 'transferred') {
        expect(e).not.toHaveProperty('note');
        const { note: _n, ...rest } = every[i] as Extract<LogEvent, { type: 'transferred' }>;
        expect(e).toEqual(rest);
      } else expect(e).toBe(every[i]); // untouched, not even copied
    }
    expect(JSON.stringify(seen)).not.toMatch(/billing|not mine/);
  });

  it('keeps the note of an upload request: it is written for the customer', () => {
    expect(visitorView(every[4]!)).toMatchObject({ note: 'the label, please' });
  });

  it('turns every routing event for agents into a bare internal event with its seq and time', () => {
    const routing: LogEvent[] = [
      { type: 'offered', agent: jane, until: at, seq: 11, at },
      { type: 'offer_declined', agent: jane, reason: 'timeout', seq: 12, at },
      { type: 'transfer_requested', from: jane, to: bo, note: 'refund pending', until: at, seq: 13, at },
      { type: 'transfer_declined', from: jane, to: bo, reason: 'declined', seq: 14, at },
      { type: 'invited', from: jane, to: bo, until: at, seq: 15, at },
      { type: 'invite_declined', from: jane, to: bo, reason: 'canceled', seq: 16, at },
    ];
    expect(visitorLog(routing)).toEqual(routing.map((e) => ({ type: 'internal', seq: e.seq, at })));
    // What the customer sees of a conference: who joined and who left, with names.
    const joined: LogEvent = { type: 'joined', agent: bo, seq: 17, at };
    const left: LogEvent = { type: 'left', agent: jane, seq: 18, at };
    expect(visitorView(joined)).toBe(joined);
    expect(visitorView(left)).toBe(left);
  });
});
