import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cid, Harness } from './helpers.js';

describe('visitor resume', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(() => h.cleanup());

  it('replays exactly the events after afterSeq, then live events', async () => {
    const { visitor, agent } = await h.activeChat();
    const { conversationId, token } = visitor;
    visitor.s.send({ t: 'send', clientId: cid(), text: 'one' });
    const ack = await visitor.s.next({ t: 'ack' });
    visitor.s.close();
    await visitor.s.closed;
    for (const text of ['two', 'three']) {
      agent.s.send({ t: 'send', conversationId, clientId: cid(), text });
      await agent.s.next({ t: 'ack' });
    }
    const s = await h.connect('/v1/visitor');
    s.send({ t: 'resume', id: 'r', token, conversationId, afterSeq: ack.seq });
    const welcome = await s.next({ t: 'welcome' });
    expect(welcome).toMatchObject({ id: 'r', token, conversation: { id: conversationId, status: 'active' } });
    expect(welcome.conversation.queuePosition).toBeUndefined();
    expect(welcome.events.map((e: any) => [e.seq, e.text])).toEqual([
      [ack.seq + 1, 'two'],
      [ack.seq + 2, 'three'],
    ]);
    agent.s.send({ t: 'send', conversationId, clientId: cid(), text: 'four' });
    const live = await s.next({ t: 'event' });
    expect(live.event).toMatchObject({ seq: ack.seq + 3, text: 'four' });
  });

  it('sends the reply to resume before any other frame of that conversation', async () => {
    const { visitor, agent } = await h.activeChat();
    const s = await h.connect('/v1/visitor');
    agent.s.send({ t: 'typing', conversationId: visitor.conversationId, on: true });
    s.send({ t: 'resume', id: 'r', token: visitor.token, conversationId: visitor.conversationId, afterSeq: 0 });
    await s.next({ t: 'welcome' });
    expect(s.frames[0]!.t).toBe('welcome');
  });

  it('refuses another conversation\'s token with unauthorized and closes 4401', async () => {
    const a = await h.visitor('a@example.com');
    const b = await h.visitor('b@example.com');
    const s = await h.connect('/v1/visitor');
    s.send({ t: 'resume', id: 'r', token: b.token, conversationId: a.conversationId, afterSeq: 0 });
    expect(await s.next({ t: 'error' })).toMatchObject({ id: 'r', code: 'unauthorized' });
    expect((await s.closed).code).toBe(4401);
    expect(s.all({ t: 'welcome' })).toHaveLength(0);
  });

  it('refuses an unknown conversation id the same way', async () => {
    const a = await h.visitor();
    const s = await h.connect('/v1/visitor');
    s.send({ t: 'resume', id: 'r', token: a.token, conversationId: 'nope', afterSeq: 0 });
    expect(await s.next({ t: 'error' })).toMatchObject({ code: 'unauthorized' });
    expect((await s.closed).code).toBe(4401);
  });
});
