/**
 * One WebSocket as the relay sees it: JSON sending with a back-pressure cap, the
 * bad-frame counter, liveness for server pings, and idempotent closing. Every frame
 * and close passes the commit gate, so nothing leaves before the writes made ahead of
 * it are committed. Visitor and agent handlers build on it; it knows nothing of conversations.
 */
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import {
  CloseCode,
  MAX_BAD_FRAMES_IN_A_ROW,
  type ErrorFrame,
  type ParseResult,
  type ProtocolError,
  type RelayToAgentFrame,
  type RelayToVisitorFrame,
} from '../protocol/index.js';

/**
 * A reader is slow when more than this many bytes it was sent are still unsent once a
 * burst of frames has been handed to the kernel. A slow reader gets `SLOW_READER_GRACE_MS`
 * to catch up before it is cut off; one past `MAX_UNSENT_BYTES` is cut off at once.
 */
export const MAX_BUFFERED_BYTES = 1024 * 1024;
export const SLOW_READER_GRACE_MS = 10_000;
export const MAX_UNSENT_BYTES = 8 * 1024 * 1024;

/** WebSocket close code for a relay bug while handling a frame (RFC 6455 "internal error"). */
export const INTERNAL_ERROR_CLOSE = 1011;

/**
 * Holds `send` until every write made before it is committed (at once when none is
 * pending); runs `onFail` instead when that commit fails. The relay passes the store's
 * `afterCommit`.
 */
export type CommitGate = (send: () => void, onFail: (err: Error) => void) => void;

/** A gate for sockets of a relay without a store: everything goes at once. */
export const OPEN_GATE: CommitGate = (send) => send();

/** TCP sockets corked since the last uncork: their frames leave together, in one write. */
const corked: Duplex[] = [];
/** Peers written to in this burst: judged once the burst has left (see `judge`). */
const written = new Set<Peer<RelayToVisitorFrame | RelayToAgentFrame>>();
let burstQueued = false;

function endBurst(): void {
  burstQueued = false;
  for (const socket of corked.splice(0)) socket.uncork();
  const peers = [...written];
  written.clear();
  for (const p of peers) p.judge();
}

function queueBurstEnd(): void {
  if (burstQueued) return;
  burstQueued = true;
  process.nextTick(() => queueMicrotask(endBurst));
}

/**
 * Holds a socket's writes until the current burst of work is over, so that the frames
 * one commit releases (an ack, then the events the bus delivers on microtasks) leave in
 * one write per socket instead of one each. The uncork is queued behind those
 * microtasks: a tick, then a microtask at the end of the queue.
 */
function corkForBurst(ws: WebSocket): void {
  // `ws` keeps its TCP socket in `_socket`; without it, frames simply go one by one.
  const socket = (ws as unknown as { _socket?: Duplex })._socket;
  if (!socket || typeof socket.cork !== 'function' || socket.writableCorked > 0) return;
  socket.cork();
  corked.push(socket);
  queueBurstEnd();
}

/** A connected socket. */
export class Peer<Out extends RelayToVisitorFrame | RelayToAgentFrame> {
  /** Set false at each server ping; a pong sets it back. */
  alive = true;
  private badFrames = 0;
  /** When the unsent bytes first stood over `MAX_BUFFERED_BYTES` (null: not over). */
  private slowSince: number | null = null;
  /** Set once a close was asked for (it may still wait at the gate) or happened. */
  private closed = false;
  private released = false;

  constructor(
    readonly ws: WebSocket,
    readonly ip: string,
    private readonly gate: CommitGate = OPEN_GATE,
  ) {
    ws.on('pong', () => {
      this.alive = true;
    });
    ws.on('close', () => {
      this.closed = true;
    });
  }

  /** True until the socket starts closing. */
  get open(): boolean {
    return !this.closed && this.ws.readyState === this.ws.OPEN;
  }

  /**
   * Sends one frame once what was written before it is committed; a socket that falls
   * more than 1 MiB behind is terminated. When that commit fails the frame is dropped
   * and the socket closed with 1011 (its client resumes and re-sends what was not acked).
   */
  send(frame: Out): void {
    if (!this.open) return;
    this.gate(() => this.write(frame), this.commitFailed);
  }

  private write(frame: Out): void {
    if (this.released || this.ws.readyState !== this.ws.OPEN) return;
    corkForBurst(this.ws);
    // As bytes, so that what is buffered is counted in bytes (a string counts UTF-16 units).
    this.ws.send(Buffer.from(JSON.stringify(frame)), { binary: false });
    written.add(this as Peer<RelayToVisitorFrame | RelayToAgentFrame>);
    queueBurstEnd();
  }

  /**
   * Judges the reader once a burst has been handed to the kernel: unsent bytes over
   * `MAX_BUFFERED_BYTES` for longer than `SLOW_READER_GRACE_MS`, or over
   * `MAX_UNSENT_BYTES` at all, cut the socket off. Also run by the ping timer.
   */
  judge(now = Date.now()): void {
    if (this.released) return;
    const unsent = this.ws.bufferedAmount;
    if (unsent <= MAX_BUFFERED_BYTES) {
      this.slowSince = null;
      return;
    }
    this.slowSince ??= now;
    if (unsent > MAX_UNSENT_BYTES || now - this.slowSince >= SLOW_READER_GRACE_MS) this.terminate();
  }

  private readonly commitFailed = (): void => {
    this.closed = true;
    this.release(INTERNAL_ERROR_CLOSE, 'store failure');
  };

  /** Sends an `error` frame for a refusal, addressed to request `id` when there is one. */
  refuse(error: ProtocolError, id?: string): void {
    const frame: ErrorFrame = { t: 'error', ...(id !== undefined ? { id } : {}), code: error.code, message: error.message };
    if (error.field !== undefined) frame.field = error.field;
    this.send(frame as Out);
  }

  /**
   * Counts a frame that could not be parsed; returns true when the socket was closed
   * for sending too many in a row.
   */
  badFrame(): boolean {
    this.badFrames++;
    if (this.badFrames >= MAX_BAD_FRAMES_IN_A_ROW) {
      this.close(CloseCode.POLICY, 'too many bad frames');
      return true;
    }
    return false;
  }

  /** A frame parsed: the bad-frame run is over. */
  goodFrame(): void {
    this.badFrames = 0;
  }

  /**
   * The common path of every frame: a refusal is answered and counted towards the
   * bad-frame limit; an accepted frame goes to `handle`, and a handler that throws
   * (a relay bug) is logged and closes this socket with 1011, never the process.
   */
  dispatch<F extends { t: string }>(parsed: ParseResult<F>, handle: (frame: F) => void, log: (line: string) => void): void {
    if (!parsed.ok) {
      this.refuse(parsed.error, parsed.id);
      this.badFrame();
      return;
    }
    this.goodFrame();
    try {
      handle(parsed.frame);
    } catch (err) {
      log(`${parsed.frame.t} frame failed: ${String(err)}`);
      this.close(INTERNAL_ERROR_CLOSE, 'internal error');
    }
  }

  /** Closes with a code, after the frames sent before it (and their commit); idempotent. */
  close(code: number, reason = ''): void {
    if (this.closed) return;
    this.closed = true;
    this.gate(() => this.release(code, reason), this.commitFailed);
  }

  /** The closing handshake itself, once. */
  private release(code: number, reason: string): void {
    if (this.released) return;
    this.released = true;
    try {
      this.ws.close(code, reason);
    } catch {
      this.ws.terminate();
    }
  }

  /** Drops the connection without a closing handshake, at once; idempotent. */
  terminate(): void {
    this.closed = true;
    this.released = true;
    this.ws.terminate();
  }
}
