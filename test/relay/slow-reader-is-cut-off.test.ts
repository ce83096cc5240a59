import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { MAX_BUFFERED_BYTES, Peer } from '../../src/relay/peer.js';

/** A stand-in for a `ws` socket whose unsent data can be set by the test. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  sent: string[] = [];
  terminated = 0;
  send(data: string): void {
    this.sent.push(data);
  }
  terminate(): void {
    this.terminated++;
    this.readyState = 3;
  }
  close(): void {
    this.readyState = 2;
  }
}

describe('Peer.send back-pressure', () => {
  it('terminates a socket once its unsent data passes 1 MiB, and sends nothing more', () => {
    const ws = new FakeSocket();
    const peer = new Peer(ws as unknown as WebSocket, '127.0.0.1');
    ws.bufferedAmount = MAX_BUFFERED_BYTES;
    peer.send({ t: 'pong' });
    expect(ws.terminated).toBe(0);
    ws.bufferedAmount = MAX_BUFFERED_BYTES + 1;
    peer.send({ t: 'pong' });
    expect(ws.terminated).toBe(1);
    peer.send({ t: 'pong' });
    expect(ws.sent).toHaveLength(2);
  });
});
