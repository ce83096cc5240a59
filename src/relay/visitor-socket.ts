/**
 * The visitor endpoint (`/v1/visitor`, docs/protocol.md, "Visitor frames"): parses each frame
 * once, answers it, and binds the socket to its conversation after `welcome`, so the
 * reply to `hello`/`resume` always precedes that conversation's other frames.
 */
import type { WebSocket } from 'ws';
import {
  CloseCode,
  MAX_SOCKETS_PER_CONVERSATION,
  parseVisitorFrame,
  visitorLog,
  type ParseResult,
  type VisitorFrame,
} from '../protocol/index.js';
import { catchUp } from './catch-up.js';
import { checkIdentity } from './identity.js';
import { queueFields } from './queue-wait.js';
import { addressKey } from './client-address.js';
import type { RelayContext } from './context.js';
import type { VisitorPeer } from './hub.js';

/** Serves one visitor socket until it closes. */
export function handleVisitorSocket(ws: WebSocket, ip: string, ctx: RelayContext): void {
  const peer = ctx.hub.visitor(ws, ip);
  // A socket that never joins a conversation holds resources for nothing.
  const helloTimer = setTimeout(() => {
    if (peer.conversationId === null) peer.close(CloseCode.POLICY, 'no hello');
  }, ctx.options.helloTimeoutMs);
  helloTimer.unref();
  ws.on('message', (data, isBinary) => {
    const parsed: ParseResult<VisitorFrame> = isBinary
      ? { ok: false, error: { code: 'bad_frame', message: 'frames must be text' } }
      : parseVisitorFrame(data.toString('utf8'));
    peer.dispatch(parsed, (frame) => onFrame(peer, frame, ctx), ctx.log);
  });
  ws.on('close', () => {
    clearTimeout(helloTimer);
    try {
      leave(peer, ctx, ctx.hub.removeVisitor(peer));
    } catch (err) {
      ctx.log(`visitor close bookkeeping failed: ${String(err)}`);
    }
  });
  ws.on('error', () => peer.terminate());
}

/** Counts the socket as its conversation's visitor, online (once welcomed). */
function join(peer: VisitorPeer, ctx: RelayContext, id: string): void {
  peer.present = true;
  ctx.conversations.visitorAttached(id);
}

/** The socket no longer speaks for conversation `id` (if it was counted there). */
function leave(peer: VisitorPeer, ctx: RelayContext, id: string | null): void {
  if (id !== null && peer.present) ctx.conversations.visitorDetached(id);
  peer.present = false;
}

/** The close that follows each refusal of `hello` or `resume` (the client must not retry at once). */
const CLOSE_AFTER = { rate_limited: CloseCode.RATE_LIMITED, blocked: CloseCode.BLOCKED, unauthorized: CloseCode.UNAUTHORIZED } as const;

/** Refuses a `hello` or `resume` and closes the socket with the code that goes with the refusal. */
function turnAway(peer: VisitorPeer, code: keyof typeof CLOSE_AFTER, message: string, id: string): void {
  peer.refuse({ code, message }, id);
  peer.close(CLOSE_AFTER[code], code === 'rate_limited' ? 'rate limited' : code);
}

/** Starts the chat a `hello` asks for, once its place is held: the checks, the commit, the welcome. */
async function hello(peer: VisitorPeer, f: Extract<VisitorFrame, { t: 'hello' }>, ctx: RelayContext): Promise<void> {
  const conv = ctx.conversations;
  const identity = checkIdentity(ctx.options.identitySecret, ctx.options.requireIdentity, f.email, f.signature);
  // A verified email is blocked from any address (`blocks.ts`), a typed one only where it was blocked.
  if (await conv.isBlocked(f.email, peer.ip, identity.ok && identity.value)) {
    return turnAway(peer, 'blocked', 'this chat is not available', f.id);
  }
  if (!identity.ok) return peer.refuse(identity.error, f.id);
  const wait = await ctx.queueWait.estimate();
  const visitor = { email: f.email, ...(f.name ? { name: f.name } : {}), ...(identity.value ? { verified: true } : {}) };
  // A socket that went away while the checks waited makes no chat.
  if (!peer.open) return;
  leave(peer, ctx, ctx.hub.detachVisitor(peer));
  // With `message`, the customer leaves it for the team: a chat outside the live queue.
  const started = await conv.create(visitor, f.page, peer.ip, f.message);
  // A message left past the customer's message limits is refused like a hello past its own.
  if (!started.ok) return turnAway(peer, 'rate_limited', started.error.message, f.id);
  const made = started.value;
  // Gone while the chat was stored: it is abandoned in time like any other (a message left waits).
  if (!peer.open) return;
  const position = conv.queuePosition(made.id);
  peer.send({
    t: 'welcome',
    id: f.id,
    token: made.token,
    conversation: { id: made.id, status: 'queued', ...queueFields(position, wait) },
    events: made.events,
  });
  ctx.hub.attachVisitor(peer, made.id, made.events[made.events.length - 1]!.seq, position);
  join(peer, ctx, made.id);
}

async function onFrame(peer: VisitorPeer, f: VisitorFrame, ctx: RelayContext): Promise<void> {
  const conv = ctx.conversations;
  switch (f.t) {
    case 'ping':
      peer.send(f.id !== undefined ? { t: 'pong', id: f.id } : { t: 'pong' });
      return;
    case 'hello': {
      if (!(await ctx.helloLimiter.hit(addressKey(peer.ip)))) {
        return turnAway(peer, 'rate_limited', 'too many new chats from this address; try again in a minute', f.id);
      }
      // The chat's place among the address's open chats is held at once, before anything
      // waits: hellos racing from one address cannot pass the limit together.
      const place = conv.holdPlace(peer.ip, f.message !== undefined);
      if (!place.ok) return turnAway(peer, 'rate_limited', place.error.message, f.id);
      try {
        return await hello(peer, f, ctx);
      } finally {
        place.value();
      }
    }
    case 'resume': {
      if (!(await ctx.resumeLimiter.hit(addressKey(peer.ip)))) {
        return turnAway(peer, 'rate_limited', 'too many reconnections from this address; try again in a minute', f.id);
      }
      if (!(await conv.authenticate(f.conversationId, f.token))) {
        return turnAway(peer, 'unauthorized', 'this token does not open that conversation', f.id);
      }
      if (await conv.visitorBlocked(f.conversationId)) {
        return turnAway(peer, 'blocked', 'this chat is not available', f.id);
      }
      if (peer.conversationId !== f.conversationId && ctx.hub.visitorsOn(f.conversationId) >= MAX_SOCKETS_PER_CONVERSATION) {
        peer.refuse({ code: 'rate_limited', message: `this chat is open in ${MAX_SOCKETS_PER_CONVERSATION} places already; close one` }, f.id);
        peer.close(CloseCode.RATE_LIMITED, 'too many sockets');
        return;
      }
      leave(peer, ctx, ctx.hub.detachVisitor(peer));
      // Bound at once, holding live events back: none is lost or goes ahead of the welcome
      // while the first page is read.
      ctx.hub.attachVisitor(peer, f.conversationId, f.afterSeq, undefined, false);
      peer.catchingUp = true;
      peer.catchUpRun++;
      const { events, more } = await conv.eventsPage(f.conversationId, f.afterSeq);
      const state = (await conv.state(f.conversationId))!;
      const wait = await ctx.queueWait.estimate();
      // Gone meanwhile: the close already unbound it.
      if (!peer.open || peer.conversationId !== f.conversationId) return;
      const position = conv.queuePosition(f.conversationId);
      peer.send({
        t: 'welcome',
        id: f.id,
        token: f.token,
        conversation: { id: f.conversationId, status: state.status, ...queueFields(position, wait) },
        events: visitorLog(events),
      });
      // A long log: the welcome held its first page, and the rest follows before anything
      // live; so do events committed while the page was read.
      const sent = events.length > 0 ? events[events.length - 1]!.seq : f.afterSeq;
      peer.lastSeq = sent;
      peer.lastPosition = position;
      peer.welcomed = true;
      join(peer, ctx, f.conversationId);
      if (more || peer.heldSeq > sent || state.lastSeq > sent) catchUp(peer, f.conversationId, ctx);
      else peer.catchingUp = false;
      return;
    }
  }
  const id = peer.conversationId;
  if (id === null) {
    if (f.t === 'typing' || f.t === 'read') return;
    peer.refuse({ code: 'unauthorized', message: 'send hello or resume first' }, f.id);
    return;
  }
  switch (f.t) {
    case 'send': {
      const r = await conv.send({ kind: 'visitor', address: peer.ip }, id, f.clientId, f.text);
      if (!r.ok) return peer.refuse(r.error, f.id);
      peer.send({ t: 'ack', ...(f.id !== undefined ? { id: f.id } : {}), clientId: f.clientId, seq: r.value.seq });
      return;
    }
    case 'typing':
      await conv.sideChannels.visitorTyping(id, f.on);
      return;
    case 'read':
      await conv.sideChannels.visitorRead(id, f.upToSeq);
      return;
    case 'cancel_upload': {
      const r = await conv.uploads.cancelUpload({ kind: 'visitor' }, id, f.requestId);
      if (!r.ok) return peer.refuse(r.error, f.id);
      if (f.id !== undefined) peer.send({ t: 'ok', id: f.id });
      return;
    }
    case 'end': {
      const r = await conv.end({ kind: 'visitor' }, id);
      if (!r.ok) return peer.refuse(r.error, f.id);
      if (f.id !== undefined) peer.send({ t: 'ok', id: f.id });
      return;
    }
    case 'rate': {
      const r = await conv.rate(id, f.value, f.comment);
      if (!r.ok) return peer.refuse(r.error, f.id);
      if (f.id !== undefined) peer.send({ t: 'ok', id: f.id });
      return;
    }
  }
}
