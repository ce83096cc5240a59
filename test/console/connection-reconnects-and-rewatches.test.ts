import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AgentConnection, type ConnectionState } from '../../src/console/connection.js';
import { agentSocketUrl } from '../../src/console/socket-url.js';
import { SEND_TIMEOUT_MS } from '../../src/transport/backoff.js';
import { ParleyError } from '../../src/protocol/index.js';
import { AgentEndpoint, JANE_TOKEN } from '../fake-relay/agent-endpoint.js';
import { settle } from '../fake-relay/agent-socket.js';
import { JANE } from '../fake-relay/model.js';

let conn: AgentConnection | undefined;
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  conn?.close();
  conn = undefined;
  vi.useRealTimers();
});

function connect(relay: AgentEndpoint, extra: Partial<ConstructorParameters<typeof AgentConnection>[0]> = {}) {
  conn = new AgentConnection({
    url: 'ws://relay.test/v1/agent',
    WebSocket: relay.WebSocket,
    events: null,
    minDelayMs: 100,
    maxDelayMs: 1000,
    random: () => 0.5,
    ...extra,
  });
  const states: ConnectionState[] = [];
  conn.on('state', ({ newState }) => states.push(newState));
  conn.connect(JANE_TOKEN);
  return { conn, states };
}

describe('AgentConnection', () => {
  it('signs in with hello and the token, and is open once welcomed', async () => {
    const relay = new AgentEndpoint();
    const { conn: c, states } = connect(relay);
    await settle();
    expect(relay.socket.url).toBe('ws://relay.test/v1/agent');
    expect(relay.socket.sent[0]).toEqual({ t: 'hello', id: 'hello', token: JANE_TOKEN });
    expect(c.state).toBe('open');
    expect(states).toEqual(['connecting', 'open']);
  });

  it('re-watches open chats from their last seq after a drop: nothing lost, nothing repeated', async () => {
    const relay = new AgentEndpoint();
    relay.request('c1', { email: 'ann@example.com' });
    relay.visitorSays('c1', 'one');
    const { conn: c } = connect(relay);
    await settle();
    const seen: number[] = [];
    c.on('events', (e) => seen.push(...e.added.map((x) => x.seq)));
    c.watch('c1');
    relay.visitorSays('c1', 'two');
    expect(c.log('c1').map((e) => e.seq)).toEqual([1, 2, 3]);

    relay.socket.drop();
    expect(c.state).toBe('reconnecting');
    relay.visitorSays('c1', 'three (while away)');
    relay.visitorSays('c1', 'four (while away)');
    await vi.advanceTimersByTimeAsync(200);
    expect(c.state).toBe('open');
    expect(relay.sockets).toHaveLength(2);
    expect(relay.socket.frames('watch')).toEqual([expect.objectContaining({ conversationId: 'c1', afterSeq: 3 })]);
    // A repeat of an event already held changes nothing.
    relay.socket.push({ t: 'event', conversationId: 'c1', event: relay.conversations.get('c1')!.log[4]! });
    relay.visitorSays('c1', 'five');
    expect(c.log('c1').map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('fetches the missing events when a live event skips ahead', async () => {
    const relay = new AgentEndpoint();
    relay.request('c1', { email: 'ann@example.com' });
    const { conn: c } = connect(relay);
    await settle();
    c.watch('c1');
    // The relay moves on without telling this socket (as if frames were lost).
    relay.forget(relay.socket);
    relay.visitorSays('c1', 'lost');
    const next = relay.visitorSays('c1', 'arrives');
    relay.socket.push({ t: 'event', conversationId: 'c1', event: next });
    expect(relay.socket.frames('watch').map((f) => f.afterSeq)).toEqual([0, 1]);
    expect(c.log('c1').map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('resends unacknowledged replies after a reconnect with the same clientId, so each appears once', async () => {
    const relay = new AgentEndpoint();
    relay.request('c1', { email: 'ann@example.com' });
    relay.append('c1', { type: 'claimed', agent: JANE });
    const { conn: c } = connect(relay);
    await settle();
    c.watch('c1');
    // The relay commits the reply but the ack is lost with the socket.
    relay.intercept = () => true;
    const item = c.send('c1', 'Hello Ann');
    const first = relay.socket.frames('send')[0]!;
    relay.intercept = () => false;
    relay.answer(relay.socket, first);
    relay.socket.drop();
    expect(c.outbox('c1')).toHaveLength(0); // the event itself proved delivery
    // A reply sent while disconnected waits in the outbox.
    const later = c.send('c1', 'Are you there?');
    expect(c.outbox('c1').map((i) => i.clientId)).toEqual([later.clientId]);
    await vi.advanceTimersByTimeAsync(200);
    expect(relay.socket.frames('send')).toEqual([expect.objectContaining({ clientId: later.clientId, text: 'Are you there?' })]);
    expect(c.outbox('c1')).toHaveLength(0);
    const messages = relay.conversations.get('c1')!.log.filter((e) => e.type === 'message');
    expect(messages.map((m) => m.type === 'message' && m.clientId)).toEqual([item.clientId, later.clientId]);
    expect(c.log('c1').filter((e) => e.type === 'message')).toHaveLength(2);
  });

  it('marks a refused reply failed and retries it with the same clientId', async () => {
    const relay = new AgentEndpoint();
    relay.request('c1', { email: 'ann@example.com' });
    relay.append('c1', { type: 'claimed', agent: JANE });
    const { conn: c } = connect(relay);
    await settle();
    relay.intercept = () => true;
    const item = c.send('c1', 'hi');
    const sent = relay.socket.frames('send')[0]!;
    relay.socket.push({ t: 'error', id: sent.id, code: 'rate_limited', message: 'slow down' });
    expect(c.outbox('c1')[0]).toMatchObject({ status: 'failed', error: { code: 'rate_limited' } });
    expect(c.outbox('c1')[0]?.error).toBeInstanceOf(ParleyError);
    c.retry(item.clientId);
    expect(relay.socket.frames('send').map((f) => f.clientId)).toEqual([item.clientId, item.clientId]);
    expect(c.outbox('c1')[0]?.status).toBe('sending');
  });

  it('marks a reply failed when the relay never answers it, and a retry delivers it once', async () => {
    const relay = new AgentEndpoint();
    relay.request('c1', { email: 'ann@example.com' });
    relay.append('c1', { type: 'claimed', agent: JANE });
    const { conn: c } = connect(relay, { pingIntervalMs: 60_000, pongTimeoutMs: 60_000 });
    await settle();
    relay.intercept = (f) => f.t === 'send'; // the socket stays up; the reply's answer is lost
    const item = c.send('c1', 'Hello Ann');
    await vi.advanceTimersByTimeAsync(SEND_TIMEOUT_MS - 1);
    expect(c.outbox('c1')[0]?.status).toBe('sending');
    await vi.advanceTimersByTimeAsync(1);
    expect(c.state).toBe('open');
    expect(c.outbox('c1')[0]).toMatchObject({ clientId: item.clientId, status: 'failed', error: { code: 'timeout' } });
    expect(c.outbox('c1')[0]?.error).toBeInstanceOf(ParleyError);
    relay.intercept = () => false;
    c.retry(item.clientId);
    expect(relay.socket.frames('send').map((f) => f.clientId)).toEqual([item.clientId, item.clientId]);
    expect(c.outbox('c1')).toHaveLength(0);
    const messages = relay.conversations.get('c1')!.log.filter((e) => e.type === 'message');
    expect(messages).toHaveLength(1);
  });

  it('keeps a reply whose socket drops before the answer queued, and resends it after the reconnect', async () => {
    const relay = new AgentEndpoint();
    relay.request('c1', { email: 'ann@example.com' });
    relay.append('c1', { type: 'claimed', agent: JANE });
    const { conn: c } = connect(relay);
    await settle();
    relay.intercept = (f) => f.t === 'send';
    const item = c.send('c1', 'Hello Ann');
    relay.socket.drop();
    expect(c.outbox('c1')[0]).toMatchObject({ clientId: item.clientId, status: 'sending' });
    relay.intercept = () => false;
    await vi.advanceTimersByTimeAsync(200);
    expect(c.state).toBe('open');
    expect(relay.socket.frames('send')).toEqual([expect.objectContaining({ clientId: item.clientId, text: 'Hello Ann' })]);
    expect(c.outbox('c1')).toHaveLength(0);
    // No timeout is left over from the first socket.
    await vi.advanceTimersByTimeAsync(SEND_TIMEOUT_MS);
    expect(c.outbox('c1')).toHaveLength(0);
  });

  it('backs off with jitter between attempts, up to the ceiling', async () => {
    const relay = new AgentEndpoint();
    relay.autoOpen = false;
    const { conn: c } = connect(relay, { random: () => 0.5 });
    expect(relay.sockets).toHaveLength(1);
    const times: number[] = [];
    const start = Date.now();
    for (let i = 0; i < 6; i++) {
      relay.socket.drop();
      const n = relay.sockets.length;
      while (relay.sockets.length === n) await vi.advanceTimersByTimeAsync(10);
      times.push(Date.now() - start);
    }
    const gaps = times.map((t, i) => t - (times[i - 1] ?? 0));
    // Full jitter: random() = 0.5 gives half of each ceiling: 100, 200, 400, 800, 1000, 1000 → 50, 100, 200, 400, 500, 500.
    expect(gaps).toEqual([50, 100, 200, 400, 500, 500]);
    expect(c.state).toBe('reconnecting');
  });

  it('does not reconnect after the relay refuses the token (4401)', async () => {
    const relay = new AgentEndpoint();
    const errors: string[] = [];
    conn = new AgentConnection({ url: 'ws://relay.test/v1/agent', WebSocket: relay.WebSocket, events: null, minDelayMs: 10 });
    conn.on('error', (e) => errors.push(e.code));
    conn.connect('not-a-real-token-000000');
    await settle();
    await vi.advanceTimersByTimeAsync(1000);
    expect(relay.sockets).toHaveLength(1);
    expect(conn.state).toBe('closed');
    expect(errors).toContain('unauthorized');
  });

  it('drops a silent socket when no pong comes back, then reconnects', async () => {
    const relay = new AgentEndpoint();
    const { conn: c } = connect(relay, { pingIntervalMs: 1000, pongTimeoutMs: 500 });
    await settle();
    await vi.advanceTimersByTimeAsync(1000);
    expect(relay.socket.frames('ping')).toHaveLength(1);
    expect(c.state).toBe('open');
    relay.intercept = () => true; // the socket goes silent
    await vi.advanceTimersByTimeAsync(1000 + 499);
    expect(relay.sockets[0]!.closedWith).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(relay.sockets[0]!.closedWith).not.toBeNull();
    expect(relay.sockets[0]!.frames('ping')).toHaveLength(2);
    relay.intercept = () => false;
    await vi.advanceTimersByTimeAsync(200);
    expect(relay.sockets).toHaveLength(2);
    expect(c.state).toBe('open');
  });

  it('reconnects at once when the browser comes back online', async () => {
    const relay = new AgentEndpoint();
    const events = new EventTarget();
    const { conn: c } = connect(relay, { events, minDelayMs: 60_000, maxDelayMs: 60_000 });
    await settle();
    relay.socket.drop();
    expect(c.state).toBe('reconnecting');
    events.dispatchEvent(new Event('online'));
    await settle();
    expect(relay.sockets).toHaveLength(2);
    expect(c.state).toBe('open');
  });

  it('rejects requests in flight when the socket drops, and close() is idempotent', async () => {
    const relay = new AgentEndpoint();
    const { conn: c, states } = connect(relay);
    await settle();
    relay.intercept = () => true;
    const p = c.request({ t: 'claim', conversationId: 'c1' });
    relay.socket.drop();
    await expect(p).rejects.toMatchObject({ code: 'network' });
    c.close();
    c.close();
    await vi.advanceTimersByTimeAsync(5000);
    expect(relay.sockets).toHaveLength(1);
    expect(states.filter((s) => s === 'closed')).toHaveLength(1);
    await expect(c.request({ t: 'claim', conversationId: 'c1' })).rejects.toMatchObject({ code: 'network' });
  });

  it('checks its options', () => {
    const relay = new AgentEndpoint();
    expect(() => new AgentConnection({ url: '', WebSocket: relay.WebSocket })).toThrow(new TypeError('AgentConnection: url is required'));
    expect(() => new AgentConnection({ url: 'ws://x/v1/agent', WebSocket: relay.WebSocket, minDelayMs: 0 })).toThrow(
      new RangeError('AgentConnection: minDelayMs must be a positive number'),
    );
  });
});

describe('agentSocketUrl', () => {
  it('derives the agent socket from the console page, http → ws and https → wss', () => {
    expect(agentSocketUrl('http://127.0.0.1:8080/console/')).toBe('ws://127.0.0.1:8080/v1/agent');
    expect(agentSocketUrl('https://chat.example.com/console')).toBe('wss://chat.example.com/v1/agent');
    expect(agentSocketUrl('https://chat.example.com/console/index.html?x=1#y')).toBe('wss://chat.example.com/v1/agent');
  });
});
