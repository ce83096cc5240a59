/**
 * The agent endpoint (`/v1/agent`, docs/protocol.md, "Agent frames"): the first frame must be a
 * `hello` with a valid agent token (anything else closes 4401); after that each frame
 * is parsed once and handed to the conversation service as that agent.
 */
import type { WebSocket } from 'ws';
import { CloseCode, parseAgentFrame, type AgentFrame, type AgentRef, type ParseResult, type ProtocolError } from '../protocol/index.js';
import type { RelayContext } from './context.js';
import { takePage } from './paging.js';
import type { AgentPeer } from './hub.js';
import { catchUp } from './catch-up.js';
import type { Outcome } from './errors.js';

/** Serves one agent socket until it closes. */
export function handleAgentSocket(ws: WebSocket, ip: string, ctx: RelayContext): void {
  const peer = ctx.hub.agentSocket(ws, ip);
  // An agent socket must sign in promptly; one that never does is closed as unauthorized.
  const helloTimer = setTimeout(() => {
    if (!peer.agent) peer.close(CloseCode.UNAUTHORIZED, 'no hello');
  }, ctx.options.helloTimeoutMs);
  helloTimer.unref();
  ws.on('close', () => clearTimeout(helloTimer));
  let helloSeen = false;
  ws.on('message', (data, isBinary) => {
    const parsed: ParseResult<AgentFrame> = isBinary
      ? { ok: false, error: { code: 'bad_frame', message: 'frames must be text' } }
      : parseAgentFrame(data.toString('utf8'));
    // The first frame must be a hello; the frames after it wait for its answer (`dispatch`).
    if (!helloSeen) {
      if (!parsed.ok || parsed.frame.t !== 'hello') {
        const error: ProtocolError = parsed.ok ? { code: 'unauthorized', message: 'the first frame must be hello' } : parsed.error;
        peer.refuse(error, parsed.ok ? undefined : parsed.id);
        peer.close(CloseCode.UNAUTHORIZED, 'unauthorized');
        return;
      }
      helloSeen = true;
    }
    peer.dispatch(parsed, (frame) => onFrame(peer, frame, ctx), ctx.log);
  });
  ws.on('close', () => {
    try {
      ctx.hub.removeAgent(peer);
      if (peer.agent) ctx.conversations.agents.detached(peer.agent);
    } catch (err) {
      ctx.log(`agent close bookkeeping failed: ${String(err)}`);
    }
  });
  ws.on('error', () => peer.terminate());
}

function reply(peer: AgentPeer, r: Outcome<unknown>, id: string | undefined): void {
  if (!r.ok) peer.refuse(r.error, id);
  else if (id !== undefined) peer.send({ t: 'ok', id });
}

async function onFrame(peer: AgentPeer, f: AgentFrame, ctx: RelayContext): Promise<void> {
  const conv = ctx.conversations;
  if (f.t === 'hello') {
    if (peer.agent) return peer.refuse({ code: 'conflict', message: 'already signed in' }, f.id);
    const account = await conv.agents.forToken(f.token);
    if (!account) {
      peer.refuse({ code: 'unauthorized', message: 'unknown agent token' }, f.id);
      peer.close(CloseCode.UNAUTHORIZED, 'unauthorized');
      return;
    }
    // Gone while the token was checked: nobody to count as online.
    if (!peer.open) return;
    const agent: AgentRef = { id: account.id, name: account.name };
    peer.agent = agent;
    peer.token = f.token;
    ctx.hub.attachAgent(peer);
    conv.agents.attached(agent);
    const first = await conv.listPage(agent.id);
    peer.send({ t: 'welcome', id: f.id, agent: account, agents: await conv.agents.list(), conversations: first.conversations, ...(first.next ? { next: first.next } : {}) });
    return;
  }
  // A hello that was refused closed the socket: nothing after it is handled.
  const me: AgentRef | null = peer.agent;
  if (!me) return;
  switch (f.t) {
    case 'ping':
      peer.send(f.id !== undefined ? { t: 'pong', id: f.id } : { t: 'pong' });
      return;
    case 'status':
      conv.agents.setStatus(me, f.value);
      if (f.id !== undefined) peer.send({ t: 'ok', id: f.id });
      return;
    case 'list': {
      const page = await conv.listPage(me.id, f.cursor);
      peer.send({ t: 'ok', id: f.id, conversations: page.conversations, ...(page.next ? { next: page.next } : {}) });
      return;
    }
    case 'watch': {
      const id = f.conversationId;
      if (!(await conv.state(id))) return peer.refuse({ code: 'not_found', message: 'no such conversation' }, f.id);
      // Live events wait while the page is read, so none is lost or goes ahead of the reply.
      ctx.hub.watch(peer, id, f.afterSeq);
      peer.catchingUp.set(id, peer.catchingUp.get(id) ?? 0);
      const { events, more } = await conv.eventsPage(id, f.afterSeq);
      peer.send({ t: 'ok', id: f.id, events, ...(more ? { more } : {}) });
      // Notes follow the last page, so a paged watch gets them once.
      if (!more) for (const note of await conv.sideChannels.notes(id)) peer.send({ t: 'note', conversationId: id, note });
      const sent = events.length > 0 ? events[events.length - 1]!.seq : f.afterSeq;
      const held = peer.catchingUp.get(id) ?? 0;
      peer.catchingUp.delete(id);
      // A paged watch asks for the pages between itself; live events go on from the end.
      const end = more ? Math.max(held, (await conv.state(id))?.lastSeq ?? sent) : sent;
      peer.seen.set(id, Math.max(peer.seen.get(id) ?? 0, end));
      if (!more && held > sent) catchUp(peer, id, ctx);
      return;
    }
    case 'unwatch':
      ctx.hub.unwatch(peer, f.conversationId);
      if (f.id !== undefined) peer.send({ t: 'ok', id: f.id });
      return;
    case 'blocks': {
      // The newest page of them; lifting some brings older ones into view.
      const { page, more } = takePage(await conv.blocks.list());
      peer.send({ t: 'ok', id: f.id, blocks: page, ...(more ? { more } : {}) });
      return;
    }
    case 'unblock':
      if (!(await conv.blocks.remove(f.blockId))) return peer.refuse({ code: 'not_found', message: 'no such block' }, f.id);
      if (f.id !== undefined) peer.send({ t: 'ok', id: f.id });
      return;
    case 'claim':
      return reply(peer, await conv.routing.claim(me, f.conversationId), f.id);
    case 'accept':
      return reply(peer, await conv.routing.accept(me, f.conversationId), f.id);
    case 'decline':
      return reply(peer, await conv.routing.decline(me, f.conversationId), f.id);
    case 'withdraw':
      return reply(peer, await conv.routing.withdraw(me, f.conversationId), f.id);
    case 'invite':
      return reply(peer, await conv.routing.invite(me, f.conversationId, f.toAgentId), f.id);
    case 'leave':
      return reply(peer, await conv.routing.leave(me, f.conversationId), f.id);
    case 'send': {
      const r = await conv.send({ kind: 'agent', agent: me }, f.conversationId, f.clientId, f.text);
      if (!r.ok) return peer.refuse(r.error, f.id);
      peer.send({ t: 'ack', ...(f.id !== undefined ? { id: f.id } : {}), conversationId: f.conversationId, clientId: f.clientId, seq: r.value.seq });
      return;
    }
    case 'request_upload': {
      const r = await conv.uploads.requestUpload(me, f.conversationId, f.note);
      if (!r.ok) return peer.refuse(r.error, f.id);
      peer.send({ t: 'ok', id: f.id, requestId: r.value.requestId });
      return;
    }
    case 'cancel_upload':
      return reply(peer, await conv.uploads.cancelUpload({ kind: 'agent', agent: me }, f.conversationId, f.requestId), f.id);
    case 'transfer':
      return reply(peer, await conv.routing.transfer(me, f.conversationId, f.toAgentId, f.note), f.id);
    case 'end':
      return reply(peer, await conv.end({ kind: 'agent', agent: me }, f.conversationId), f.id);
    case 'block': {
      const r = await conv.block(me, f.conversationId, { ...(f.comment ? { comment: f.comment } : {}), byAddress: f.byAddress === true });
      if (!r.ok) return peer.refuse(r.error, f.id);
      if (f.id !== undefined) peer.send({ t: 'ok', id: f.id, blockId: r.value.blockId });
      return;
    }
    case 'note': {
      const r = await conv.sideChannels.addNote(me, f.conversationId, f.text);
      return reply(peer, r, f.id);
    }
    case 'typing': {
      const r = await conv.sideChannels.agentTyping(me, f.conversationId, f.on);
      if (!r.ok) peer.refuse(r.error);
      return;
    }
    case 'read': {
      const r = await conv.sideChannels.agentRead(me, f.conversationId, f.upToSeq);
      if (!r.ok) peer.refuse(r.error);
      return;
    }
  }
}

/**
 * Closes (4401) the sockets of agents whose token no longer signs them in: removed
 * from the store or given a new token while connected.
 */
export async function closeRevokedAgents(ctx: RelayContext): Promise<void> {
  for (const p of [...ctx.hub.agentPeers]) {
    if (p.agent && !(await ctx.conversations.agents.stillValid(p.agent.id, p.token))) p.close(CloseCode.UNAUTHORIZED, 'agent removed');
  }
}
