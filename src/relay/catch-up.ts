/**
 * The rest of a long log after a visitor's `welcome`: pushed as `event` frames, one
 * page (`MAX_PAGE_BYTES`) at a time, each page only once the socket has sent most of
 * the one before, so a resume of a long chat neither builds one huge frame nor floods
 * a slow reader. Live events wait meanwhile (the hub holds them back); the catch-up
 * reads them from the store, where they are before anyone is told, and ends at the
 * log's end, after which the live ones flow again. The visitor asks for nothing.
 */
import { MAX_PAGE_BYTES } from '../protocol/index.js';
import type { RelayContext } from './context.js';
import type { VisitorPeer } from './hub.js';

/** How often a catch-up looks again while the socket is still sending the last page. */
const WAIT_MS = 20;

/** Pushes the log after `peer.lastSeq` to a socket whose `welcome` held only its first page. */
export function catchUp(peer: VisitorPeer, ctx: RelayContext): void {
  const id = peer.conversationId;
  if (id === null) return;
  peer.catchingUp = true;
  // A later resume on the same socket starts its own catch-up; this one then stops.
  const run = ++peer.catchUpRun;
  const step = (): void => {
    if (!peer.open || peer.conversationId !== id || peer.catchUpRun !== run) return;
    if (peer.ws.bufferedAmount > MAX_PAGE_BYTES) {
      setTimeout(step, WAIT_MS).unref();
      return;
    }
    try {
      const { events, more } = ctx.conversations.eventsPage(id, peer.lastSeq);
      ctx.hub.sendVisitorEvents(peer, events, true);
      if (more) setImmediate(step);
      else peer.catchingUp = false;
    } catch (err) {
      ctx.log(`catch-up failed: ${String(err)}`);
      peer.close(1011, 'internal error');
    }
  };
  setImmediate(step);
}
