/**
 * One WebSocket as the relay sees it: JSON sending with a back-pressure cap, the
 * bad-frame counter, liveness for server pings, and idempotent closing. Visitor and
 * agent handlers build on it; it knows nothing of conversations.
 */
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

/** A socket whose unsent data passes this many bytes is cut off (a reader that does not read). */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

/** WebSocket close code for a relay bug while handling a frame (RFC 6455 "internal error"). */
export const INTERNAL_ERROR_CLOSE = 1011;

/** A connected socket. */
export class Peer<Out extends RelayToVisitorFrame | RelayToAgentFrame> {
  /** Set false at each server ping; a pong sets it back. */
  alive = true;
  private badFrames = 0;
  private closed = false;

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

  /** Sends one frame; a socket that falls more than 1 MiB behind is terminated. */
  send(frame: Out): void {
    if (!this.open) return;
    this.ws.send(JSON.stringify(frame));
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) this.terminate();
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

  /** Closes with a code (after any frames already queued); idempotent. */
  close(code: number, reason = ''): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.ws.close(code, reason);
    } catch {
      this.ws.terminate();
    }
  }

  /** Drops the connection without a closing handshake; idempotent. */
  terminate(): void {
    this.closed = true;
    this.ws.terminate();
  }
}
