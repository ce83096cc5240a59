import { afterEach, describe, expect, it } from 'vitest';
import { tilesOf, unreadOf } from '../../src/console/selectors.js';
import { ConsoleStore } from '../../src/console/store.js';
import { settle } from '../fake-relay/agent-socket.js';
import { BOB, JANE } from '../fake-relay/model.js';
import { makeStore, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(() => {
  h?.destroy();
  h = undefined;
});

describe('ConsoleStore', () => {
  it('takes status and owner from the folded log, not from summaries', async () => {
    h = await makeStore();
    h.relay.request('c1', { email: 'ann@example.com' });
    // A stale summary says queued; the log says Jane owns it.
    h.relay.append('c1', { type: 'claimed', agent: JANE });
    h.relay.socket.push({ t: 'conversation', summary: { ...h.relay.summary('c1'), status: 'queued', ownerId: undefined } });
    await settle();
    const chat = h.store.state.chats['c1']!;
    expect(chat.state.status).toBe('active');
    expect(chat.state.owner).toEqual(JANE);
    expect(tilesOf(h.store.state).map((t) => t.kind)).toEqual(['own']);
  });

  it('adds a chat transferred to this agent and drops one transferred away', async () => {
    h = await makeStore();
    h.relay.request('c1', { email: 'ann@example.com' });
    h.relay.append('c1', { type: 'claimed', agent: BOB });
    await settle();
    expect(h.store.state.chats['c1']).toBeUndefined();
    h.relay.append('c1', { type: 'transferred', from: BOB, to: { agent: JANE } });
    h.relay.append('c1', { type: 'claimed', agent: JANE });
    await settle();
    expect(tilesOf(h.store.state).map((t) => [t.chat.id, t.kind])).toEqual([['c1', 'own']]);
    expect(h.store.state.chats['c1']!.log.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    await h.store.routing.transfer('c1', BOB.id, 'yours');
    await settle();
    // Still Jane's until Bob accepts.
    expect(tilesOf(h.store.state).map((t) => t.kind)).toEqual(['own']);
    h.relay.acceptTransfer('c1');
    await settle();
    expect(h.store.state.chats['c1']).toBeUndefined();
    // The connection no longer follows it either.
    expect(h.connection.log('c1')).toEqual([]);
  });

  it("starts a chat's unread count from the relay's summary", async () => {
    h = await makeStore({ signIn: false });
    h.relay.request('c1', { email: 'ann@example.com' });
    h.relay.visitorSays('c1', 'one');
    h.relay.visitorSays('c1', 'two');
    h.relay.visitorSays('c1', 'three');
    h.relay.conversations.get('c1')!.unread = 2;
    h.store.signIn('jane-token-0123456789abcdef');
    await settle();
    expect(unreadOf(h.store.state.chats['c1']!)).toBe(2);
    h.store.select('c1');
    expect(unreadOf(h.store.state.chats['c1']!)).toBe(0);
  });

  it('tells the relay what the owner has read, and not for queued chats', async () => {
    h = await makeStore();
    h.relay.request('c1', { email: 'ann@example.com' });
    h.relay.visitorSays('c1', 'hi');
    await settle();
    h.store.select('c1');
    expect(h.relay.socket.frames('read')).toHaveLength(0);
    await h.store.claim('c1');
    h.relay.visitorSays('c1', 'thanks');
    await settle();
    expect(h.relay.socket.frames('read')).toEqual([{ t: 'read', conversationId: 'c1', upToSeq: 4 }]);
  });

  it('says again what status the agent chose after a reconnect', async () => {
    h = await makeStore({ connection: { minDelayMs: 1, maxDelayMs: 2 } });
    await h.store.setStatus('away');
    h.relay.socket.drop();
    await new Promise((r) => setTimeout(r, 20));
    await settle();
    expect(h.relay.sockets).toHaveLength(2);
    expect(h.relay.socket.frames('status')).toEqual([expect.objectContaining({ value: 'away' })]);
    expect(h.store.state.status).toBe('away');
  });

  it('sends typing on while the owner types and off after a pause or on send', async () => {
    h = await makeStore({ store: { typingIdleMs: 20 } });
    h.relay.request('c1', { email: 'ann@example.com' });
    h.relay.append('c1', { type: 'claimed', agent: JANE });
    await settle();
    h.store.typing('c1');
    h.store.typing('c1');
    expect(h.relay.socket.frames('typing')).toEqual([{ t: 'typing', conversationId: 'c1', on: true }]);
    await new Promise((r) => setTimeout(r, 40));
    expect(h.relay.socket.frames('typing').map((f) => f.on)).toEqual([true, false]);
    h.store.typing('c1');
    h.store.send('c1', 'hi');
    expect(h.relay.socket.frames('typing').map((f) => f.on)).toEqual([true, false, true, false]);
  });

  it('refuses empty replies without sending, and destroy() is idempotent', async () => {
    h = await makeStore();
    h.relay.request('c1', { email: 'ann@example.com' });
    h.relay.append('c1', { type: 'claimed', agent: JANE });
    await settle();
    expect(h.store.send('c1', '   ')).toBe(false);
    expect(h.store.state.chats['c1']!.error).toMatchObject({ code: 'invalid', field: 'text' });
    expect(h.relay.socket.frames('send')).toHaveLength(0);
    h.store.destroy();
    h.store.destroy();
    expect(h.connection.state).toBe('closed');
  });

  it("keeps a refused request's code, field and message on the chat, naming the action", async () => {
    h = await makeStore();
    h.relay.request('c1', { email: 'ann@example.com' });
    h.relay.append('c1', { type: 'claimed', agent: JANE });
    await settle();
    h.relay.intercept = (f, s) => {
      if (f.t !== 'note') return false;
      s.push({ t: 'error', id: f.id, code: 'invalid', field: 'text', message: 'no links in notes' });
      return true;
    };
    expect(await h.store.note('c1', 'see http://x.test')).toBe(false);
    expect(h.store.state.chats['c1']!.error).toEqual({ code: 'invalid', field: 'text', message: 'no links in notes', action: 'note' });
  });

  it('requires a connection', () => {
    expect(() => new ConsoleStore({} as never)).toThrow(new TypeError('ConsoleStore: connection is required'));
  });
});
