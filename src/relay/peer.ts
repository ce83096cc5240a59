/**
 * One WebSocket as the relay sees it: JSON sending with a back-pressure cap, the
 * bad-frame counter, liveness for server pings, idempotent closing, and frames handled
 * one at a time in the order they came (a handler may wait for the store; the next
 * frame waits for it). Visitor and agent handlers build on it; it knows nothing of
 * conversations.
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

/** Frames waiting to be handled at which a socket stops reading, and at which it reads again. */
const PAUSE_AT = 64;
const RESUME_AT = 8;
/**
 * Frames waiting past which the socket is closed: pausing stops the next read, but the
 * frames of one read arrive at once, and no client of the protocol has this many
 * requests outstanding.
 */
const MAX_WAITING = 256;

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
  /** The frame being handled, after which the next one is. */
  private handling: Promise<void> = Promise.resolve();
  /** Frames received and not yet handled; past `PAUSE_AT` the socket stops reading. */
  private waiting = 0;

  constructor(
    readonly ws: WebSocket,
    readonly ip: string,
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

  /** Sends one frame (as bytes); a socket that falls too far behind is cut off (`judge`). */
  send(frame: Out): void {
    if (!this.open || this.released) return;
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
   * The common path of every frame, each after the one before it has been handled: a
   * refusal is answered and counted towards the bad-frame limit; an accepted frame
   * goes to `handle`, and a handler that fails (the store is away, or a relay bug) is
   * logged and closes this socket with 1011, never the process: its client resumes
   * and sends again what was not acknowledged.
   */
  dispatch<F extends { t: string }>(parsed: ParseResult<F>, handle: (frame: F) => void | Promise<void>, log: (line: string) => void): void {
    // A client that sends faster than its frames are handled waits at TCP, not in memory here.
    if (++this.waiting === PAUSE_AT) this.ws.pause();
    if (this.waiting > MAX_WAITING) {
      this.waiting--;
      this.close(CloseCode.POLICY, 'too many frames at once');
      return;
    }
    const run = async (): Promise<void> => {
      try {
        await this.handleOne(parsed, handle, log);
      } finally {
        if (--this.waiting === RESUME_AT) this.ws.resume();
      }
    };
    // Nothing before it: handled at once, not a turn of the promise queue later.
    this.handling = this.waiting === 1 ? run() : this.handling.then(run);
  }

  private async handleOne<F extends { t: string }>(parsed: ParseResult<F>, handle: (frame: F) => void | Promise<void>, log: (line: string) => void): Promise<void> {
    if (this.closed) return;
    if (!parsed.ok) {
      this.refuse(parsed.error, parsed.id);
      this.badFrame();
      return;
    }
    this.goodFrame();
    try {
      await handle(parsed.frame);
    } catch (err) {
      log(`${parsed.frame.t} frame failed: ${String(err)}`);
      this.close(INTERNAL_ERROR_CLOSE, 'internal error');
    }
  }

  /** Closes with a code, after the frames sent before it; idempotent. */
  close(code: number, reason = ''): void {
    if (this.closed) return;
    this.closed = true;
    this.release(code, reason);
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
