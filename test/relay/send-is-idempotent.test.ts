import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cid, Harness } from './helpers.js';

describe('send', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(() => h.cleanup());

  it('acks with a seq and sends the event to every socket of the conversation, sender included', async () => {
    const v = await h.visitor();
    const second = await h.connect('/v1/visitor');
    second.send({ t: 'resume', id: 'r', token: v.token, conversationId: v.conversationId, afterSeq: 1 });
    await second.next({ t: 'welcome' });
    const clientId = cid();
    v.s.send({ t: 'send', id: 's1', clientId, text: '  hello there  ' });
    const ack = await v.s.next({ t: 'ack' });
    expect(ack).toEqual({ t: 'ack', id: 's1', clientId, seq: 2 });
    for (const s of [v.s, second]) {
      const e = await s.next({ t: 'event' });
      expect(e.event).toMatchObject({ seq: 2, type: 'message', from: 'visitor', text: 'hello there', clientId });
    }
    // The ack comes before the event on the sender's socket.
    const order = v.s.frames.filter((f) => f.t === 'ack' || f.t === 'event').map((f) => f.t);
    expect(order).toEqual(['ack', 'event']);
  });

  it('answers a resend of the same clientId with the first seq and appends nothing', async () => {
    const v = await h.visitor();
    const clientId = cid();
    v.s.send({ t: 'send', clientId, text: 'once' });
    const first = await v.s.next({ t: 'ack' });
    v.s.send({ t: 'send', id: 'again', clientId, text: 'once' });
    const second = await v.s.next({ t: 'ack' });
    expect(second).toEqual({ t: 'ack', id: 'again', clientId, seq: first.seq });
    v.s.send({ t: 'send', clientId: cid(), text: 'next' });
    const third = await v.s.next({ t: 'ack' });
    expect(third.seq).toBe(first.seq + 1);
    // Any event of these sends left with its ack: the pong comes after all of them.
    await v.s.barrier();
    expect(v.s.all({ t: 'event' })).toHaveLength(2);
    const log = await h.relay.store.readEvents(v.conversationId, 0);
    expect(log.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(log.filter((e) => e.type === 'message' && e.clientId === clientId)).toHaveLength(1);
  });

  it('refuses empty text with invalid text', async () => {
    const v = await h.visitor();
    v.s.send({ t: 'send', id: 'e', clientId: cid(), text: '   ' });
    expect(await v.s.next({ t: 'error' })).toMatchObject({ id: 'e', code: 'invalid', field: 'text' });
  });
});
