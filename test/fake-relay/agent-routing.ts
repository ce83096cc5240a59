/**
 * How the fake relay routes chats between agents, for its agent endpoint: offers,
 * transfer requests, invitations, and Jane's answers to them (accept, decline,
 * withdraw, leave) as docs/protocol.md section 6 says, each an event in the model's
 * log. Kept apart from the endpoint's socket handling so each file has one job. The
 * console is always Jane's; other agents act through the model (`append`, `offer`…).
 */
import type { AgentFrame, AgentRef, ErrorCode, LogEvent } from '../../src/protocol/index.js';
import { foldAgentLog } from '../../src/protocol/index.js';
import { JANE, type RelayModel } from './model.js';

/** The frames answered here. */
export type RoutingFrame = Extract<AgentFrame, { t: 'transfer' | 'invite' | 'accept' | 'decline' | 'withdraw' | 'leave' }>;

/** How an answer goes back on the socket the frame came on. */
export interface Reply {
  ok(): void;
  error(code: ErrorCode, message: string): void;
}

const ROUTING: readonly AgentFrame['t'][] = ['transfer', 'invite', 'accept', 'decline', 'withdraw', 'leave'];

export const isRouting = (f: AgentFrame): f is RoutingFrame => ROUTING.includes(f.t);

const state = (model: RelayModel, id: string) => foldAgentLog(model.conversation(id).log);

/** The relay offers a queued chat to an agent for `ms` of the fake clock. */
export function offer(model: RelayModel, id: string, agent: AgentRef, ms: number): LogEvent {
  return model.append(id, { type: 'offered', agent, until: new Date(model.now + ms).toISOString() });
}

/** The agent a transfer request of the chat names takes it over (as their console would). */
export function acceptTransfer(model: RelayModel, id: string): void {
  const r = state(model, id).transferRequest;
  if (!r) throw new Error(`no transfer request in ${id}`);
  model.append(id, { type: 'transferred', from: r.from, to: { agent: r.to }, ...(r.note ? { note: r.note } : {}) });
  model.append(id, { type: 'claimed', agent: r.to });
}

/** The model's answer to one of Jane's routing frames; requests she makes wait `requestMs`. */
export function answerRouting(model: RelayModel, f: RoutingFrame, reply: Reply, requestMs: number): void {
  const id = f.conversationId;
  const until = () => new Date(model.now + requestMs).toISOString();
  const online = (agentId: string) => {
    const to = model.agents.find((a) => a.id === agentId)!;
    if (to.status !== 'online') reply.error('unavailable', `${to.name} is ${to.status}`);
    return to.status === 'online' ? { id: to.id, name: to.name } : null;
  };
  const st = state(model, id);
  switch (f.t) {
    case 'transfer': {
      const to = f.toAgentId ? online(f.toAgentId) : null;
      if (f.toAgentId && !to) return;
      reply.ok();
      const note = f.note ? { note: f.note } : {};
      if (!to) model.append(id, { type: 'transferred', from: JANE, to: { queue: true }, ...note });
      else model.append(id, { type: 'transfer_requested', from: JANE, to, until: until(), ...note });
      return;
    }
    case 'invite': {
      const to = online(f.toAgentId);
      if (!to) return;
      reply.ok();
      model.append(id, { type: 'invited', from: JANE, to, until: until() });
      return;
    }
    case 'accept':
      if (st.offer?.agent.id === JANE.id) {
        reply.ok();
        model.append(id, { type: 'claimed', agent: JANE, via: 'offer' });
      } else if (st.transferRequest?.to.id === JANE.id) {
        reply.ok();
        acceptTransfer(model, id);
      } else if (st.invite?.to.id === JANE.id) {
        reply.ok();
        model.append(id, { type: 'joined', agent: JANE });
      } else reply.error('not_found', 'nothing waits for your answer');
      return;
    case 'decline':
      if (st.offer?.agent.id === JANE.id) model.append(id, { type: 'offer_declined', agent: JANE, reason: 'declined' });
      else if (st.transferRequest?.to.id === JANE.id) model.append(id, { type: 'transfer_declined', from: st.transferRequest.from, to: JANE, reason: 'declined' });
      else if (st.invite?.to.id === JANE.id) model.append(id, { type: 'invite_declined', from: st.invite.from, to: JANE, reason: 'declined' });
      else return reply.error('not_found', 'nothing waits for your answer');
      reply.ok();
      return;
    case 'withdraw': {
      const { transferRequest: t, invite: i } = st;
      if (t) model.append(id, { type: 'transfer_declined', from: t.from, to: t.to, reason: 'canceled' });
      else if (i) model.append(id, { type: 'invite_declined', from: i.from, to: i.to, reason: 'canceled' });
      else return reply.error('not_found', 'nothing to withdraw');
      reply.ok();
      return;
    }
    case 'leave': {
      const heir = st.guests.find((g) => g.id !== JANE.id);
      if (st.guests.some((g) => g.id === JANE.id)) {
        reply.ok();
        model.append(id, { type: 'left', agent: JANE });
      } else if (st.owner?.id === JANE.id && heir) {
        reply.ok();
        model.append(id, { type: 'transferred', from: JANE, to: { agent: heir } });
        model.append(id, { type: 'left', agent: JANE });
      } else reply.error('conflict', 'nobody else is in this chat');
      return;
    }
  }
}
