/**
 * Who is connected to this relay process now: visitor sockets per conversation (and
 * when each visitor was last seen, for the abandoned sweep) and agent sockets with
 * each agent's status. Counted in memory, never stored: a person may have several
 * tabs, so only the first socket in and the last one out change what agents are told.
 */
import type { AgentRef, AgentStatus } from '../protocol/index.js';
import type { BusMessage } from './bus.js';

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

/** Socket counts and statuses; tells through the callbacks it is given. */
export class Presence {
  private readonly visitorSockets = new Map<string, number>();
  private readonly visitorLastSeen = new Map<string, number>();
  private readonly agentSockets = new Map<string, number>();
  private readonly agentStatus = new Map<string, AgentStatus>();

  constructor(
    private readonly now: () => number,
    /** Publishes after the commit of what it reports (the service's `publish`). */
    private readonly publish: (message: BusMessage) => void,
    /** A conversation's visitor came online or went offline: its summary changed. */
    private readonly visitorOnlineChanged: (id: string) => void,
  ) {}

  // ---- visitors -----------------------------------------------------------

  /** True while a visitor socket is attached to the conversation. */
  visitorOnline(id: string): boolean {
    return this.visitorSockets.has(id);
  }

  /** When the conversation's visitor was last seen by this process, if it was. */
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

  // ---- agents ---------------------------------------------------------------

  /** An agent's status as others see it: offline without a socket. */
  presenceOf(agentId: string): AgentStatus {
    return this.agentSockets.has(agentId) ? (this.agentStatus.get(agentId) ?? 'online') : 'offline';
  }

  /** An agent socket signed in. */
  agentAttached(agent: AgentRef): void {
    if (attach(this.agentSockets, agent.id)) {
      this.agentStatus.set(agent.id, 'online');
      this.publish({ kind: 'presence', agent: { ...agent, status: 'online' } });
    }
  }

  /** An agent socket left. */
  agentDetached(agent: AgentRef): void {
    if (!detach(this.agentSockets, agent.id)) return;
    this.agentStatus.delete(agent.id);
    this.publish({ kind: 'presence', agent: { ...agent, status: 'offline' } });
  }

  /** An agent changed status. */
  setStatus(agent: AgentRef, status: AgentStatus): void {
    if (this.agentStatus.get(agent.id) === status) return;
    this.agentStatus.set(agent.id, status);
    this.publish({ kind: 'presence', agent: { ...agent, status } });
  }
}
