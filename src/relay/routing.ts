/**
 * Routing, as the service's agents use it: the verbs that move a chat between hands
 * (claim, transfer, accept, decline, withdraw, invite, leave), each run one at a time
 * per conversation (and, where capacity counts, per agent), and the clock of routing
 * (`tick`, every second): requests that ran out are declined as `timeout`; the chats of
 * an agent gone longer than `agentGoneMs` go to a guest or back to the queue at their
 * place; and with `auto` routing, the relay that leads offers each waiting chat to an
 * agent (`offers.ts`). Time before this relay started does not count as gone.
 */
import { isGuest, type AgentRef } from '../protocol/index.js';
import { Availability } from './availability.js';
import type { ConversationCache } from './conversation-cache.js';
import type { ConversationLog } from './conversation-log.js';
import { done, type Outcome } from './errors.js';
import type { Handoffs, Serially } from './handoffs.js';
import { KeyedLock } from './keyed-lock.js';
import { chooseAgent, type Candidate } from './offers.js';
import type { Presence } from './presence.js';
import { Requests } from './requests.js';
import type { Store } from './store.js';

/** How chats find agents: agents pick from the queue, or the relay offers them. */
export type RoutingMode = 'manual' | 'auto';

/** Routing's options; times in milliseconds. */
export interface RoutingOptions {
  mode: RoutingMode;
  /** How long an offer waits for its agent (default 30 s). */
  offerMs: number;
  /** How long a transfer request or invitation waits (default 60 s). */
  requestMs: number;
  /** How long an agent may be without a console before their chats are handed on (default 2 min). */
  agentGoneMs: number;
}

export const ROUTING_DEFAULTS: RoutingOptions = { mode: 'manual', offerMs: 30_000, requestMs: 60_000, agentGoneMs: 120_000 };

/** What routing reads and writes. */
export interface RoutingParts {
  store: Store;
  cache: ConversationCache;
  log: () => ConversationLog;
  presence: Presence;
  handoffs: Handoffs;
  serially: Serially;
  now: () => number;
  /** When this process started (ms). */
  startedAt: number;
}

export class Routing {
  readonly availability: Availability;
  private readonly requests: Requests;
  private readonly agentLock = new KeyedLock();
  /** When this relay last offered each agent a chat (ms). */
  private readonly lastOffered = new Map<string, number>();

  constructor(
    private readonly p: RoutingParts,
    readonly options: RoutingOptions,
  ) {
    this.availability = new Availability(p.store, p.presence);
    this.requests = new Requests({ ...p, availability: this.availability, agentLock: this.agentLock, requestMs: options.requestMs, offerMs: options.offerMs });
  }

  /** Claims a queued conversation: one claimer wins on any relay; the agent must be online with room. */
  claim(agent: AgentRef, id: string): Promise<Outcome<void>> {
    return this.agentLock.run(agent.id, () =>
      this.p.serially(id, async () => {
        const can = await this.availability.canTake(agent, true);
        return can.ok ? this.p.handoffs.claim(agent, id, can.value) : can;
      }),
    );
  }

  /** Back to the queue at once (`toAgentId` undefined), or a request that the other agent take it over. */
  transfer(agent: AgentRef, id: string, toAgentId: string | undefined, note?: string): Promise<Outcome<void>> {
    if (toAgentId === undefined) return this.p.serially(id, () => this.p.handoffs.transferToQueue(agent, id, note));
    return this.p.serially(id, () => this.requests.requestTransfer(agent, id, toAgentId, note));
  }

  accept(agent: AgentRef, id: string): Promise<Outcome<void>> {
    return this.requests.accept(agent, id);
  }

  decline(agent: AgentRef, id: string): Promise<Outcome<void>> {
    return this.p.serially(id, () => this.requests.decline(agent, id));
  }

  withdraw(agent: AgentRef, id: string): Promise<Outcome<void>> {
    return this.p.serially(id, () => this.requests.withdraw(agent, id));
  }

  invite(agent: AgentRef, id: string, toAgentId: string): Promise<Outcome<void>> {
    return this.p.serially(id, () => this.requests.invite(agent, id, toAgentId));
  }

  leave(agent: AgentRef, id: string): Promise<Outcome<void>> {
    return this.p.serially(id, () => this.requests.leave(agent, id));
  }

  /** Open chats the agent is a guest in, or asked to take over or join, oldest first. */
  involving(agentId: string): string[] {
    const out: string[] = [];
    for (const id of this.p.log().queue.known()) {
      const s = this.p.cache.cached(id)?.state;
      if (s && (isGuest(s, agentId) || s.transferRequest?.to.id === agentId || s.invite?.to.id === agentId)) out.push(id);
    }
    return out;
  }

  /** True when the agent has had no console anywhere for `agentGoneMs` (counted from this relay's start at the earliest). */
  private gone(agentId: string): boolean {
    if (this.p.presence.presenceOf(agentId) !== 'offline') return false;
    const since = Math.max(this.p.startedAt, this.p.presence.agentGoneSince(agentId) ?? 0);
    return this.p.now() - since >= this.options.agentGoneMs;
  }

  /** Runs out requests, hands on gone agents' chats, and (auto) offers waiting chats. */
  async tick(): Promise<void> {
    const at = new Date(this.p.now()).toISOString();
    for (const id of [...this.p.log().queue.known()]) {
      const e = this.p.cache.cached(id);
      if (!e || e.state.status === 'ended') continue;
      const { offer, transferRequest, invite, owner, guests } = e.state;
      if ([offer, transferRequest, invite].some((r) => r && r.until <= at)) await this.p.serially(id, async () => done(await this.requests.expire(id)));
      if (e.state.status === 'active' && [owner, ...guests].some((a) => a && this.gone(a.id))) {
        await this.p.serially(id, async () => done(await this.requests.agentGone(id, (a) => this.gone(a))));
      }
    }
    if (this.options.mode === 'auto' && this.p.presence.leads()) await this.offerWaiting();
  }

  /** Offers each queued chat without an offer to the agent `chooseAgent` picks, oldest chat first. */
  private async offerWaiting(): Promise<void> {
    const queued = this.p.log().queue.queued();
    if (queued.length === 0) return;
    const waitingOffers = new Map<string, number>();
    const unoffered: string[] = [];
    for (const id of queued) {
      const offer = (await this.p.cache.entry(id))?.state.offer;
      if (offer) waitingOffers.set(offer.agent.id, (waitingOffers.get(offer.agent.id) ?? 0) + 1);
      else unoffered.push(id);
    }
    if (unoffered.length === 0) return;
    const candidates: Candidate[] = [];
    for (const a of await this.p.store.listAgents()) {
      if (!this.availability.isOnline(a.id)) continue;
      const load = await this.availability.load(a.id);
      if (!load) continue;
      const free = load.capacity - load.active - (waitingOffers.get(a.id) ?? 0);
      candidates.push({ id: a.id, name: a.name, free, lastOffered: this.lastOffered.get(a.id) ?? 0 });
    }
    for (const id of unoffered) {
      const e = await this.p.cache.entry(id);
      if (!e) continue;
      const pick = chooseAgent(candidates, e.state.declinedBy, this.p.now());
      if (!pick) continue;
      const out = await this.p.serially(id, () => this.requests.offer({ id: pick.id, name: pick.name }, id));
      if (!out.ok) continue;
      pick.free--;
      pick.lastOffered = this.p.now();
      this.lastOffered.set(pick.id, pick.lastOffered);
    }
  }
}
