/**
 * `parseTranscriptPage` and `parseTranscriptRecord`: the relay's own records (made by
 * `transcriptOf`, sent as JSON) pass as they are; an answer missing or mistyping a field
 * the console shows, an event without its seq, or a note not marked internal does not.
 */
import { describe, expect, it } from 'vitest';
import { parseTranscriptPage, parseTranscriptRecord, type LogEvent } from '../../src/protocol/index.js';
import { transcriptOf } from '../../src/relay/transcript.js';

const JANE = { id: 'agent-jane', name: 'Jane Doe' };
const events: LogEvent[] = [
  { type: 'requested', visitor: { email: 'ann@example.com', name: 'Ann' }, seq: 1, at: '2026-01-01T10:00:00.000Z' },
  { type: 'claimed', agent: JANE, seq: 2, at: '2026-01-01T10:01:00.000Z' },
  { type: 'message', from: 'visitor', text: 'hi', clientId: 'c1', seq: 3, at: '2026-01-01T10:02:00.000Z' },
  { type: 'ended', by: 'agent', agent: JANE, seq: 4, at: '2026-01-01T10:03:00.000Z' },
];
const conversation = { id: 'conv1', tokenHash: 'h', email: 'ann@example.com', ip: '10.0.0.1', createdAt: events[0]!.at, status: 'ended' as const, ownerId: null, lastSeq: 4, agentReadSeq: 0 };
const note = { id: 'n1', conversationId: 'conv1', agent: JANE, text: 'vip', at: '2026-01-01T10:02:30.000Z' };
/** The record as it arrives: JSON, parsed. */
const wire = (): Record<string, unknown> => JSON.parse(JSON.stringify(transcriptOf(conversation, events, [note])));

describe('transcript answers', () => {
  it("takes the relay's record and page as they are", () => {
    const record = wire();
    expect(parseTranscriptRecord(record)).toEqual(record);
    const { events: _events, ...summary } = record;
    expect(parseTranscriptPage({ items: [summary], next: 'abc' })).toEqual({ items: [summary], next: 'abc' });
    expect(parseTranscriptPage({ items: [], next: null })).toEqual({ items: [], next: null });
  });

  it('refuses a record missing or mistyping what the console shows', () => {
    const broken: [string, (r: Record<string, unknown>) => void][] = [
      ['no id', (r) => delete r['conversationId']],
      ['email not text', (r) => ((r['visitor'] as Record<string, unknown>)['email'] = 7)],
      ['unknown status', (r) => (r['status'] = 'won')],
      ['wait as text', (r) => (r['waitSeconds'] = '60')],
      ['agent without a name', (r) => (r['agents'] = [{ id: 'x' }])],
      ['events not a list', (r) => (r['events'] = {})],
      ['an event without its seq', (r) => delete (r['events'] as Record<string, unknown>[])[2]!['seq']],
      ['a note not marked internal', (r) => ((r['events'] as Record<string, unknown>[]).find((e) => e['type'] === 'note')!['internal'] = false)],
    ];
    for (const [what, breakIt] of broken) {
      const r = wire();
      breakIt(r);
      expect(parseTranscriptRecord(r), what).toBeNull();
    }
    expect(parseTranscriptRecord(null)).toBeNull();
    expect(parseTranscriptPage({ items: [{}], next: null })).toBeNull();
    expect(parseTranscriptPage({ items: [], next: 3 })).toBeNull();
    expect(parseTranscriptPage([])).toBeNull();
  });
});
