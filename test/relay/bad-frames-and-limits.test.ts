import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_BAD_FRAMES_IN_A_ROW, MAX_FRAME_BYTES } from '../../src/protocol/index.js';
import { Harness, TestSocket } from './helpers.js';

describe('hostile frames and transport limits', () => {
  let h: Harness;
  afterEach(() => h.cleanup());

  it('closes with 1009 on a frame larger than 64 KiB', async () => {
    h = await Harness.start();
    const s = await h.connect('/v1/visitor');
    s.send(JSON.stringify({ t: 'ping', pad: 'x'.repeat(MAX_FRAME_BYTES) }));
    expect((await s.closed).code).toBe(1009);
  });

  it('accepts a frame just under the limit', async () => {
    h = await Harness.start();
    const s = await h.connect('/v1/visitor');
    const base = JSON.stringify({ t: 'ping', id: 'p', pad: '' });
    s.send(JSON.stringify({ t: 'ping', id: 'p', pad: 'x'.repeat(MAX_FRAME_BYTES - base.length) }));
    expect(await s.next({ t: 'pong' })).toEqual({ t: 'pong', id: 'p' });
  });

  it('answers non-JSON, non-object, untyped, unknown and binary frames with bad_frame and keeps the socket', async () => {
    h = await Harness.start();
    const s = await h.connect('/v1/visitor');
    for (const raw of ['not json', '[1,2]', '{"id":"x"}', '{"t":"launch_missiles","id":"y"}']) {
      s.send(raw);
      expect(await s.next({ t: 'error' })).toMatchObject({ code: 'bad_frame' });
    }
    s.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await s.next({ t: 'error' })).toMatchObject({ code: 'bad_frame' });
    expect(s.frames[3]).toMatchObject({ id: 'y' });
    s.send({ t: 'ping', id: 'alive' });
    expect(await s.next({ t: 'pong' })).toEqual({ t: 'pong', id: 'alive' });
  });

  it(`closes with 1008 after ${MAX_BAD_FRAMES_IN_A_ROW} bad frames in a row, on both endpoints`, async () => {
    h = await Harness.start();
    const v = await h.connect('/v1/visitor');
    for (let i = 0; i < MAX_BAD_FRAMES_IN_A_ROW; i++) v.send('garbage');
    expect((await v.closed).code).toBe(1008);
    expect(v.all({ t: 'error' })).toHaveLength(MAX_BAD_FRAMES_IN_A_ROW);
    const a = await h.agent();
    for (let i = 0; i < MAX_BAD_FRAMES_IN_A_ROW; i++) a.s.send('{');
    expect((await a.s.closed).code).toBe(1008);
  });

  it('resets the bad-frame count after a good frame', async () => {
    h = await Harness.start();
    const s = await h.connect('/v1/visitor');
    for (let i = 0; i < MAX_BAD_FRAMES_IN_A_ROW - 1; i++) s.send('garbage');
    s.send({ t: 'ping', id: 'ok' });
    for (let i = 0; i < MAX_BAD_FRAMES_IN_A_ROW - 1; i++) s.send('garbage');
    s.send({ t: 'ping', id: 'still' });
    expect(await s.next({ t: 'pong', id: 'still' })).toBeTruthy();
  });

  it('refuses an origin outside the allow-list with HTTP 403 at upgrade and admits listed ones', async () => {
    h = await Harness.start({ allowedOrigins: ['https://shop.example'] });
    const refused = new WebSocket(h.wsUrl + '/v1/visitor', { headers: { Origin: 'https://evil.example' } });
    const status = await new Promise<number>((resolve, reject) => {
      refused.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      refused.once('open', () => reject(new Error('opened')));
      refused.once('error', () => {});
    });
    expect(status).toBe(403);
    const agentRefused = new WebSocket(h.wsUrl + '/v1/agent', { headers: { Origin: 'https://shop.example.evil' } });
    expect(
      await new Promise<number>((resolve) => {
        agentRefused.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        agentRefused.once('open', () => resolve(101));
        agentRefused.once('error', () => {});
      }),
    ).toBe(403);
    const ok = await h.connect('/v1/visitor', { Origin: 'https://shop.example' });
    ok.send({ t: 'ping', id: 'p' });
    expect(await ok.next({ t: 'pong' })).toBeTruthy();
    // The console the relay serves itself shares the relay's origin and is let in.
    const own = await h.connect('/v1/agent', { Origin: h.relay.url });
    own.send({ t: 'hello', id: 'x', token: 'C'.repeat(43) });
    expect(await own.next({ t: 'error' })).toMatchObject({ code: 'unauthorized' });
  });

  it('refuses upgrades on unknown paths with 404', async () => {
    h = await Harness.start();
    const ws = new WebSocket(h.wsUrl + '/v1/other');
    const status = await new Promise<number>((resolve) => {
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('error', () => {});
    });
    expect(status).toBe(404);
  });

  it('terminates a socket that stops answering pings', async () => {
    h = await Harness.start({ pingIntervalMs: 50 });
    // A client that never answers pings.
    const s = new TestSocket(new WebSocket(h.wsUrl + '/v1/visitor', { autoPong: false }));
    h.sockets.push(s);
    await s.opened;
    const closed = await Promise.race([s.closed.then(() => 'closed'), new Promise((r) => setTimeout(() => r('open'), 1500))]);
    expect(closed).toBe('closed');
  });

  it('keeps a socket that answers pings', async () => {
    h = await Harness.start({ pingIntervalMs: 50 });
    const s = await h.connect('/v1/visitor');
    await TestSocket.wait(300);
    s.send({ t: 'ping', id: 'p' });
    expect(await s.next({ t: 'pong' })).toEqual({ t: 'pong', id: 'p' });
  });
});
