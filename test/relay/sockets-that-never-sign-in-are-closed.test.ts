// A socket that never says hello (or resume) holds a connection for nothing: the relay
// closes it after `helloTimeoutMs`, while sockets that signed in stay open.
import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from './helpers.js';

describe('hello timeout', () => {
  let h: Harness;
  afterEach(() => h.cleanup());

  it('closes a silent visitor socket with 1008 and a silent agent socket with 4401', async () => {
    h = await Harness.start({ helloTimeoutMs: 150 });
    const visitor = await h.connect('/v1/visitor');
    const agent = await h.connect('/v1/agent');
    const started = Date.now();
    expect((await visitor.closed).code).toBe(1008);
    expect((await agent.closed).code).toBe(4401);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('keeps a visitor and an agent that signed in, and a visitor whose hello was refused is still closed', async () => {
    h = await Harness.start({ helloTimeoutMs: 150 });
    const { visitor, agent } = await h.activeChat();
    const refused = await h.connect('/v1/visitor');
    refused.send({ t: 'hello', id: 'h', email: 'nope' });
    expect(await refused.next({ t: 'error' })).toMatchObject({ code: 'invalid', field: 'email' });
    expect((await refused.closed).code).toBe(1008);
    await new Promise((r) => setTimeout(r, 300)); // well past the timeout of the signed-in sockets
    visitor.s.send({ t: 'ping', id: 'p' });
    expect(await visitor.s.next({ t: 'pong' })).toEqual({ t: 'pong', id: 'p' });
    agent.s.send({ t: 'ping', id: 'p' });
    expect(await agent.s.next({ t: 'pong' })).toEqual({ t: 'pong', id: 'p' });
  });
});
