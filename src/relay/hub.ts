/**
 * The socket registry and fan-out: which visitor sockets belong to which
 * conversation, which agent sockets are signed in and what they watch, and the bus
 * listener that turns `BusMessage`s into frames for exactly those sockets. It
 * decides who hears what; it changes no state of conversations. A socket that would
 * see a gap in a conversation's seqs (news lost between relays) is not sent the
 * later events: `onGap` reads the missing ones from the store first (`catch-up.ts`).
 */
import type { WebSocket } from 'ws';
import { visitorView, type AgentRef, type LogEvent, type RelayToAgentFrame, type RelayToVisitorFrame } from '../protocol/index.js';
import type { Bus, BusMessage } from './bus.js';
import { Peer } from './peer.js';

/** A visitor socket and the conversation it speaks for (after `hello`/`resume`). */
export class VisitorPeer extends Peer<RelayToVisitorFrame> {
  conversationId: string | null = null;
  /** Highest seq this socket has been sent (events at or below are not sent again). */
  lastSeq = 0;
  /** The last queue position this socket was told. */
  lastPosition: number | undefined;
  /** True while the rest of the log is still being read from the store (see `catch-up.ts`). */
  catchingUp = false;
  /** The highest seq held back while catching up: the catch-up goes on until it has sent it. */
  heldSeq = 0;
  /** Counts catch-ups started on this socket; only the latest runs. */
  catchUpRun = 0;
  /** False until its `welcome` went out: no queue position goes ahead of it. */
  welcomed = true;
  /** Counted as its conversation's visitor in presence (see visitor-socket.ts). */
  present = false;
}

/** An agent socket, once signed in. */
export class AgentPeer extends Peer<RelayToAgentFrame> {
  agent: AgentRef | null = null;
  /** The token it signed in with (re-checked while it stays connected). */
  token = '';
  /** Highest seq sent per conversation this socket has heard of. */
  readonly seen = new Map<string, number>();
  readonly watching = new Set<string>();
  /** Conversations whose events are being read from the store (a gap), and the highest seq held back meanwhile. */
  readonly catchingUp = new Map<string, number>();
  /** Conversations with a catch-up running for this socket. */
  readonly agentCatchUps = new Set<string>();

}

/** Someone must read a conversation's log from the store for this socket (a gap, or a long log). */
export type GapReader = (p: VisitorPeer | AgentPeer, conversationId: string) => void;

/** Registry of live sockets and the bus fan-out. */
export class Hub {
  readonly visitorPeers = new Set<VisitorPeer>();
  readonly agentPeers = new Set<AgentPeer>();
  private readonly byConversation = new Map<string, Set<VisitorPeer>>();
  private readonly byAgent = new Map<string, Set<AgentPeer>>();
  private readonly watchers = new Map<string, Set<AgentPeer>>();
  private readonly unsubscribe: () => void;

  /** Told of each socket that must catch up from the store; set by the relay (`catch-up.ts`). */
  onGap: GapReader = () => {};
  /** The queue's usual wait in seconds, when known, for `queue` frames; set by the relay (`queue-wait.ts`). */
  queueWait: () => number | undefined = () => undefined;

  constructor(bus: Bus) {
    this.unsubscribe = bus.subscribe((m) => this.deliver(m));
  }

  /** Makes a visitor socket. */
  visitor(ws: WebSocket, ip: string): VisitorPeer {
    const p = new VisitorPeer(ws, ip);
    this.visitorPeers.add(p);
    return p;
  }

  /** Makes an agent socket. */
  agentSocket(ws: WebSocket, ip: string): AgentPeer {
    const p = new AgentPeer(ws, ip);
    this.agentPeers.add(p);
    return p;
  }

  /** Binds a visitor socket to a conversation, having already sent it events up to `lastSeq` (and its `welcome`, unless `welcomed` is false). */
  attachVisitor(p: VisitorPeer, conversationId: string, lastSeq: number, position: number | undefined, welcomed = true): void {
    this.detachVisitor(p);
    p.conversationId = conversationId;
    p.lastSeq = lastSeq;
    p.catchingUp = false;
    p.heldSeq = 0;
    p.lastPosition = position;
    p.welcomed = welcomed;
    let set = this.byConversation.get(conversationId);
    if (!set) this.byConversation.set(conversationId, (set = new Set()));
    set.add(p);
  }

  /** Unbinds a visitor socket from its conversation; returns the id it had. */
  detachVisitor(p: VisitorPeer): string | null {
    const id = p.conversationId;
    if (id === null) return null;
    const set = this.byConversation.get(id);
    set?.delete(p);
    if (set?.size === 0) this.byConversation.delete(id);
    p.conversationId = null;
    return id;
  }

  /** Forgets a closed visitor socket. */
  removeVisitor(p: VisitorPeer): string | null {
    this.visitorPeers.delete(p);
    return this.detachVisitor(p);
  }

  /** Registers a signed-in agent socket. */
  attachAgent(p: AgentPeer): void {
    const id = p.agent!.id;
    let set = this.byAgent.get(id);
    if (!set) this.byAgent.set(id, (set = new Set()));
    set.add(p);
  }

  /** Visitor sockets bound to a conversation now. */
  visitorsOn(conversationId: string): number {
    return this.byConversation.get(conversationId)?.size ?? 0;
  }

  /** Forgets a closed agent socket. */
  removeAgent(p: AgentPeer): void {
    this.agentPeers.delete(p);
    for (const c of [...p.watching]) this.unwatch(p, c);
    if (p.agent) {
      const set = this.byAgent.get(p.agent.id);
      set?.delete(p);
      if (set?.size === 0) this.byAgent.delete(p.agent.id);
    }
  }

  /** Starts live events of a conversation for an agent socket, having sent it events up to `lastSeq`. */
  watch(p: AgentPeer, conversationId: string, lastSeq: number): void {
    p.watching.add(conversationId);
    p.seen.set(conversationId, Math.max(p.seen.get(conversationId) ?? 0, lastSeq));
    let set = this.watchers.get(conversationId);
    if (!set) this.watchers.set(conversationId, (set = new Set()));
    set.add(p);
  }

  /** Stops live events of a conversation for an agent socket; no entry is left empty. */
  unwatch(p: AgentPeer, conversationId: string): void {
    p.watching.delete(conversationId);
    const set = this.watchers.get(conversationId);
    set?.delete(p);
    if (set?.size === 0) this.watchers.delete(conversationId);
  }

  /** Conversations some socket here follows: a visitor's, or one an agent watches. */
  followedConversations(): Set<string> {
    return new Set([...this.byConversation.keys(), ...this.watchers.keys()]);
  }

  /** Conversations with at least one watcher (for tests of the registry's size). */
  watchedCount(): number {
    return this.watchers.size;
  }

  /** The signed-in sockets of one agent. */
  socketsOf(agentId: string): AgentPeer[] {
    return [...(this.byAgent.get(agentId) ?? [])];
  }

  private agentTargets(conversationId: string, agentIds: readonly string[]): Set<AgentPeer> {
    const out = new Set<AgentPeer>(this.watchers.get(conversationId) ?? []);
    for (const id of agentIds) for (const p of this.byAgent.get(id) ?? []) out.add(p);
    return out;
  }

  /** Who hears a list entry: every signed-in agent, or only `agentIds` and the conversation's watchers. */
  private listHearers(conversationId: string, agentIds: readonly string[] | undefined): Iterable<AgentPeer> {
    return agentIds ? this.agentTargets(conversationId, agentIds) : this.signedIn();
  }

  private signedIn(): AgentPeer[] {
    return [...this.agentPeers].filter((p) => p.agent !== null);
  }

  private deliver(m: BusMessage): void {
    switch (m.kind) {
      case 'events': {
        for (const p of this.byConversation.get(m.conversationId) ?? []) this.sendVisitorEvents(p, m.events);
        for (const p of this.agentTargets(m.conversationId, m.agentIds)) this.sendAgentEvents(p, m.conversationId, m.events);
        return;
      }
      case 'summary': {
        for (const p of this.listHearers(m.summary.id, m.agentIds)) {
          p.send({ t: 'conversation', summary: m.summary });
          this.behind(p, m.summary.id, m.summary.lastSeq, m.summary.ownerId);
        }
        return;
      }
      case 'activity': {
        for (const p of this.listHearers(m.conversationId, m.agentIds)) {
          p.send({ t: 'activity', conversationId: m.conversationId, lastSeq: m.lastSeq, unread: m.unread });
          // An active chat's activity goes to its owner (and watchers) only.
          this.behind(p, m.conversationId, m.lastSeq, m.agentIds?.[0]);
        }
        return;
      }
      case 'queue':
        for (const p of this.byConversation.get(m.conversationId) ?? []) {
          if (!p.welcomed || p.lastPosition === m.position) continue;
          p.lastPosition = m.position;
          p.send(this.queueFrame(m.position));
        }
        return;
      case 'note':
        for (const p of this.agentTargets(m.note.conversationId, m.agentIds)) p.send({ t: 'note', conversationId: m.note.conversationId, note: m.note });
        return;
      case 'typing':
        if (m.side === 'visitor') {
          for (const p of this.agentTargets(m.conversationId, m.agentIds)) p.send({ t: 'typing', conversationId: m.conversationId, on: m.on });
        } else {
          for (const p of this.byConversation.get(m.conversationId) ?? []) p.send({ t: 'typing', from: 'agent', name: m.name, on: m.on });
        }
        return;
      case 'read':
        if (m.side === 'visitor') {
          for (const p of this.agentTargets(m.conversationId, m.agentIds)) {
            p.send({ t: 'read', conversationId: m.conversationId, by: 'visitor', upToSeq: m.upToSeq });
          }
        } else {
          for (const p of this.byConversation.get(m.conversationId) ?? []) p.send({ t: 'read', by: 'agent', upToSeq: m.upToSeq });
        }
        return;
      case 'status':
        for (const p of this.signedIn()) p.send({ t: 'presence', agent: m.agent });
        return;
      case 'presence':
      case 'heartbeat':
        return;
      case 'close_visitors':
        for (const id of m.conversationIds) for (const p of [...(this.byConversation.get(id) ?? [])]) p.close(m.code, m.reason);
        return;
    }
  }

  private queueFrame(position: number): RelayToVisitorFrame {
    const wait = this.queueWait();
    return { t: 'queue', position, ...(wait !== undefined ? { wait } : {}) };
  }

  /** Tells every queued visitor here its place again, with a usual wait that changed noticeably. */
  tellQueueWait(): void {
    for (const p of this.visitorPeers) {
      if (p.conversationId !== null && p.welcomed && p.lastPosition !== undefined) p.send(this.queueFrame(p.lastPosition));
    }
  }

  /**
   * Sends a visitor socket the events it has not had, as it may see them. Live events
   * wait while the socket is catching up: the catch-up reads them from the store.
   */
  sendVisitorEvents(p: VisitorPeer, events: readonly LogEvent[], catchUp = false): void {
    if (p.catchingUp && !catchUp) {
      p.heldSeq = Math.max(p.heldSeq, events[events.length - 1]?.seq ?? 0);
      return;
    }
    for (const event of events) {
      if (event.seq <= p.lastSeq) continue;
      if (event.seq > p.lastSeq + 1 && p.conversationId !== null) {
        p.heldSeq = Math.max(p.heldSeq, events[events.length - 1]!.seq);
        this.onGap(p, p.conversationId);
        return;
      }
      p.lastSeq = event.seq;
      // Out of the queue: a later return to it must be told again, even at the same position.
      if (event.type === 'claimed' || event.type === 'ended') p.lastPosition = undefined;
      // The visitor's view: agent-only words never reach a visitor socket.
      p.send({ t: 'event', event: visitorView(event) });
    }
  }

  sendAgentEvents(p: AgentPeer, conversationId: string, events: readonly LogEvent[], catchUp = false): void {
    const newest = events[events.length - 1]?.seq ?? 0;
    const held = p.catchingUp.get(conversationId);
    if (held !== undefined && !catchUp) {
      p.catchingUp.set(conversationId, Math.max(held, newest));
      return;
    }
    let last = p.seen.get(conversationId) ?? 0;
    for (const event of events) {
      if (event.seq <= last) continue;
      // A socket that has heard of this conversation must not skip a seq.
      if (event.seq > last + 1 && last > 0) {
        p.seen.set(conversationId, last);
        p.catchingUp.set(conversationId, newest);
        this.onGap(p, conversationId);
        return;
      }
      last = event.seq;
      p.send({ t: 'event', conversationId, event });
    }
    p.seen.set(conversationId, last);
  }

  /**
   * A list entry says a conversation is at `lastSeq`: a socket that hears its events
   * (an owner's or a watcher's) and has not had them all lost some on the way between
   * relays, and reads them from the store.
   */
  private behind(p: AgentPeer, conversationId: string, lastSeq: number, ownerId: string | undefined): void {
    const seen = p.seen.get(conversationId);
    if (seen === undefined || seen >= lastSeq || p.catchingUp.has(conversationId)) return;
    if (!p.watching.has(conversationId) && (ownerId === undefined || p.agent?.id !== ownerId)) return;
    p.catchingUp.set(conversationId, lastSeq);
    this.onGap(p, conversationId);
  }

  /** Stops listening to the bus; idempotent. */
  close(): void {
    this.unsubscribe();
  }
}
