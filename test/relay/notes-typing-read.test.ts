import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness } from './helpers.js';

describe('notes, typing and read', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(() => h.cleanup());

  it('sends internal notes to agents and never to the visitor', async () => {
    const { visitor, agent } = await h.activeChat();
    const watcher = await h.agent('Watcher');
    watcher.s.send({ t: 'watch', id: 'w', conversationId: visitor.conversationId, afterSeq: 0 });
    await watcher.s.next({ id: 'w' });
    agent.s.send({ t: 'note', id: 'n', conversationId: visitor.conversationId, text: 'VIP customer, be nice' });
    expect(await agent.s.next({ id: 'n' })).toEqual({ t: 'ok', id: 'n' });
    for (const s of [agent.s, watcher.s]) {
      const n = await s.next({ t: 'note' });
      expect(n).toMatchObject({ conversationId: visitor.conversationId, note: { text: 'VIP customer, be nice', agent: { id: agent.id } } });
    }
    // The note was answered: anything it caused for the visitor would be ahead of the visitor's pong.
    await visitor.s.barrier();
    expect(JSON.stringify(visitor.s.frames)).not.toContain('VIP customer');
    expect((await h.relay.store.readEvents(visitor.conversationId, 0)).some((e) => JSON.stringify(e).includes('VIP'))).toBe(false);
    // A later watcher gets the stored note after the watch reply.
    const late = await h.agent('Late');
    late.s.send({ t: 'watch', id: 'w2', conversationId: visitor.conversationId, afterSeq: 0 });
    await late.s.next({ id: 'w2' });
    expect((await late.s.next({ t: 'note' })).note.text).toBe('VIP customer, be nice');
  });

  it('relays typing both ways without storing it', async () => {
    const { visitor, agent } = await h.activeChat();
    visitor.s.send({ t: 'typing', on: true });
    expect(await agent.s.next({ t: 'typing' })).toEqual({ t: 'typing', conversationId: visitor.conversationId, on: true });
    agent.s.send({ t: 'typing', conversationId: visitor.conversationId, on: true });
    expect(await visitor.s.next({ t: 'typing' })).toEqual({ t: 'typing', from: 'agent', name: 'Jane Doe', on: true });
    expect(await h.relay.store.readEvents(visitor.conversationId, 0)).toHaveLength(2);
  });

  it('relays read marks both ways and counts unread for the tile', async () => {
    const { visitor, agent } = await h.activeChat();
    visitor.s.send({ t: 'send', clientId: crypto.randomUUID(), text: 'one' });
    await visitor.s.next({ t: 'ack' });
    const unread = await agent.s.next((f) => f.t === 'activity' && f.unread === 1);
    expect(unread.lastSeq).toBe(3);
    visitor.s.send({ t: 'read', upToSeq: 3 });
    expect(await agent.s.next({ t: 'read' })).toEqual({ t: 'read', conversationId: visitor.conversationId, by: 'visitor', upToSeq: 3 });
    agent.s.send({ t: 'read', conversationId: visitor.conversationId, upToSeq: 3 });
    expect(await visitor.s.next({ t: 'read' })).toEqual({ t: 'read', by: 'agent', upToSeq: 3 });
    const read = await agent.s.next((f) => f.t === 'conversation' && f.summary.unread === 0);
    expect(read.summary.id).toBe(visitor.conversationId);
  });
});
