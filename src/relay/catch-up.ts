/**
 * Reading a conversation's log from the store for one socket, instead of live: the rest
 * of a long log after a visitor's `welcome`, and the events a socket would otherwise
 * miss when news between relays was lost (the hub saw a gap in the seqs). Pages
 * (`MAX_PAGE_BYTES`) go out one at a time, each only once the socket has sent most of
 * the one before, so a long log neither builds one huge frame nor floods a slow reader.
 * Live events wait meanwhile (the hub holds them back and notes the highest seq); the
 * catch-up goes on until it has sent that one, after which the live ones flow again.
 * The client asks for nothing.
 */
import { MAX_PAGE_BYTES } from '../protocol/index.js';
import type { RelayContext } from './context.js';
import { AgentPeer, type VisitorPeer } from './hub.js';

/** How often a catch-up looks again while the socket is still sending the last page. */
const WAIT_MS = 20;

/** Resolves once the socket has sent most of what it was given. */
async function drained(peer: VisitorPeer | AgentPeer): Promise<void> {
  while (peer.open && peer.ws.bufferedAmount > MAX_PAGE_BYTES) await new Promise((r) => setTimeout(r, WAIT_MS).unref());
}

/** Pushes the log after what a socket has had, from the store, until it has had everything it was held back from. */
export function catchUp(peer: VisitorPeer | AgentPeer, conversationId: string, ctx: RelayContext): void {
  const run = peer instanceof AgentPeer ? catchUpAgent(peer, conversationId, ctx) : catchUpVisitor(peer, ctx);
  run.catch((err: unknown) => {
    ctx.log(`catch-up failed: ${String(err)}`);
    peer.close(1011, 'internal error');
  });
}

async function catchUpVisitor(peer: VisitorPeer, ctx: RelayContext): Promise<void> {
  const id = peer.conversationId;
  if (id === null) return;
  peer.catchingUp = true;
  // A later resume on the same socket starts its own catch-up; this one then stops.
  const run = ++peer.catchUpRun;
  for (;;) {
    await drained(peer);
    if (!peer.open || peer.conversationId !== id || peer.catchUpRun !== run) return;
    const { events, more } = await ctx.conversations.eventsPage(id, peer.lastSeq);
    if (peer.conversationId !== id || peer.catchUpRun !== run) return;
    ctx.hub.sendVisitorEvents(peer, events, true);
    if (!more && (peer.lastSeq >= peer.heldSeq || events.length === 0)) break;
  }
  peer.catchingUp = false;
}

async function catchUpAgent(peer: AgentPeer, id: string, ctx: RelayContext): Promise<void> {
  if (peer.agentCatchUps.has(id)) return;
  peer.agentCatchUps.add(id);
  try {
    for (;;) {
      await drained(peer);
      if (!peer.open) return;
      const { events, more } = await ctx.conversations.eventsPage(id, peer.seen.get(id) ?? 0);
      ctx.hub.sendAgentEvents(peer, id, events, true);
      const held = peer.catchingUp.get(id) ?? 0;
      if (!more && ((peer.seen.get(id) ?? 0) >= held || events.length === 0)) break;
    }
    peer.catchingUp.delete(id);
  } finally {
    peer.agentCatchUps.delete(id);
  }
}
