/**
 * A socket that goes away while its `hello` or `resume` waits for the store is not
 * counted as connected once the store answers: its chat is not shown with the visitor
 * online (and is abandoned in time like any other), its agent is not shown online, and
 * the relay keeps nothing for it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SqliteStore } from '../../src/relay/index.js';
import { Harness, TestSocket } from './helpers.js';

/** An in-memory store whose commits wait until the test lets them go. */
function heldStore(): { store: SqliteStore; hold: () => void; release: () => void } {
  let holding = false;
  const waiting: (() => void)[] = [];
  const store = new SqliteStore(':memory:', {
    scheduleCommit: (run) => {
      if (holding) waiting.push(run);
      else setImmediate(run);
    },
  });
  return {
    store,
    hold: () => {
      holding = true;
    },
    release: () => {
      holding = false;
      for (const run of waiting.splice(0)) run();
    },
  };
}

/** How long `vi.waitFor` waits for the relay's counts, looking every 10 ms. */
const WAIT = { timeout: 3000, interval: 10 };

describe('sockets that leave while the store works', () => {
  let h: Harness | null = null;
  let store: SqliteStore | null = null;
  afterEach(async () => {
    await h?.cleanup();
    await store?.close();
    h = null;
    store = null;
  });

  it('leaves no visitor online, and no agent online, when the socket closed before the answer', async () => {
    const held = heldStore();
    store = held.store;
    h = await Harness.start({ store, abandonedAfterMs: 300, sweepIntervalMs: 100 });
    const jane = await h.relay.addAgent('Jane Doe');

    held.hold();
    const visitor = await h.connect('/v1/visitor');
    visitor.send({ t: 'hello', id: 'h1', email: 'ann@example.com' });
    const agent = await h.connect('/v1/agent');
    agent.send({ t: 'hello', id: 'a1', token: jane.token });
    await TestSocket.wait(100);
    visitor.close();
    agent.close();
    await vi.waitFor(() => expect(h!.relay.stats()).toMatchObject({ visitorSockets: 0, agentSockets: 0 }), WAIT);
    held.release();
    await TestSocket.wait(100);

    expect(h.relay.stats()).toMatchObject({ visitorSockets: 0, agentSockets: 0, watchedConversations: 0 });
    const bob = await h.agent('Bob Stone');
    const jane2 = bob.welcome.agents.find((a: { id: string }) => a.id === jane.id);
    expect(jane2.status).toBe('offline');
    // The chat was made, nobody is there, and it is abandoned like any other.
    const [chat] = (await h.relay.store.listConversations(['queued', 'active', 'ended'])).filter((c) => c.email === 'ann@example.com');
    expect(chat).toBeDefined();
    const ended = await bob.s.next((f) => f.t === 'conversation' && f.summary.id === chat!.id && f.summary.status === 'ended', 5000);
    expect(ended.summary.visitorOnline).toBe(false);
  });

  it('does not bind a resume whose socket closed while its page was read', async () => {
    const held = heldStore();
    store = held.store;
    h = await Harness.start({ store });
    const first = await h.visitor();
    first.s.close();
    await vi.waitFor(() => expect(h!.relay.stats().visitorSockets).toBe(0), WAIT);

    held.hold();
    // A write of its own, so that the resume's reads wait for a commit.
    const other = await h.connect('/v1/visitor');
    other.send({ t: 'hello', id: 'o1', email: 'bea@example.com' });
    await TestSocket.wait(50);
    const again = await h.connect('/v1/visitor');
    again.send({ t: 'resume', id: 'r1', conversationId: first.conversationId, token: first.token, afterSeq: 0 });
    await TestSocket.wait(50);
    again.close();
    await vi.waitFor(() => expect(h!.relay.stats().visitorSockets).toBe(1), WAIT);
    held.release();
    await other.next({ t: 'welcome' });
    await TestSocket.wait(100);

    const bob = await h.agent('Bob Stone');
    const tile = bob.welcome.conversations.find((c: { id: string }) => c.id === first.conversationId);
    expect(tile.visitorOnline).toBe(false);
  });
});
