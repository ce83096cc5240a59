// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ParleyError, type ChatMessage } from '../../src/client/index.js';
import { useVisitorRelay, WAIT } from '../fake-relay/visitor-harness.js';

const env = useVisitorRelay();
afterEach(() => vi.restoreAllMocks());

const texts = (ms: readonly { kind: string; message?: ChatMessage }[]) => ms.flatMap((i) => (i.message ? [i.message.text] : []));

describe('ChatClient.send', () => {
  it('shows a message as sending at once, then sent on ack, exactly once', async () => {
    const client = env.client();
    await client.start({ email: 'ann@example.com' });
    const m = client.send('  Hello there  ');
    expect(m).toMatchObject({ text: 'Hello there', delivery: 'sending', from: 'visitor' });
    expect(m.clientId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(client.state.timeline.at(-1)).toMatchObject({ kind: 'message', key: m.clientId, message: { delivery: 'sending' } });
    await vi.waitFor(() => expect(client.state.timeline.some((i) => i.kind === 'message' && i.message.delivery === 'sent'), 'sent').toBe(true), WAIT);
    const items = client.state.timeline.filter((i) => i.kind === 'message');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ key: m.clientId, message: { seq: 2, delivery: 'sent' } });
    expect(env.storage.getItem('parley:outbox')).toBeNull();
  });

  it('resends a message whose socket dropped before the relay got it; logged once', async () => {
    const client = env.client({ random: () => 0 }); // reconnect without waiting
    await client.start({ email: 'ann@example.com' });
    env.relay.intercept = (f, c) => {
      if (f.t !== 'send') return false;
      env.relay.intercept = () => false;
      c.close(1001); // lost in transit: nothing logged, no ack
      return true;
    };
    const m = client.send('first');
    await vi.waitFor(() => {
      expect(client.state.connection, 'reconnected').toBe('online');
      expect(env.relay.sockets.length, 'reconnected').toBe(2);
    }, WAIT);
    await vi.waitFor(() => expect(client.state.timeline.some((i) => i.kind === 'message' && i.message.delivery === 'sent'), 'sent').toBe(true), WAIT);
    expect(env.relay.frames.filter((f) => f.frame.t === 'send').map((f) => f.conn)).toEqual([0, 1]);
    expect(env.relay.log.filter((e) => e.type === 'message').map((e) => e.type === 'message' && e.clientId)).toEqual([m.clientId]);
    expect(texts(client.state.timeline)).toEqual(['first']);
  });

  it('does not resend a message the relay logged before the socket dropped (ack lost); shown once', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const client = env.client();
    await client.start({ email: 'ann@example.com' });
    env.relay.intercept = (f, c) => {
      if (f.t !== 'send') return false;
      env.relay.intercept = () => false;
      env.relay.logUnheard(f.text, f.clientId);
      c.close(1001); // committed, but neither ack nor event went out
      return true;
    };
    const m = client.send('first');
    await vi.waitFor(() => {
      expect(client.state.connection, 'reconnected').toBe('online');
      expect(env.relay.sockets.length, 'reconnected').toBe(2);
    }, WAIT);
    await vi.waitFor(() => expect(client.state.timeline.some((i) => i.kind === 'message' && i.message.delivery === 'sent'), 'sent').toBe(true), WAIT);
    expect(env.relay.framesOf('resume')[0]).toMatchObject({ afterSeq: 1, token: env.relay.token });
    expect(env.relay.frames.filter((f) => f.conn === 1 && f.frame.t === 'send')).toHaveLength(0);
    expect(client.state.timeline).toHaveLength(1);
    expect(client.state.timeline[0]).toMatchObject({ key: m.clientId, message: { seq: 2, delivery: 'sent' } });
  });

  it('keeps messages typed while offline as queued (shown as waiting) and sends them in order on reconnect', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const client = env.client();
    await client.start({ email: 'ann@example.com' });
    env.relay.open[0]!.close(1006 as number);
    await vi.waitFor(() => expect(client.state.connection, 'reconnecting').toBe('reconnecting'), WAIT);
    const a = client.send('one');
    const b = client.send('two');
    expect(client.state.timeline.map((i) => i.kind === 'message' && i.message.delivery)).toEqual(['queued', 'queued']);
    await vi.waitFor(() => expect(env.relay.sent.size, 'both logged').toBe(2), WAIT);
    expect([...env.relay.sent.keys()]).toEqual([a.clientId, b.clientId]);
    await vi.waitFor(() => expect(client.state.timeline.every((i) => i.kind === 'message' && i.message.delivery === 'sent'), 'sent').toBe(true), WAIT);
  });

  it('returns a failed message and queues nothing for empty or over-long text', async () => {
    const client = env.client();
    await client.start({ email: 'ann@example.com' });
    const errors: string[] = [];
    client.addEventListener('error', (e) => errors.push(e.detail.code));
    expect(client.send('   ')).toMatchObject({ delivery: 'failed', error: { code: 'invalid', field: 'text' } });
    expect(client.send('x'.repeat(4001))).toMatchObject({ delivery: 'failed', error: { code: 'invalid', field: 'text' } });
    expect(client.send('x'.repeat(4000)).delivery).toBe('sending');
    expect(errors).toEqual(['invalid', 'invalid']);
    expect(client.state.timeline.filter((i) => i.kind === 'message')).toHaveLength(1);
  });

  it('marks a message the relay refuses as failed with the relay’s error', async () => {
    const client = env.client();
    await client.start({ email: 'ann@example.com' });
    env.relay.intercept = (f, c) => {
      if (f.t !== 'send') return false;
      env.relay.push(c, { t: 'error', id: f.id, code: 'invalid', field: 'text', message: 'text must not hold control characters' });
      return true;
    };
    const errors: string[] = [];
    client.addEventListener('error', (e) => errors.push(e.detail.code));
    const m = client.send('hi');
    await vi.waitFor(() => expect(client.state.timeline.some((i) => i.kind === 'message' && i.message.delivery === 'failed'), 'failed').toBe(true), WAIT);
    expect(client.state.timeline[0]).toMatchObject({ message: { clientId: m.clientId, error: { code: 'invalid', field: 'text' } } });
    expect(client.state.timeline[0]!.kind === 'message' && client.state.timeline[0]!.message.error).toBeInstanceOf(ParleyError);
    expect(errors).toEqual(['invalid']);

    env.relay.intercept = () => false;
    client.retry(m.clientId);
    await vi.waitFor(() => expect(client.state.timeline.some((i) => i.kind === 'message' && i.message.delivery === 'sent'), 'sent after retry').toBe(true), WAIT);
    expect(env.relay.framesOf('send').map((f) => f.clientId)).toEqual([m.clientId, m.clientId]);
    expect(env.relay.log.filter((e) => e.type === 'message')).toHaveLength(1);
  });
});
