// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { AGENT, until } from './fake-relay.js';
import { useFakeRelay } from './setup.js';

const env = useFakeRelay();

describe('ChatClient event merging', () => {
  it('on a gap in seq, resumes from the last contiguous seq and ends with the whole log in order', async () => {
    const client = env.client();
    await client.start({ email: 'ann@example.com' });
    env.relay.append({ type: 'claimed', agent: AGENT }); // seq 2, delivered
    await until(() => client.state.phase === 'active', 'active');
    env.relay.agentSays('one'); // seq 3, delivered
    env.relay.append({ type: 'message', from: 'agent', agent: AGENT, text: 'two', clientId: crypto.randomUUID() }, true); // seq 4, lost
    env.relay.agentSays('three'); // seq 5: a gap
    await until(() => client.state.conversation.lastSeq === 5, 'caught up');
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
    await until(() => client.state.conversation.lastSeq === 2, 'seq 2');
    const messages: string[] = [];
    client.addEventListener('message', (ev) => messages.push(ev.detail.text));
    env.relay.push(env.relay.open[0]!, { t: 'event', event: e });
    env.relay.push(env.relay.open[0]!, { t: 'event', event: env.relay.log[0]! });
    env.relay.agentSays('again');
    await until(() => client.state.conversation.lastSeq === 3, 'seq 3');
    expect(client.state.events.map((x) => x.seq)).toEqual([1, 2, 3]);
    expect(messages).toEqual(['again']);
  });

  it('counts unread agent messages until markRead, tells the relay, and keeps the mark across reloads', async () => {
    const client = env.client();
    await client.start({ email: 'ann@example.com' });
    env.relay.append({ type: 'claimed', agent: AGENT });
    env.relay.agentSays('a');
    env.relay.agentSays('b');
    await until(() => client.state.unread === 2, 'two unread');
    client.markRead();
    expect(client.state.unread).toBe(0);
    await until(() => env.relay.framesOf('read').length === 1, 'read sent');
    expect(env.relay.framesOf('read')[0]).toEqual({ t: 'read', upToSeq: 4 });
    env.relay.agentSays('c');
    await until(() => client.state.unread === 1, 'one unread');
    client.destroy();
    const again = env.client();
    again.resume();
    await until(() => again.state.conversation.lastSeq === 5, 'replayed');
    expect(again.state.unread).toBe(1);
  });

  it('shows the agent typing until the agent’s message arrives, and sends typing only on change', async () => {
    const client = env.client();
    await client.start({ email: 'ann@example.com' });
    env.relay.push(env.relay.open[0]!, { t: 'typing', from: 'agent', name: 'Jane Doe', on: true });
    await until(() => client.state.agentTyping, 'typing');
    env.relay.agentSays('hi');
    await until(() => !client.state.agentTyping, 'typing cleared');
    client.typing(true);
    client.typing(true);
    client.typing(false);
    await until(() => env.relay.framesOf('typing').length === 2, 'typing frames');
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
    await until(() => client.state.phase === 'ended', 'ended');
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
