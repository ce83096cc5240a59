/**
 * Who is connected, across every relay: this relay counts its own visitor sockets per
 * conversation and agent sockets per agent (a person may have several tabs, so only
 * the first socket in and the last one out change anything), and hears the others on
 * the bus: a `presence` message when an agent's status changes on a relay, and every
 * few seconds a `heartbeat` with all that relay has connected. A relay not heard from
 * for three heartbeats is gone (killed, or cut off), and so is all it had. Agents are
 * told an agent's status across all relays, and only when it changes.
 */
import type { AgentPresence, AgentRef, AgentStatus } from '../protocol/index.js';
import type { BusMessage } from './bus.js';

/** How often a relay says what it has connected; three missed ones and it is gone. */
export const HEARTBEAT_MS = 5_000;

/** Counts one more socket under `key`; true when it is the first. */
function attach(counts: Map<string, number>, key: string): boolean {
  const n = (counts.get(key) ?? 0) + 1;
  counts.set(key, n);
  return n === 1;
}

/** Counts one socket fewer under `key`; true when it was the last. */
function detach(counts: Map<string, number>, key: string): boolean {
  const n = (counts.get(key) ?? 1) - 1;
  if (n > 0) counts.set(key, n);
  else counts.delete(key);
  return n <= 0;
}

/** What another relay last said it has connected. */
interface RemoteRelay {
  agents: Map<string, AgentPresence>;
  visitors: Set<string>;
  heardAt: number;
}

/** The best of several statuses: someone online anywhere is online. */
const RANK: Record<AgentStatus, number> = { offline: 0, away: 1, online: 2 };

/** Socket counts and statuses here, what other relays said, and the statuses agents were told. */
export class Presence {
  private readonly visitorSockets = new Map<string, number>();
  private readonly visitorLastSeen = new Map<string, number>();
  private readonly agentSockets = new Map<string, number>();
  private readonly agentStatus = new Map<string, AgentStatus>();
  private readonly names = new Map<string, string>();
  private readonly remote = new Map<string, RemoteRelay>();
  /** The status each agent was last told to be, across relays. */
  private readonly told = new Map<string, AgentStatus>();
  /** When each agent seen since this relay started went offline everywhere (ms). */
  private readonly wentOffline = new Map<string, number>();

  constructor(
    private readonly relayId: string,
    private readonly now: () => number,
    /** Publishes on the bus: `onlyHere` for what only this relay's sockets hear. */
    private readonly publish: (message: BusMessage, onlyHere?: boolean) => void,
    /** A conversation's visitor came online or went offline here: its summary changed. */
    private readonly visitorOnlineChanged: (id: string) => void,
    private readonly heartbeatMs = HEARTBEAT_MS,
    /** False while the bus cannot hear other relays: then none is judged gone. */
    private readonly hearing: () => boolean = () => true,
  ) {}

  // ---- visitors -----------------------------------------------------------

  /** True while a visitor socket is attached to the conversation, on any relay. */
  visitorOnline(id: string): boolean {
    if (this.visitorSockets.has(id)) return true;
    for (const r of this.remote.values()) if (r.visitors.has(id)) return true;
    return false;
  }

  /** When the conversation's visitor was last seen (here, or gone from another relay), if it was. */
  visitorLastSeenAt(id: string): number | undefined {
    return this.visitorLastSeen.get(id);
  }

  /** The conversation's visitor is here now. */
  visitorSeen(id: string): void {
    this.visitorLastSeen.set(id, this.now());
  }

  /** Forgets when the visitor of a conversation nobody needs any more was seen. */
  forgetVisitor(id: string): void {
    this.visitorLastSeen.delete(id);
  }

  /** Forgets when visitors were seen, for those not here and seen before `before` (ms). */
  forgetSeenBefore(before: number): void {
    for (const [id, t] of this.visitorLastSeen) if (t < before && !this.visitorSockets.has(id)) this.visitorLastSeen.delete(id);
  }

  /** A visitor socket joined the conversation. */
  visitorAttached(id: string): void {
    this.visitorSeen(id);
    if (attach(this.visitorSockets, id)) this.visitorOnlineChanged(id);
  }

  /** A visitor socket left the conversation. */
  visitorDetached(id: string): void {
    this.visitorSeen(id);
    if (detach(this.visitorSockets, id)) this.visitorOnlineChanged(id);
  }

  /** Conversations with a visitor socket on this relay. */
  localVisitors(): IterableIterator<string> {
    return this.visitorSockets.keys();
  }

  // ---- agents ---------------------------------------------------------------

  /** An agent's status as others see it: the best over every relay, offline without a socket. */
  presenceOf(agentId: string): AgentStatus {
    let best: AgentStatus = this.agentSockets.has(agentId) ? (this.agentStatus.get(agentId) ?? 'online') : 'offline';
    for (const r of this.remote.values()) {
      const s = r.agents.get(agentId)?.status;
      if (s && RANK[s] > RANK[best]) best = s;
    }
    return best;
  }

  /**
   * Since when the agent has had no socket on any relay (ms), when they went while this
   * relay ran; undefined while connected, or when not seen since this relay started.
   */
  agentGoneSince(agentId: string): number | undefined {
    return this.presenceOf(agentId) === 'offline' ? this.wentOffline.get(agentId) : undefined;
  }

  /** An agent socket signed in. */
  agentAttached(agent: AgentRef): void {
    this.names.set(agent.id, agent.name);
    if (attach(this.agentSockets, agent.id)) this.changedHere(agent, 'online');
  }

  /** An agent socket left. */
  agentDetached(agent: AgentRef): void {
    if (detach(this.agentSockets, agent.id)) this.changedHere(agent, 'offline');
  }

  /** An agent changed status. */
  setStatus(agent: AgentRef, status: AgentStatus): void {
    if (this.agentStatus.get(agent.id) === status) return;
    this.changedHere(agent, status);
  }

  private changedHere(agent: AgentRef, status: AgentStatus): void {
    if (status === 'offline') this.agentStatus.delete(agent.id);
    else this.agentStatus.set(agent.id, status);
    this.publish({ kind: 'presence', agent: { ...agent, status }, relayId: this.relayId });
    this.tell(agent.id);
  }

  /** Tells this relay's agents an agent's status across relays, when it differs from what they were told. */
  private tell(agentId: string): void {
    const status = this.presenceOf(agentId);
    if ((this.told.get(agentId) ?? 'offline') === status) return;
    if (status === 'offline') {
      this.told.delete(agentId);
      this.wentOffline.set(agentId, this.now());
    } else {
      this.told.set(agentId, status);
      this.wentOffline.delete(agentId);
    }
    this.publish({ kind: 'status', agent: { id: agentId, name: this.names.get(agentId) ?? '', status } }, true);
  }

  // ---- other relays ---------------------------------------------------------

  /**
   * True when this relay has the smallest id of the relays it hears: the one that does
   * what one relay should do for all (offering queued chats). A relay that dies stops
   * being heard within three heartbeats, and the next one takes over.
   */
  leads(): boolean {
    for (const id of this.remote.keys()) if (id < this.relayId) return false;
    return true;
  }

  /** What another relay said on the bus. */
  heard(m: Extract<BusMessage, { kind: 'presence' | 'heartbeat' }>): void {
    if (m.relayId === this.relayId) return;
    const t = this.now();
    let r = this.remote.get(m.relayId);
    if (!r) this.remote.set(m.relayId, (r = { agents: new Map(), visitors: new Set(), heardAt: t }));
    r.heardAt = t;
    const touched = new Set<string>();
    if (m.kind === 'presence') {
      r.agents.set(m.agent.id, m.agent);
      this.names.set(m.agent.id, m.agent.name);
      touched.add(m.agent.id);
    } else {
      for (const id of r.agents.keys()) touched.add(id);
      r.agents = new Map(m.agents.map((a) => [a.id, a]));
      for (const a of m.agents) {
        this.names.set(a.id, a.name);
        touched.add(a.id);
      }
      // Visitors who left that relay were last seen now.
      const visitors = new Set(m.visitors);
      for (const id of r.visitors) if (!visitors.has(id)) this.visitorSeen(id);
      r.visitors = visitors;
    }
    for (const id of touched) this.tell(id);
  }

  /** Says what this relay has connected, and forgets relays not heard from for three heartbeats. */
  beat(): void {
    const agents: AgentPresence[] = [...this.agentSockets.keys()].map((id) => ({ id, name: this.names.get(id) ?? '', status: this.agentStatus.get(id) ?? 'online' }));
    this.publish({ kind: 'heartbeat', relayId: this.relayId, agents, visitors: [...this.visitorSockets.keys()], at: this.now() });
    const t = this.now();
    // Deaf (Redis away), this relay cannot tell a dead relay from a silent one: all are
    // taken to be there, with their visitors, until they can be heard again.
    if (!this.hearing()) for (const r of this.remote.values()) r.heardAt = t;
    for (const [relayId, r] of this.remote) {
      if (t - r.heardAt < 3 * this.heartbeatMs) continue;
      this.remote.delete(relayId);
      for (const id of r.visitors) this.visitorSeen(id);
      for (const id of r.agents.keys()) this.tell(id);
    }
  }
}
