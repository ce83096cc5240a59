// @vitest-environment happy-dom
/**
 * The `hello` that `start()` sends carries the site's identity signature and the message
 * left (trimmed) when given, either without the other, and neither when not given or
 * when the message is nothing but spaces.
 */
import { describe, expect, it } from 'vitest';
import { useVisitorRelay } from '../fake-relay/visitor-harness.js';

const env = useVisitorRelay();

/** A hex HMAC-SHA256 as a site's server makes it (64 hex characters). */
const SIGNATURE = 'a3f1c2d4e5b6978812345678901234567890abcdefabcdefabcdefabcdef0123';

describe('the hello of start()', () => {
  it('carries the identity signature and the message left, the message trimmed', async () => {
    const client = env.client();
    await client.start({ email: 'ann@example.com', signature: SIGNATURE, message: '  Please call me back about order 42.\n' });

    const hellos = env.relay.framesOf('hello');
    expect(hellos).toHaveLength(1);
    expect(hellos[0]).toMatchObject({
      t: 'hello',
      email: 'ann@example.com',
      signature: SIGNATURE,
      message: 'Please call me back about order 42.',
    });
  });

  it('carries a signature without a message, and a message without a signature', async () => {
    const client = env.client();
    await client.start({ email: 'ann@example.com', signature: SIGNATURE });
    client.newChat();
    await client.start({ email: 'bo@example.com', message: 'Back tomorrow?' });

    const [first, second] = env.relay.framesOf('hello');
    expect(first).toMatchObject({ email: 'ann@example.com', signature: SIGNATURE });
    expect(first).not.toHaveProperty('message');
    expect(second).toMatchObject({ email: 'bo@example.com', message: 'Back tomorrow?' });
    expect(second).not.toHaveProperty('signature');
  });

  it('leaves both out when not given, and a message of nothing but spaces too', async () => {
    const client = env.client();
    await client.start({ email: 'ann@example.com', name: 'Ann' });
    client.newChat();
    await client.start({ email: 'ann@example.com', message: ' \n\t ' });

    const hellos = env.relay.framesOf('hello');
    expect(hellos).toHaveLength(2);
    for (const hello of hellos) {
      expect(hello).not.toHaveProperty('signature');
      expect(hello).not.toHaveProperty('message');
    }
    expect(hellos[0]).toMatchObject({ email: 'ann@example.com', name: 'Ann' });
  });
});
