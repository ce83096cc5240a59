import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cid, Harness } from './helpers.js';

describe('end', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(() => h.cleanup());

  it('by the visitor: ok, then the ended event; later sends get error ended', async () => {
    const { visitor, agent } = await h.activeChat();
    visitor.s.send({ t: 'end', id: 'e' });
    const ok = await visitor.s.next({ id: 'e' });
    expect(ok).toEqual({ t: 'ok', id: 'e' });
    const ended = await visitor.s.next((f) => f.t === 'event' && f.event.type === 'ended');
    expect(ended.event).toMatchObject({ by: 'visitor', seq: 3 });
    expect(visitor.s.frames.indexOf(ok)).toBeLessThan(visitor.s.frames.indexOf(ended));
    await agent.s.next((f) => f.t === 'event' && f.event.type === 'ended');
    visitor.s.send({ t: 'send', id: 's', clientId: cid(), text: 'wait' });
    expect(await visitor.s.next({ id: 's' })).toMatchObject({ t: 'error', code: 'ended' });
    agent.s.send({ t: 'send', id: 's', conversationId: visitor.conversationId, clientId: cid(), text: 'hello?' });
    expect(await agent.s.next({ id: 's' })).toMatchObject({ t: 'error', code: 'ended' });
    visitor.s.send({ t: 'end', id: 'e2' });
    expect(await visitor.s.next({ id: 'e2' })).toMatchObject({ t: 'error', code: 'ended' });
  });

  it('by the owner: ended {by: agent, agent}; later visitor sends get error ended', async () => {
    const { visitor, agent } = await h.activeChat();
    agent.s.send({ t: 'end', id: 'e', conversationId: visitor.conversationId });
    expect(await agent.s.next({ id: 'e' })).toEqual({ t: 'ok', id: 'e' });
    const ended = await visitor.s.next((f) => f.t === 'event' && f.event.type === 'ended');
    expect(ended.event).toMatchObject({ by: 'agent', agent: { id: agent.id, name: agent.name } });
    visitor.s.send({ t: 'send', id: 's', clientId: cid(), text: 'thanks' });
    expect(await visitor.s.next({ id: 's' })).toMatchObject({ t: 'error', code: 'ended' });
    const summary = await agent.s.next((f) => f.t === 'conversation' && f.summary.status === 'ended');
    expect(summary.summary.id).toBe(visitor.conversationId);
  });

  it('lets a visitor whose chat ended start a new one on the same socket', async () => {
    const v = await h.visitor();
    v.s.send({ t: 'end', id: 'e' });
    await v.s.next({ id: 'e' });
    v.s.send({ t: 'hello', id: 'h2', email: 'ann@example.com' });
    const w = await v.s.next({ id: 'h2' });
    expect(w.t).toBe('welcome');
    expect(w.conversation.id).not.toBe(v.conversationId);
    v.s.send({ t: 'send', id: 's', clientId: cid(), text: 'new chat' });
    expect(await v.s.next({ id: 's' })).toMatchObject({ t: 'ack', seq: 2 });
  });
});
