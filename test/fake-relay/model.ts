/**
 * The one model of the relay's state behind every fake endpoint of the browser-side
 * tests (client, widget, console): conversations with their logs (seq numbers from 1),
 * the visitor token of each, what agents read of them (summaries, unread counts), the
 * agents' presence, and a fake clock that moves one second per event so times order.
 * Endpoints subscribe to hear each event appended; a test appends through them or here.
 * It is a test double, not a second relay: no limits, no store, no checks beyond what
 * the tests lean on.
 */
import type { AgentPresence, AgentRef, ConversationSummary, EventBody, LogEvent, PageInfo, Visitor } from '../../src/protocol/index.js';
import { foldAgentLog } from '../../src/protocol/index.js';

/** The agent every console signs in as, and the one who answers in visitor tests. */
export const JANE: AgentRef = { id: 'agent-jane', name: 'Jane Doe' };
/** A second agent, who acts through the model (or a second console, were there one). */
export const BOB: AgentRef = { id: 'agent-bob', name: 'Bob Stone' };

type MessageBody = Extract<EventBody, { type: 'message' }>;

/** One conversation as the relay holds it. */
export interface Conversation {
  id: string;
  /** The visitor's token: `resume`, ratings and uploads carry it. */
  token: string;
  log: LogEvent[];
  visitorOnline: boolean;
  /** Visitor messages agents have not read. */
  unread: number;
  /** clientId → seq of every message logged, so that a repeated `send` is logged once. */
  clientIds: Map<string, number>;
}

/** Told of every event appended (unless appended quietly) once it is in the log. */
export type Listener = (conversationId: string, event: LogEvent) => void;

export class RelayModel {
  readonly conversations = new Map<string, Conversation>();
  /** Every agent and their status, as agents' welcomes and `presence` frames tell it. */
  readonly agents: AgentPresence[] = [
    { ...JANE, status: 'online' },
    { ...BOB, status: 'online' },
  ];
  private clock = Date.parse('2026-01-05T10:00:00.000Z');
  private readonly listeners = new Set<Listener>();

  /** The fake clock now, in ms. */
  get now(): number {
    return this.clock;
  }

  /** The time of the next event. */
  tick(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }

  /** Hears every event appended from now on; returns the way to stop. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The conversation, or a thrown error naming it. */
  conversation(id: string): Conversation {
    const c = this.conversations.get(id);
    if (!c) throw new Error(`no conversation ${id}`);
    return c;
  }

  /** A customer asks for a chat (a new conversation under `id`, replacing any before). */
  request(id: string, visitor: Visitor, options: { page?: PageInfo; offline?: boolean } = {}): LogEvent {
    const { page, offline } = options;
    this.conversations.set(id, { id, token: `tok_${id}_0123456789abcdef`, log: [], visitorOnline: !offline, unread: 0, clientIds: new Map() });
    return this.append(id, { type: 'requested', visitor, ...(page ? { page } : {}), ...(offline ? { offline: true as const } : {}) });
  }

  /**
   * A customer who found nobody online leaves a message (`hello.message`): the chat
   * starts `offline`, outside the live queue, with the message as its first.
   */
  leaveMessage(id: string, visitor: Visitor, text: string, page?: PageInfo): LogEvent {
    const requested = this.request(id, visitor, { page, offline: true });
    this.visitorSays(id, text);
    return requested;
  }

  /** Logs an event with the next seq and tells the listeners, unless `quiet` (then nobody hears of it). */
  append(id: string, body: EventBody, { quiet = false } = {}): LogEvent {
    const c = this.conversation(id);
    const event = { ...body, seq: c.log.length + 1, at: this.tick() } as LogEvent;
    c.log.push(event);
    if (event.type === 'message' && event.from === 'visitor') c.unread++;
    if (!quiet) this.publish(id, event);
    return event;
  }

  /** Tells the listeners of an event already in the log (one appended quietly). */
  publish(id: string, event: LogEvent): void {
    for (const listener of this.listeners) listener(id, event);
  }

  /**
   * Logs a message once per `clientId`, as the relay does for `send`; a repeat logs
   * nothing and gives the first one's seq, with `fresh` false.
   */
  logMessage(id: string, body: MessageBody, options: { quiet?: boolean } = {}): { seq: number; fresh: boolean } {
    const c = this.conversation(id);
    const seq = c.clientIds.get(body.clientId);
    if (seq !== undefined) return { seq, fresh: false };
    const event = this.append(id, body, options);
    c.clientIds.set(body.clientId, event.seq);
    return { seq: event.seq, fresh: true };
  }

  /** A customer message. */
  visitorSays(id: string, text: string): LogEvent {
    return this.append(id, { type: 'message', from: 'visitor', text, clientId: crypto.randomUUID() });
  }

  /** An agent's message (Jane's unless told). */
  agentSays(id: string, text: string, agent: AgentRef = JANE): LogEvent {
    return this.append(id, { type: 'message', from: 'agent', agent, text, clientId: crypto.randomUUID() });
  }

  /** The summary agents see of a conversation. */
  summary(id: string): ConversationSummary {
    const c = this.conversation(id);
    const s = foldAgentLog(c.log);
    return {
      id,
      status: s.status,
      visitor: s.visitor!,
      ...(s.page ? { page: s.page } : {}),
      visitorOnline: c.visitorOnline,
      requestedAt: s.requestedAt!,
      ...(s.owner ? { ownerId: s.owner.id } : {}),
      lastSeq: s.lastSeq,
      ...(s.offline ? { offline: true as const } : {}),
      unread: c.unread,
      ...(s.guests.length ? { guests: s.guests } : {}),
      ...(s.offer ? { offer: { agentId: s.offer.agent.id, until: s.offer.until } } : {}),
      ...(s.transferRequest ? { transferRequest: s.transferRequest } : {}),
      ...(s.invite ? { invite: { from: s.invite.from, to: s.invite.to, until: s.invite.until } } : {}),
    };
  }

  /** Sets an agent's status (adding the agent if new); returns their presence. */
  setStatus(agent: AgentRef, status: AgentPresence['status']): AgentPresence {
    const presence = { ...agent, status };
    const i = this.agents.findIndex((a) => a.id === agent.id);
    if (i >= 0) this.agents[i] = presence;
    else this.agents.push(presence);
    return presence;
  }
}
