// On the wire, a running relay takes an agent's note of 1,000 characters and refuses
// one of 1,001 with `error invalid` naming `text`, storing nothing and telling no one
// (docs/protocol.md: notes are 1 to 1,000 characters).
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_NOTE_LENGTH } from '../../src/protocol/index.js';
import { Harness } from './helpers.js';

describe('agent notes on the wire', () => {
  let h: Harness;
  afterEach(() => h.cleanup());

  it('accepts a note of 1,000 characters and refuses one of 1,001 with invalid, field text', async () => {
    h = await Harness.start();
    const { visitor, agent } = await h.activeChat();
    const longest = 'n'.repeat(MAX_NOTE_LENGTH);
    agent.s.send({ t: 'note', id: 'n1000', conversationId: visitor.conversationId, text: longest });
    expect(await agent.s.next({ id: 'n1000' })).toMatchObject({ t: 'ok' });
    expect((await agent.s.next({ t: 'note' })).note.text).toBe(longest);

    agent.s.send({ t: 'note', id: 'n1001', conversationId: visitor.conversationId, text: `${longest}n` });
    const refused = await agent.s.next({ id: 'n1001' });
    expect(refused).toMatchObject({ t: 'error', code: 'invalid', field: 'text' });
    expect(refused.message).toContain(`1 to ${MAX_NOTE_LENGTH} characters`);

    // Only the first note is stored; the refused one reached no one, and the visitor heard of neither.
    // Both notes were answered: what they caused would be ahead of each socket's pong.
    await agent.s.barrier();
    await visitor.s.barrier();
    expect((await h.relay.store.listNotes(visitor.conversationId)).map((n) => n.text)).toEqual([longest]);
    expect(agent.s.all({ t: 'note' })).toHaveLength(1);
    expect(visitor.s.frames.filter((f) => f.t === 'note' || JSON.stringify(f).includes(longest))).toEqual([]);
  });
});
