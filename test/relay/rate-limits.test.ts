import { afterEach, describe, expect, it } from 'vitest';
import { cid, Harness } from './helpers.js';

describe('rate limits', () => {
  let h: Harness;
  afterEach(() => h.cleanup());

  it('refuses visitor messages past the per-conversation rate with rate_limited', async () => {
    h = await Harness.start({ visitorMessageRate: { count: 3, windowMs: 60_000 } });
    const v = await h.visitor();
    for (let i = 0; i < 3; i++) {
      v.s.send({ t: 'send', id: `s${i}`, clientId: cid(), text: `m${i}` });
      expect(await v.s.next({ id: `s${i}` })).toMatchObject({ t: 'ack' });
    }
    const over = cid();
    v.s.send({ t: 'send', id: 'over', clientId: over, text: 'too many' });
    expect(await v.s.next({ id: 'over' })).toMatchObject({ t: 'error', code: 'rate_limited' });
    expect(await h.relay.store.findClientSeq(v.conversationId, over)).toBeNull();
    // The socket stays open; a repeat of an acknowledged message still gets its ack.
    const first = (await h.relay.store.readEvents(v.conversationId, 1))[0]!;
    v.s.send({ t: 'send', id: 'rep', clientId: (first as { clientId: string }).clientId, text: 'm0' });
    expect(await v.s.next({ id: 'rep' })).toMatchObject({ t: 'ack', seq: 2 });
  });

  it('does not limit agents by the visitor rate', async () => {
    h = await Harness.start({ visitorMessageRate: { count: 1, windowMs: 60_000 } });
    const { visitor, agent } = await h.activeChat();
    for (let i = 0; i < 3; i++) {
      agent.s.send({ t: 'send', id: `a${i}`, conversationId: visitor.conversationId, clientId: cid(), text: `a${i}` });
      expect(await agent.s.next({ id: `a${i}` })).toMatchObject({ t: 'ack' });
    }
  });

  it('refuses hellos past the per-IP rate with rate_limited and closes 4429', async () => {
    h = await Harness.start({ helloRate: { count: 2, windowMs: 60_000 } });
    await h.visitor('a@example.com');
    await h.visitor('b@example.com');
    const s = await h.connect('/v1/visitor');
    s.send({ t: 'hello', id: 'h', email: 'c@example.com' });
    expect(await s.next({ t: 'error' })).toMatchObject({ id: 'h', code: 'rate_limited' });
    expect((await s.closed).code).toBe(4429);
    expect(await h.relay.store.listConversations(['queued'])).toHaveLength(2);
  });
});
