// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { JANE } from '../fake-relay/model.js';
import { useVisitorRelay, WAIT } from '../fake-relay/visitor-harness.js';

const env = useVisitorRelay();

describe('ChatClient event merging', () => {
  it('on a gap in seq, resumes from the last contiguous seq and ends with the whole log in order', async () => {
    const client = env.client();
    await client.start({ email: 'ann@example.com' });
    env.relay.append({ type: 'claimed', agent: JANE }); // seq 2, delivered
    await vi.waitFor(() => expect(client.state.phase, 'active').toBe('active'), WAIT);
    env.relay.agentSays('one'); // seq 3, delivered
    env.relay.append({ type: 'message', from: 'agent', agent: JANE, text: 'two', clientId: crypto.randomUUID() }, { quiet: true }); // seq 4, lost
    env.relay.agentSays('three'); // seq 5: a gap
    await vi.waitFor(() => expect(client.state.conversation.lastSeq, 'caught up').toBe(5), WAIT);
    expect(env.relay.framesOf('resume')).toEqual([
      expect.objectContaining({ afterSeq: 3, token: env.relay.token, conversationId: env.relay.conversationId }),
    ]);
    expect(client.state.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(client.state.timeline.flatMap((i) => (i.kind === 'message' ? [i.message.text] : []))).toEqual(['one', 'two', 'three']);
  });

  it('drops events it already holds', async () => {
    const client = env.client();
    await client.start({ email: 'ann@example.com' });
    const e = env.relay.agentSays('hello');
    await vi.waitFor(() => expect(client.state.conversation.lastSeq, 'seq 2').toBe(2), WAIT);
    const messages: string[] = [];
    client.addEventListener('message', (ev) => messages.push(ev.detail.text));
    env.relay.push(env.relay.open[0]!, { t: 'event', event: e });
    env.relay.push(env.relay.open[0]!, { t: 'event', event: env.relay.log[0]! });
    env.relay.agentSays('again');
    await vi.waitFor(() => expect(client.state.conversation.lastSeq, 'seq 3').toBe(3), WAIT);
    expect(client.state.events.map((x) => x.seq)).toEqual([1, 2, 3]);
    expect(messages).toEqual(['again']);
  });

  it('counts unread agent messages until markRead, tells the relay, and keeps the mark across reloads', async () => {
    const client = env.client();
    await client.start({ email: 'ann@example.com' });
    env.relay.append({ type: 'claimed', agent: JANE });
    env.relay.agentSays('a');
    env.relay.agentSays('b');
    await vi.waitFor(() => expect(client.state.unread, 'two unread').toBe(2), WAIT);
    client.markRead();
    expect(client.state.unread).toBe(0);
    await vi.waitFor(() => expect(env.relay.framesOf('read').length, 'read sent').toBe(1), WAIT);
    expect(env.relay.framesOf('read')[0]).toEqual({ t: 'read', upToSeq: 4 });
    env.relay.agentSays('c');
    await vi.waitFor(() => expect(client.state.unread, 'one unread').toBe(1), WAIT);
    client.destroy();
    const again = env.client();
    again.resume();
    await vi.waitFor(() => expect(again.state.conversation.lastSeq, 'replayed').toBe(5), WAIT);
    expect(again.state.unread).toBe(1);
  });

  it('shows the agent typing until the agent’s message arrives, and sends typing only on change', async () => {
    const client = env.client();
    await client.start({ email: 'ann@example.com' });
    env.relay.push(env.relay.open[0]!, { t: 'typing', from: 'agent', name: 'Jane Doe', on: true });
    await vi.waitFor(() => expect(client.state.agentTyping, 'typing').toBe(true), WAIT);
    env.relay.agentSays('hi');
    await vi.waitFor(() => expect(client.state.agentTyping, 'typing cleared').toBe(false), WAIT);
    client.typing(true);
    client.typing(true);
    client.typing(false);
    await vi.waitFor(() => expect(env.relay.framesOf('typing').length, 'typing frames').toBe(2), WAIT);
    expect(env.relay.framesOf('typing')).toEqual([
      { t: 'typing', on: true },
      { t: 'typing', on: false },
    ]);
  });

  it('end() resolves on ok, the ended event closes the chat, and newChat() starts over', async () => {
    const client = env.client();
    await client.start({ email: 'ann@example.com' });
    const ended: string[] = [];
    client.addEventListener('ended', (e) => ended.push(e.detail.by));
    await client.end();
    await vi.waitFor(() => expect(client.state.phase, 'ended').toBe('ended'), WAIT);
    expect(ended).toEqual(['visitor']);
    expect(client.state.connection).toBe('offline');
    expect(client.send('too late')).toMatchObject({ delivery: 'failed', error: { code: 'ended' } });
    await client.end().then(
      () => expect.unreachable(),
      (e) => expect(e).toMatchObject({ code: 'network' }),
    );
    client.newChat();
    expect(client.state).toMatchObject({ phase: 'idle', conversationId: null, events: [], timeline: [] });
    expect(env.storage.map.size).toBe(0);
    await client.start({ email: 'ann@example.com' });
    expect(client.state.phase).toBe('queued');
  });
});
