import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cid, Harness } from './helpers.js';

describe('agent claim', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(() => h.cleanup());

  it('gives a conversation to exactly one of two agents claiming at once', async () => {
    const v = await h.visitor();
    const a = await h.agent('Ada');
    const b = await h.agent('Bo');
    a.s.send({ t: 'claim', id: 'ca', conversationId: v.conversationId });
    b.s.send({ t: 'claim', id: 'cb', conversationId: v.conversationId });
    const ra = await a.s.next((f) => f.id === 'ca');
    const rb = await b.s.next((f) => f.id === 'cb');
    const replies = [ra, rb].map((r) => (r.t === 'ok' ? 'ok' : r.code)).sort();
    expect(replies).toEqual(['conflict', 'ok']);
    const winner = ra.t === 'ok' ? a : b;
    const claimed = await v.s.next((f) => f.t === 'event' && f.event.type === 'claimed');
    expect(claimed.event).toMatchObject({ seq: 2, agent: { id: winner.id, name: winner.name } });
    // Both claims were answered: a second claimed event would be ahead of the visitor's pong.
    await v.s.barrier();
    expect(v.s.frames.filter((f) => f.t === 'event' && f.event.type === 'claimed')).toHaveLength(1);
    expect((await h.relay.store.readEvents(v.conversationId, 0)).map((e) => e.type)).toEqual(['requested', 'claimed']);
  });

  it('makes the winner the owner: its messages reach the visitor, others get forbidden', async () => {
    const { visitor, agent } = await h.activeChat();
    const other = await h.agent('Other');
    other.s.send({ t: 'send', id: 'o', conversationId: visitor.conversationId, clientId: cid(), text: 'hi' });
    expect(await other.s.next({ t: 'error' })).toMatchObject({ id: 'o', code: 'forbidden' });
    agent.s.send({ t: 'send', id: 's', conversationId: visitor.conversationId, clientId: cid(), text: 'Hello, how can I help?' });
    expect(await agent.s.next({ t: 'ack' })).toMatchObject({ id: 's', conversationId: visitor.conversationId, seq: 3 });
    const e = await visitor.s.next((f) => f.t === 'event' && f.event.type === 'message');
    expect(e.event).toMatchObject({ from: 'agent', agent: { id: agent.id, name: 'Jane Doe' }, text: 'Hello, how can I help?' });
  });

  it('refuses claiming an unknown conversation with not_found', async () => {
    const a = await h.agent();
    a.s.send({ t: 'claim', id: 'c', conversationId: 'missing' });
    expect(await a.s.next({ t: 'error' })).toMatchObject({ id: 'c', code: 'not_found' });
  });

  it('refuses every owner-only action of a non-owner with forbidden', async () => {
    const { visitor } = await h.activeChat();
    const other = await h.agent('Other');
    const conversationId = visitor.conversationId;
    const frames = [
      { t: 'request_upload', id: 'f1', conversationId },
      { t: 'cancel_upload', id: 'f2', conversationId, requestId: 'abc' },
      { t: 'transfer', id: 'f3', conversationId },
      { t: 'end', id: 'f4', conversationId },
      { t: 'block', id: 'f5', conversationId },
    ];
    for (const f of frames) {
      other.s.send(f);
      expect(await other.s.next({ id: f.id })).toMatchObject({ t: 'error', code: 'forbidden' });
    }
    expect(await h.relay.store.readEvents(conversationId, 0)).toHaveLength(2);
  });
});
