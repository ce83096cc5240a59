/**
 * The hand-offs that wait for an answer, as support floors have them: a transfer to an
 * agent is a request the receiver accepts or declines (the chat stays with its owner
 * until then; the owner may withdraw it); a conference starts with an invitation; an
 * offer (`--routing auto`) waits for its agent. Each is an event in the log (for agents
 * only), so every relay sees the same open request and the log's compare-and-set picks
 * one winner of any race (two accepts, an accept after a withdraw). Unanswered ones run
 * out (`expire`, from a timer of the service). Also here: leaving a conference, and
 * handing back the chats of an agent gone offline for too long (`agentGone`).
 */
import { isGuest, type AgentRef, type EventBody } from '../protocol/index.js';
import type { Availability } from './availability.js';
import type { ConversationCache, Entry } from './conversation-cache.js';
import type { ConversationLog } from './conversation-log.js';
import { done, fail, type Outcome } from './errors.js';
import type { Serially } from './handoffs.js';
import type { KeyedLock } from './keyed-lock.js';
import type { Store } from './store.js';

/** What the requests read and write. */
export interface RequestParts {
  store: Store;
  cache: ConversationCache;
  log: () => ConversationLog;
  availability: Availability;
  serially: Serially;
  /** One capacity decision at a time per agent, here (claims and accepts). */
  agentLock: KeyedLock;
  now: () => number;
  /** How long a transfer request or an invitation waits for its answer. */
  requestMs: number;
  /** How long an offer waits for its agent. */
  offerMs: number;
}

const committed = async (out: Promise<Outcome<unknown>>): Promise<Outcome<void>> => {
  const r = await out;
  return r.ok ? done(undefined) : r;
};

/** Transfer requests, invitations, offers, and leaving. */
export class Requests {
  constructor(private readonly p: RequestParts) {}

  private until(ms: number): string {
    return new Date(this.p.now() + ms).toISOString();
  }

  /** The agent another one names, if they may be asked: not the asker, online, known. */
  private async target(asker: AgentRef, toAgentId: string): Promise<Outcome<AgentRef>> {
    const to = await this.p.store.getAgent(toAgentId);
    if (!to) return fail('not_found', 'no such agent', 'toAgentId');
    if (to.id === asker.id) return fail('conflict', 'you cannot ask yourself', 'toAgentId');
    const ref = { id: to.id, name: to.name };
    const online = this.p.availability.mustBeOnline(ref, false);
    return online.ok ? done(ref) : online;
  }

  /** The owner's entry, when no other request of theirs waits on this chat. */
  private async ownedAndFree(agent: AgentRef, id: string): Promise<Outcome<Entry>> {
    const e = await this.p.cache.owned(agent, id);
    if (!e.ok) return e;
    if (e.value.state.transferRequest) return fail('conflict', 'a transfer request for this chat is waiting for an answer');
    if (e.value.state.invite) return fail('conflict', 'an invitation into this chat is waiting for an answer');
    return e;
  }

  /** The owner asks another agent to take the chat over (run serially). */
  async requestTransfer(agent: AgentRef, id: string, toAgentId: string, note?: string): Promise<Outcome<void>> {
    const e = await this.ownedAndFree(agent, id);
    if (!e.ok) return e;
    const to = await this.target(agent, toAgentId);
    if (!to.ok) return to;
    if (isGuest(e.value.state, to.value.id)) return fail('conflict', `${to.value.name} is in this chat already`, 'toAgentId');
    const room = await this.p.availability.mustHaveRoom(to.value, false);
    if (!room.ok) return room;
    const body: EventBody = { type: 'transfer_requested', from: agent, to: to.value, until: this.until(this.p.requestMs), ...(note ? { note } : {}) };
    return committed(this.p.log().commit(id, [body]));
  }

  /** The owner invites another agent into the chat beside them (run serially). */
  async invite(agent: AgentRef, id: string, toAgentId: string): Promise<Outcome<void>> {
    const e = await this.ownedAndFree(agent, id);
    if (!e.ok) return e;
    const to = await this.target(agent, toAgentId);
    if (!to.ok) return to;
    if (isGuest(e.value.state, to.value.id)) return fail('conflict', `${to.value.name} is in this chat already`, 'toAgentId');
    return committed(this.p.log().commit(id, [{ type: 'invited', from: agent, to: to.value, until: this.until(this.p.requestMs) }]));
  }

  /** Offers a queued chat to an agent (the router, run serially); false when it no longer may. */
  async offer(agent: AgentRef, id: string): Promise<Outcome<void>> {
    const e = await this.p.cache.live(id);
    if (!e.ok) return e;
    // A message left while nobody could answer waits for an agent to pick it, never for an offer.
    if (e.value.state.status !== 'queued' || e.value.state.offer || e.value.state.offline) return fail('conflict', 'not waiting for an offer');
    return committed(this.p.log().commit(id, [{ type: 'offered', agent, until: this.until(this.p.offerMs) }]));
  }

  /**
   * Accepts what waits for `agent` in the chat: an offer (they own it), a transfer
   * request (they own it; its note goes with it) or an invitation (they join). One
   * capacity decision at a time per agent: two accepts cannot both take the last place.
   */
  accept(agent: AgentRef, id: string): Promise<Outcome<void>> {
    return this.p.agentLock.run(agent.id, () => this.p.serially(id, () => this.acceptNow(agent, id)));
  }

  private async acceptNow(agent: AgentRef, id: string): Promise<Outcome<void>> {
    const e = await this.p.cache.live(id);
    if (!e.ok) return e;
    const s = e.value.state;
    const at = new Date(this.p.now()).toISOString();
    if (s.offer?.agent.id === agent.id || s.transferRequest?.to.id === agent.id) {
      const until = s.offer?.agent.id === agent.id ? s.offer.until : s.transferRequest!.until;
      if (until <= at) return fail('timeout', 'this has run out; it was not accepted in time');
      const can = await this.p.availability.canTake(agent, true);
      if (!can.ok) return can;
      if (s.offer?.agent.id === agent.id) return committed(this.p.log().commit(id, [{ type: 'claimed', agent, via: 'offer' }], can.value));
      const r = s.transferRequest!;
      const note = r.note ? { note: r.note } : {};
      return committed(this.p.log().commit(id, [{ type: 'transferred', from: r.from, to: { agent }, ...note }, { type: 'claimed', agent }], can.value));
    }
    if (s.invite?.to.id === agent.id) {
      if (s.invite.until <= at) return fail('timeout', 'this invitation has run out');
      const online = this.p.availability.mustBeOnline(agent, true);
      if (!online.ok) return online;
      return committed(this.p.log().commit(id, [{ type: 'joined', agent }]));
    }
    return fail('not_found', 'nothing in this chat waits for your answer');
  }

  /** Declines what waits for `agent` in the chat (run serially). */
  async decline(agent: AgentRef, id: string): Promise<Outcome<void>> {
    const e = await this.p.cache.live(id);
    if (!e.ok) return e;
    const body = this.answer(e.value, agent.id, 'declined');
    return body ? committed(this.p.log().commit(id, [body])) : fail('not_found', 'nothing in this chat waits for your answer');
  }

  /** The owner withdraws their transfer request or invitation (run serially). */
  async withdraw(agent: AgentRef, id: string): Promise<Outcome<void>> {
    const e = await this.p.cache.owned(agent, id);
    if (!e.ok) return e;
    const { transferRequest: t, invite: i } = e.value.state;
    if (t) return committed(this.p.log().commit(id, [{ type: 'transfer_declined', from: t.from, to: t.to, reason: 'canceled' }]));
    if (i) return committed(this.p.log().commit(id, [{ type: 'invite_declined', from: i.from, to: i.to, reason: 'canceled' }]));
    return fail('not_found', 'you have asked nobody about this chat');
  }

  /** The event that ends what waits for `agentId` (`declined`) or for anyone (`timeout`, when run out). */
  private answer(e: Entry, agentId: string | null, reason: 'declined' | 'timeout'): EventBody | null {
    const { offer, transferRequest: t, invite: i } = e.state;
    const at = new Date(this.p.now()).toISOString();
    const mine = (to: string, until: string): boolean => (agentId === null ? until <= at : to === agentId);
    if (offer && mine(offer.agent.id, offer.until)) return { type: 'offer_declined', agent: offer.agent, reason };
    if (t && mine(t.to.id, t.until)) return { type: 'transfer_declined', from: t.from, to: t.to, reason };
    if (i && mine(i.to.id, i.until)) return { type: 'invite_declined', from: i.from, to: i.to, reason };
    return null;
  }

  /** Ends the requests of the chat that have run out (run serially); true when one did. */
  async expire(id: string): Promise<boolean> {
    const e = await this.p.cache.entry(id);
    if (!e || e.state.status === 'ended') return false;
    const body = this.answer(e, null, 'timeout');
    return body !== null && (await this.p.log().commit(id, [body])).ok;
  }

  /** Leaves a conference (run serially): a guest goes; the owner hands the chat to the first guest, then goes. */
  async leave(agent: AgentRef, id: string): Promise<Outcome<void>> {
    const e = await this.p.cache.live(id);
    if (!e.ok) return e;
    const s = e.value.state;
    if (isGuest(s, agent.id)) return committed(this.p.log().commit(id, [{ type: 'left', agent }]));
    if (s.owner?.id !== agent.id) return fail('forbidden', 'you are not in this chat');
    const heir = s.guests[0];
    if (!heir) return fail('conflict', 'nobody else is in this chat: end it or transfer it instead');
    return committed(this.p.log().commit(id, [{ type: 'transferred', from: agent, to: { agent: heir } }, { type: 'left', agent }]));
  }

  /**
   * Hands back what an agent gone too long held in the chat (run serially; `gone` says
   * who is gone): a guest leaves; an owner's chat goes to a guest who is still here, or
   * back to the queue at its place (the customer is told they wait for the next agent).
   */
  async agentGone(id: string, gone: (agentId: string) => boolean): Promise<boolean> {
    const e = await this.p.cache.entry(id);
    if (!e || e.state.status !== 'active') return false;
    const s = e.state;
    const bodies: EventBody[] = s.guests.filter((g) => gone(g.id)).map((agent) => ({ type: 'left', agent }));
    const owner = s.owner;
    if (owner && gone(owner.id)) {
      const heir = s.guests.find((g) => !gone(g.id));
      if (heir) bodies.push({ type: 'transferred', from: owner, to: { agent: heir } }, { type: 'left', agent: owner });
      else bodies.push({ type: 'transferred', from: owner, to: { queue: true }, reason: 'offline' });
    }
    if (bodies.length === 0) return false;
    return (await this.p.log().commit(id, bodies)).ok;
  }
}
