/**
 * A reader is judged by what is still unsent once a burst has been handed to the
 * kernel, in bytes, and gets a grace period: a burst that is merely large never cuts a
 * socket off; one that stays behind, or falls hopelessly behind, is cut off.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { MAX_BUFFERED_BYTES, MAX_UNSENT_BYTES, Peer, SLOW_READER_GRACE_MS } from '../../src/relay/peer.js';

/** A stand-in for a `ws` socket whose unsent data the test sets. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  sent: (string | Buffer)[] = [];
  terminated = 0;
  send(data: string | Buffer): void {
    this.sent.push(data);
    this.bufferedAmount += Buffer.byteLength(data);
  }
  terminate(): void {
    this.terminated++;
    this.readyState = 3;
  }
  close(): void {
    this.readyState = 2;
  }
}

const afterBurst = () => new Promise<void>((r) => setImmediate(r));

describe('slow readers', () => {
  it('a large burst that the kernel takes does not cut the socket off', async () => {
    const ws = new FakeSocket();
    const peer = new Peer(ws as unknown as WebSocket, '127.0.0.1');
    // 2 MiB in one burst: over the limit while it is being written...
    for (let i = 0; i < 32; i++) peer.send({ t: 'error', code: 'invalid', message: 'x'.repeat(64 * 1024) });
    expect(ws.bufferedAmount).toBeGreaterThan(MAX_BUFFERED_BYTES);
    // ...but handed to the kernel by the time the burst is judged.
    ws.bufferedAmount = 0;
    await afterBurst();
    expect(ws.terminated).toBe(0);
  });

  it('counts bytes, not UTF-16 units: frames go out as UTF-8 buffers', () => {
    const ws = new FakeSocket();
    const peer = new Peer(ws as unknown as WebSocket, '127.0.0.1');
    peer.send({ t: 'error', code: 'invalid', message: '😀'.repeat(1000) });
    expect(Buffer.isBuffer(ws.sent[0])).toBe(true);
    expect(ws.bufferedAmount).toBeGreaterThan(4000);
  });

  it('a reader still over 1 MiB behind after the grace period is cut off', async () => {
    const ws = new FakeSocket();
    const peer = new Peer(ws as unknown as WebSocket, '127.0.0.1');
    const t = Date.now();
    peer.send({ t: 'pong' });
    ws.bufferedAmount = MAX_BUFFERED_BYTES + 1;
    await afterBurst();
    expect(ws.terminated).toBe(0);
    peer.judge(t + SLOW_READER_GRACE_MS - 1);
    expect(ws.terminated).toBe(0);
    peer.judge(t + SLOW_READER_GRACE_MS + 1);
    expect(ws.terminated).toBe(1);
    peer.send({ t: 'pong' });
    expect(ws.sent).toHaveLength(1);
  });

  it('a reader that catches up within the grace period is forgiven', async () => {
    const ws = new FakeSocket();
    const peer = new Peer(ws as unknown as WebSocket, '127.0.0.1');
    const t = Date.now();
    ws.bufferedAmount = MAX_BUFFERED_BYTES + 1;
    peer.judge(t);
    ws.bufferedAmount = 10;
    peer.judge(t + 1000);
    ws.bufferedAmount = MAX_BUFFERED_BYTES + 1;
    peer.judge(t + SLOW_READER_GRACE_MS + 1);
    expect(ws.terminated).toBe(0);
  });

  it(`a reader more than ${MAX_UNSENT_BYTES / 1048576} MiB behind is cut off at once`, async () => {
    const ws = new FakeSocket();
    const peer = new Peer(ws as unknown as WebSocket, '127.0.0.1');
    peer.send({ t: 'pong' });
    ws.bufferedAmount = MAX_UNSENT_BYTES + 1;
    await afterBurst();
    expect(ws.terminated).toBe(1);
  });
});
