/**
 * What a chat view shows of the log: routing events the relay gives a visitor only as
 * `internal`, the customer's own rating, and a transfer to an agent (the customer hears
 * only who joined) are no rows; conference joins and leaves are notices; a file an
 * agent sent is a file row.
 */
import { expect, it } from 'vitest';
import type { LogEvent } from '../../src/protocol/index.js';
import { buildTimeline } from '../../src/client/timeline.js';

const at = '2026-12-01T10:00:00.000Z';
const jane = { id: 'j', name: 'Jane Doe' };
const bob = { id: 'b', name: 'Bob Stone' };

it('shows joins, leaves, files and transfers to the queue; nothing of internal events, the rating or a transfer to an agent', () => {
  const log: LogEvent[] = [
    { type: 'requested', visitor: { email: 'ann@example.com' }, seq: 1, at },
    { type: 'claimed', agent: jane, seq: 2, at },
    { type: 'internal', seq: 3, at },
    { type: 'joined', agent: bob, seq: 4, at },
    { type: 'file', requestId: 'a1', fileId: 'f1', name: 'label.pdf', size: 4, mime: 'application/pdf', from: 'agent', agent: bob, seq: 5, at },
    { type: 'left', agent: bob, seq: 6, at },
    { type: 'transferred', from: jane, to: { agent: bob }, seq: 7, at },
    { type: 'claimed', agent: bob, seq: 8, at },
    { type: 'transferred', from: bob, to: { queue: true }, seq: 9, at },
    { type: 'ended', by: 'visitor', seq: 10, at },
    { type: 'rated', value: 'up', seq: 11, at },
  ];
  const items = buildTimeline(log, []);
  expect(items.map((i) => (i.kind === 'message' ? 'message' : `${i.kind}:${i.event.type}`))).toEqual([
    'notice:claimed',
    'notice:joined',
    'file:file',
    'notice:left',
    'notice:claimed',
    'notice:transferred',
    'notice:ended',
  ]);
});
