import { describe, expect, it } from 'vitest';
import type { AgentNote, AgentRef, EventBody, LogEvent } from '../../src/protocol/index.js';
import type { ConversationRecord } from '../../src/relay/store.js';
import { transcriptOf, type TranscriptRecord } from '../../src/relay/transcript.js';

const jane: AgentRef = { id: 'agent-jane', name: 'Jane Doe' };
const bo: AgentRef = { id: 'agent-bo', name: 'Bo' };
const ann = { email: 'ann@example.com', name: 'Ann' };
const page = { url: 'https://shop.example/cart', title: 'Cart' };

/** A log from bodies with hand-written times; seq counts 1, 2, 3… */
function log(...entries: [string, EventBody][]): LogEvent[] {
  return entries.map(([at, body], i) => ({ ...body, seq: i + 1, at }) as LogEvent);
}

function conversation(createdAt: string): ConversationRecord {
  return {
    id: 'conv-1',
    tokenHash: 'ab'.repeat(32),
    email: ann.email,
    ip: '203.0.113.7',
    createdAt,
    status: 'ended',
    ownerId: null,
    lastSeq: 0,
    agentReadSeq: 0,
  };
}

const say = (from: 'visitor' | 'agent', text: string, agent?: AgentRef): EventBody =>
  agent ? { type: 'message', from, agent, text, clientId: `c-${text}` } : { type: 'message', from, text, clientId: `c-${text}` };

function recordOf(events: LogEvent[], notes: AgentNote[] = []): TranscriptRecord {
  const r = transcriptOf(conversation(events[0]!.at), events, notes);
  expect(r).not.toBeNull();
  return r!;
}

describe('transcriptOf: a conversation log becomes a transcript record', () => {
  it('a completed chat with a transfer, two agents, messages both ways, a note and a file', () => {
    const events = log(
      ['2026-11-26T10:00:00.000Z', { type: 'requested', visitor: ann, page }],
      ['2026-11-26T10:00:05.000Z', say('visitor', 'Where is my order?')],
      ['2026-11-26T10:00:30.000Z', { type: 'claimed', agent: jane }],
      ['2026-11-26T10:00:42.000Z', say('agent', 'Let me check.', jane)],
      ['2026-11-26T10:01:00.000Z', { type: 'upload_requested', requestId: 'r1', agent: jane, maxBytes: 5_242_880 }],
      ['2026-11-26T10:01:20.000Z', { type: 'file', requestId: 'r1', fileId: 'f1', name: 'label.jpg', size: 48_213, mime: 'image/jpeg' }],
      ['2026-11-26T10:02:00.000Z', { type: 'transferred', from: jane, to: { agent: bo }, note: 'billing question' }],
      ['2026-11-26T10:02:00.000Z', { type: 'claimed', agent: bo }],
      ['2026-11-26T10:02:10.000Z', say('agent', 'Hi Ann, Bo from billing.', bo)],
      ['2026-11-26T10:02:30.000Z', say('visitor', 'Thanks!')],
      ['2026-11-26T10:05:30.000Z', { type: 'ended', by: 'agent', agent: bo }],
    );
    const note: AgentNote = { id: 'n1', conversationId: 'conv-1', agent: jane, text: 'label is torn', at: '2026-11-26T10:01:30.000Z' };
    const r = recordOf(events, [note]);
    const { events: entries, ...fields } = r;
    expect(fields).toEqual({
      conversationId: 'conv-1',
      visitor: { email: 'ann@example.com', name: 'Ann', verified: false },
      page,
      ip: '203.0.113.7',
      userAgent: null,
      requestedAt: '2026-11-26T10:00:00.000Z',
      acceptedAt: '2026-11-26T10:00:30.000Z',
      endedAt: '2026-11-26T10:05:30.000Z',
      waitSeconds: 30,
      durationSeconds: 300,
      endedBy: 'agent',
      endReason: null,
      status: 'completed',
      agents: [jane, bo],
      transfers: 1,
      visitorMessages: 2,
      agentMessages: 2,
      firstResponseSeconds: 37,
      files: [{ id: 'f1', name: 'label.jpg', bytes: 48_213 }],
      rating: null,
    });
    // The whole log, in order, with the note (not part of the log) after the event it followed.
    expect(entries).toHaveLength(12);
    expect(entries[6]).toEqual({
      type: 'note', internal: true, id: 'n1', agent: jane, text: 'label is torn', at: '2026-11-26T10:01:30.000Z', afterSeq: 6,
    });
    const logPart = entries.filter((e) => e.type !== 'note');
    expect(logPart).toEqual(events.map((e) => ({ ...e, internal: false })));
    // The transfer's agents-only note stays: the record is for the business.
    expect(entries[7]).toMatchObject({ type: 'transferred', note: 'billing question', internal: false });
  });

  it('counts a transfer back to the queue and lists an agent who claims twice once', () => {
    const r = recordOf(log(
      ['2026-11-26T11:00:00.000Z', { type: 'requested', visitor: ann }],
      ['2026-11-26T11:00:20.000Z', { type: 'claimed', agent: jane }],
      ['2026-11-26T11:01:00.000Z', { type: 'transferred', from: jane, to: { queue: true } }],
      ['2026-11-26T11:02:00.000Z', { type: 'claimed', agent: jane }],
      ['2026-11-26T11:03:00.000Z', { type: 'ended', by: 'visitor' }],
    ));
    expect(r).toMatchObject({ transfers: 1, agents: [jane], page: null, acceptedAt: '2026-11-26T11:00:20.000Z', waitSeconds: 20, durationSeconds: 160, status: 'completed' });
  });

  it('missed: the visitor ended the chat before any agent accepted', () => {
    const r = recordOf(log(
      ['2026-11-26T12:00:00.000Z', { type: 'requested', visitor: { email: 'cy@example.com' } }],
      ['2026-11-26T12:00:10.000Z', say('visitor', 'Anyone there?')],
      ['2026-11-26T12:04:10.000Z', { type: 'ended', by: 'visitor' }],
    ));
    expect(r).toMatchObject({
      visitor: { email: 'cy@example.com', name: null, verified: false },
      acceptedAt: null,
      waitSeconds: null,
      durationSeconds: null,
      endedAt: '2026-11-26T12:04:10.000Z',
      endedBy: 'visitor',
      endReason: null,
      status: 'missed',
      agents: [],
      transfers: 0,
      visitorMessages: 1,
      agentMessages: 0,
      firstResponseSeconds: null,
      files: [],
      rating: null,
    });
  });

  it('abandoned: the relay\'s sweep ended a queued chat whose visitor was gone', () => {
    const r = recordOf(log(
      ['2026-11-26T13:00:00.000Z', { type: 'requested', visitor: ann, page }],
      ['2026-11-26T13:10:00.000Z', { type: 'ended', by: 'system', reason: 'abandoned' }],
    ));
    expect(r).toMatchObject({
      acceptedAt: null, waitSeconds: null, durationSeconds: null, endedBy: 'system', endReason: 'abandoned', status: 'abandoned',
      visitorMessages: 0, firstResponseSeconds: null,
    });
  });

  it('blocked: by the owner after a claim, and by the system for the same person\'s queued chat', () => {
    const byOwner = recordOf(log(
      ['2026-11-26T14:00:00.000Z', { type: 'requested', visitor: ann }],
      ['2026-11-26T14:00:15.000Z', { type: 'claimed', agent: jane }],
      ['2026-11-26T14:00:20.000Z', say('visitor', 'rude words')],
      ['2026-11-26T14:00:50.000Z', { type: 'ended', by: 'agent', agent: jane, reason: 'blocked' }],
    ));
    expect(byOwner).toMatchObject({
      status: 'blocked', endedBy: 'agent', endReason: 'blocked', waitSeconds: 15, durationSeconds: 35, agents: [jane], firstResponseSeconds: null,
    });
    const queued = recordOf(log(
      ['2026-11-26T14:00:05.000Z', { type: 'requested', visitor: ann }],
      ['2026-11-26T14:00:50.000Z', { type: 'ended', by: 'system', reason: 'blocked' }],
    ));
    expect(queued).toMatchObject({ status: 'blocked', endedBy: 'system', endReason: 'blocked', acceptedAt: null, waitSeconds: null });
  });

  it('no agent reply: firstResponseSeconds is null, and a greeting before the visitor wrote answers nothing', () => {
    const silent = recordOf(log(
      ['2026-11-26T15:00:00.000Z', { type: 'requested', visitor: ann }],
      ['2026-11-26T15:00:10.000Z', { type: 'claimed', agent: jane }],
      ['2026-11-26T15:00:20.000Z', say('visitor', 'Hello?')],
      ['2026-11-26T16:00:20.000Z', { type: 'ended', by: 'system', reason: 'idle' }],
    ));
    expect(silent).toMatchObject({
      status: 'completed', endReason: 'idle', endedBy: 'system', waitSeconds: 10, durationSeconds: 3610,
      visitorMessages: 1, agentMessages: 0, firstResponseSeconds: null,
    });
    const greetedOnly = recordOf(log(
      ['2026-11-26T15:00:00.000Z', { type: 'requested', visitor: ann }],
      ['2026-11-26T15:00:10.000Z', { type: 'claimed', agent: jane }],
      ['2026-11-26T15:00:12.000Z', say('agent', 'Hi, how can I help?', jane)],
      ['2026-11-26T15:00:40.000Z', say('visitor', 'My parcel is late.')],
      ['2026-11-26T15:02:00.000Z', { type: 'ended', by: 'visitor' }],
    ));
    expect(greetedOnly).toMatchObject({ agentMessages: 1, visitorMessages: 1, firstResponseSeconds: null, status: 'completed' });
  });

  it('gives no record while the conversation has not ended', () => {
    const events = log(['2026-11-26T17:00:00.000Z', { type: 'requested', visitor: ann }]);
    expect(transcriptOf(conversation(events[0]!.at), events)).toBeNull();
  });
});
