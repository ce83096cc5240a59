// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { ParleyError, type ChatError } from '../../src/client/index.js';
import { JANE } from '../fake-relay/model.js';
import { useVisitorRelay, WAIT } from '../fake-relay/visitor-harness.js';

const env = useVisitorRelay();

describe('ChatClient errors and notices', () => {
  it('turns an error frame that answers no request into an error event and state.error', async () => {
    const client = await started();
    const errors: ChatError[] = [];
    client.addEventListener('error', (e) => errors.push(e.detail));
    env.relay.push(env.relay.open[0]!, { t: 'error', code: 'bad_frame', message: 'unknown frame type' });
    await vi.waitFor(() => expect(errors.length, 'error event').toBe(1), WAIT);
    expect(errors[0]).toBeInstanceOf(ParleyError);
    expect(errors[0]).toEqual(new ParleyError('bad_frame', 'unknown frame type'));
    expect(errors[0]).toMatchObject({ code: 'bad_frame', message: 'unknown frame type' });
    expect(client.state.error).toEqual(errors[0]);
  });

  it('rejects start with rate_limited on error rate_limited and close 4429, and does not retry', async () => {
    env.relay.refuseHello = { code: 'rate_limited', close: 4429 };
    const client = env.client();
    await expect(client.start({ email: 'ann@example.com' })).rejects.toMatchObject({ code: 'rate_limited' });
    expect(client.state.phase).toBe('idle');
    await new Promise((r) => setTimeout(r, 600));
    expect(env.relay.sockets).toHaveLength(1);
  });

  it('fails the messages still unsent when the chat ends', async () => {
    const client = await started();
    env.relay.intercept = (f) => f.t === 'send';
    const m = client.send('hello?');
    env.relay.append({ type: 'ended', by: 'agent', agent: JANE });
    await vi.waitFor(() => expect(client.state.phase, 'ended').toBe('ended'), WAIT);
    expect(client.state.timeline.find((i) => i.key === m.clientId)).toMatchObject({ message: { delivery: 'failed', error: { code: 'ended' } } });
    expect(client.state.connection).toBe('offline');
  });

  it('dispatches transferred and upload-requested, and shows them as notices in seq order', async () => {
    const client = await started();
    const seen: string[] = [];
    for (const type of ['claimed', 'transferred', 'upload-requested', 'ended'] as const) client.addEventListener(type, () => seen.push(type));
    env.relay.append({ type: 'claimed', agent: JANE });
    env.relay.append({ type: 'transferred', from: JANE, to: { queue: true } });
    await vi.waitFor(() => {
      expect(client.state.phase, 'back in the queue').toBe('queued');
      expect(client.state.conversation.lastSeq, 'back in the queue').toBe(3);
    }, WAIT);
    expect(client.state.agent).toBeNull();
    env.relay.append({ type: 'claimed', agent: { id: 'agent_2', name: 'Sam' } });
    env.relay.append({ type: 'upload_requested', requestId: 'req_9', agent: { id: 'agent_2', name: 'Sam' }, maxBytes: 5_242_880 });
    await vi.waitFor(() => expect(client.state.openUpload?.requestId, 'upload requested').toBe('req_9'), WAIT);
    expect(seen).toEqual(['claimed', 'transferred', 'claimed', 'upload-requested']);
    expect(client.state.timeline.map((i) => (i.kind === 'notice' ? i.event.type : i.kind))).toEqual([
      'claimed',
      'transferred',
      'claimed',
      'upload_requested',
    ]);
    expect(client.state.agent).toEqual({ id: 'agent_2', name: 'Sam' });
  });
});

async function started() {
  const client = env.client();
  await client.start({ email: 'ann@example.com' });
  return client;
}
