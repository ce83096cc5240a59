import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cid, Harness } from './helpers.js';

describe('agent endpoint', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start({ agentCheckIntervalMs: 50 });
  });
  afterEach(() => h.cleanup());

  it('closes 4401 when the first frame is not hello', async () => {
    const s = await h.connect('/v1/agent');
    s.send({ t: 'claim', id: 'c', conversationId: 'x' });
    expect(await s.next({ t: 'error' })).toMatchObject({ code: 'unauthorized' });
    expect((await s.closed).code).toBe(4401);
  });

  it('closes 4401 after a non-JSON first frame', async () => {
    const s = await h.connect('/v1/agent');
    s.send('hello?');
    expect((await s.closed).code).toBe(4401);
  });

  it('refuses an unknown token with unauthorized and closes 4401', async () => {
    const s = await h.connect('/v1/agent');
    s.send({ t: 'hello', id: 'h', token: 'A'.repeat(43) });
    expect(await s.next({ t: 'error' })).toMatchObject({ id: 'h', code: 'unauthorized' });
    expect((await s.closed).code).toBe(4401);
  });

  it('welcomes with itself, every agent and its status, queued conversations oldest first and its own active ones', async () => {
    const q1 = await h.visitor('q1@example.com');
    const mine = await h.visitor('mine@example.com');
    const q2 = await h.visitor('q2@example.com');
    const first = await h.agent('Ada');
    first.s.send({ t: 'claim', id: 'c', conversationId: mine.conversationId });
    await first.s.next({ id: 'c' });
    const offline = await h.relay.addAgent('Offline Olga');
    first.s.send({ t: 'status', id: 's', value: 'away' });
    await first.s.next({ id: 's' });

    const s = await h.connect('/v1/agent');
    s.send({ t: 'hello', id: 'h', token: first.token });
    const w = await s.next({ t: 'welcome' });
    expect(w.agent).toEqual({ id: first.id, name: 'Ada', capacity: 3 });
    expect(w.agents).toEqual(expect.arrayContaining([
      { id: first.id, name: 'Ada', status: 'away' },
      { id: offline.id, name: 'Offline Olga', status: 'offline' },
    ]));
    expect(w.conversations.map((c: any) => [c.id, c.status])).toEqual([
      [q1.conversationId, 'queued'],
      [q2.conversationId, 'queued'],
      [mine.conversationId, 'active'],
    ]);
    expect(w.conversations[2]).toMatchObject({ ownerId: first.id, visitor: { email: 'mine@example.com' }, visitorOnline: true });

    // Another agent does not see Ada's active chat in its welcome.
    const other = await h.agent('Bo');
    expect(other.welcome.conversations.map((c: any) => c.id)).toEqual([q1.conversationId, q2.conversationId]);
  });

  it('pushes presence when an agent signs in, changes status and leaves', async () => {
    const ada = await h.agent('Ada');
    const bo = await h.agent('Bo');
    expect(await ada.s.next((f) => f.t === 'presence' && f.agent.id === bo.id)).toMatchObject({ agent: { name: 'Bo', status: 'online' } });
    bo.s.send({ t: 'status', value: 'away' });
    expect(await ada.s.next((f) => f.t === 'presence' && f.agent.id === bo.id)).toMatchObject({ agent: { status: 'away' } });
    bo.s.close();
    expect(await ada.s.next((f) => f.t === 'presence' && f.agent.id === bo.id)).toMatchObject({ agent: { status: 'offline' } });
  });

  it('keeps telling away agents about queued chats and lets them keep their own', async () => {
    const { visitor, agent } = await h.activeChat();
    agent.s.send({ t: 'status', id: 's', value: 'away' });
    await agent.s.next({ id: 's' });
    const v2 = await h.visitor('later@example.com');
    expect(await agent.s.next((f) => f.t === 'conversation' && f.summary.id === v2.conversationId)).toBeTruthy();
    agent.s.send({ t: 'send', id: 'm', conversationId: visitor.conversationId, clientId: cid(), text: 'back soon' });
    expect(await agent.s.next({ id: 'm' })).toMatchObject({ t: 'ack' });
  });

  it('watch answers ok with the events after afterSeq, then live events', async () => {
    const { visitor } = await h.activeChat();
    visitor.s.send({ t: 'send', clientId: cid(), text: 'one' });
    await visitor.s.next({ t: 'ack' });
    const watcher = await h.agent('Watcher');
    watcher.s.send({ t: 'watch', id: 'w', conversationId: visitor.conversationId, afterSeq: 1 });
    const ok = await watcher.s.next({ id: 'w' });
    expect(ok.t).toBe('ok');
    expect(ok.events.map((e: any) => [e.seq, e.type])).toEqual([
      [2, 'claimed'],
      [3, 'message'],
    ]);
    visitor.s.send({ t: 'send', clientId: cid(), text: 'two' });
    const live = await watcher.s.next({ t: 'event' });
    expect(live).toMatchObject({ conversationId: visitor.conversationId, event: { seq: 4, text: 'two' } });
    watcher.s.send({ t: 'watch', id: 'w2', conversationId: 'missing', afterSeq: 0 });
    expect(await watcher.s.next({ id: 'w2' })).toMatchObject({ t: 'error', code: 'not_found' });
  });

  it('does not send events of conversations an agent neither owns nor watches', async () => {
    const { visitor } = await h.activeChat();
    const bystander = await h.agent('Bystander');
    visitor.s.send({ t: 'send', clientId: cid(), text: 'private' });
    await visitor.s.next({ t: 'ack' });
    // The send was acked: an event it caused for the bystander would be ahead of its pong.
    await bystander.s.barrier();
    expect(bystander.s.all({ t: 'event' })).toHaveLength(0);
  });

  it('closes the sockets of a removed agent with 4401 and refuses its next hello', async () => {
    const ada = await h.agent('Ada');
    expect(await h.relay.store.removeAgent(ada.id)).toBe(true);
    expect((await ada.s.closed).code).toBe(4401);
    const s = await h.connect('/v1/agent');
    s.send({ t: 'hello', id: 'h', token: ada.token });
    expect(await s.next({ t: 'error' })).toMatchObject({ code: 'unauthorized' });
    expect((await s.closed).code).toBe(4401);
  });

  it('accepts an agent added while the relay runs', async () => {
    const added = await h.relay.addAgent('New Nina');
    const s = await h.connect('/v1/agent');
    s.send({ t: 'hello', id: 'h', token: added.token });
    expect(await s.next({ t: 'welcome' })).toMatchObject({ agent: { id: added.id, name: 'New Nina' } });
  });

  it('pushes a summary when the visitor goes offline and comes back', async () => {
    const a = await h.agent();
    const v = await h.visitor();
    v.s.close();
    const off = await a.s.next((f) => f.t === 'conversation' && f.summary.id === v.conversationId && f.summary.visitorOnline === false);
    expect(off.summary.status).toBe('queued');
    const back = await h.connect('/v1/visitor');
    back.send({ t: 'resume', id: 'r', token: v.token, conversationId: v.conversationId, afterSeq: 1 });
    await back.next({ t: 'welcome' });
    expect(await a.s.next((f) => f.t === 'conversation' && f.summary.visitorOnline === true)).toBeTruthy();
  });

  it('answers ping with pong', async () => {
    const a = await h.agent();
    a.s.send({ t: 'ping', id: 'p' });
    expect(await a.s.next({ t: 'pong' })).toEqual({ t: 'pong', id: 'p' });
  });
});
