/**
 * The agent's routing intents turned into requests (docs/protocol.md, "Agent frames"):
 * transfer (to the queue at once, or a request another agent accepts), invite into a
 * conference, withdraw what was asked, accept or decline what waits for this agent,
 * and leave a conference. The store lends its way of running a chat's request (`busy`
 * while in flight, the refusal kept on the chat) and of opening a chat; nothing here
 * holds state of its own.
 */
import { MAX_NOTE_LENGTH, normalizeText } from '../protocol/index.js';
import type { AgentConnection } from './connection.js';

/** What routing needs of the store. */
export interface RoutingHost {
  /** Sends a request; resolves with the relay's `ok`, rejects with its refusal. */
  request: AgentConnection['request'];
  /** Runs one request for a chat, marking it `busy`; resolves true when the relay agreed, false after a refusal (kept on the chat). */
  act(id: string, busy: string, run: () => Promise<unknown>): Promise<boolean>;
  /** Opens a chat (or none). */
  select(id: string | null): void;
  /** The chat open now. */
  selectedId(): string | null;
}

/** A note as the relay takes it, or nothing for an empty one. */
function noteOf(note: string | undefined): { note?: string } {
  const n = note?.trim() ? normalizeText(note, MAX_NOTE_LENGTH) : null;
  return n ? { note: n } : {};
}

/** Routing's actions on chats; every one resolves (never rejects) to whether the relay agreed. */
export class RoutingActions {
  constructor(private readonly host: RoutingHost) {}

  /**
   * Hands the chat back to the queue at once (`toAgentId` null; the chat closes here),
   * or asks another agent to take it over: it stays this agent's until they accept.
   */
  async transfer(id: string, toAgentId: string | null, note?: string): Promise<boolean> {
    const to = toAgentId ? { toAgentId } : {};
    const ok = await this.host.act(id, 'transfer', () => this.host.request({ t: 'transfer', conversationId: id, ...to, ...noteOf(note) }));
    if (ok && !toAgentId && this.host.selectedId() === id) this.host.select(null);
    return ok;
  }

  /** Asks another agent into the chat beside this agent (a conference). */
  invite(id: string, toAgentId: string): Promise<boolean> {
    return this.host.act(id, 'invite', () => this.host.request({ t: 'invite', conversationId: id, toAgentId }));
  }

  /** Takes back this agent's waiting transfer request or invitation. */
  withdraw(id: string): Promise<boolean> {
    return this.host.act(id, 'withdraw', () => this.host.request({ t: 'withdraw', conversationId: id }));
  }

  /** Accepts what waits for this agent in the chat (an offer, a transfer request, an invitation) and opens it. */
  async accept(id: string): Promise<boolean> {
    const ok = await this.host.act(id, 'accept', () => this.host.request({ t: 'accept', conversationId: id }));
    if (ok) this.host.select(id);
    return ok;
  }

  /** Declines what waits for this agent in the chat. */
  decline(id: string): Promise<boolean> {
    return this.host.act(id, 'decline', () => this.host.request({ t: 'decline', conversationId: id }));
  }

  /** Leaves a conference: a guest goes; the owner hands the chat to the guest. The chat closes here. */
  async leave(id: string): Promise<boolean> {
    const ok = await this.host.act(id, 'leave', () => this.host.request({ t: 'leave', conversationId: id }));
    if (ok && this.host.selectedId() === id) this.host.select(null);
    return ok;
  }
}
