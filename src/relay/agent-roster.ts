/**
 * The agents as the relay serves them: who a token signs in, whether a signed-in
 * socket's token still holds, and everyone with their status across relays. Accounts
 * live in the store (checked there each time, so a removed agent is out on every
 * relay); statuses come from `Presence`.
 */
import type { AgentPresence, AgentRef, AgentStatus } from '../protocol/index.js';
import { hashToken, sameHash } from './ids.js';
import type { Presence } from './presence.js';
import type { Store } from './store.js';

/** Agent accounts and their presence. */
export class AgentRoster {
  constructor(
    private readonly store: Store,
    private readonly presence: Presence,
  ) {}

  /** The agent a token belongs to, if any, with their capacity. */
  async forToken(token: string): Promise<(AgentRef & { capacity: number }) | null> {
    const a = await this.store.getAgentByTokenHash(hashToken(token));
    return a ? { id: a.id, name: a.name, capacity: a.capacity } : null;
  }

  /** True while the agent exists with this token. */
  async stillValid(agentId: string, token: string): Promise<boolean> {
    const a = await this.store.getAgent(agentId);
    return a !== null && sameHash(a.tokenHash, hashToken(token));
  }

  /** Every agent with its presence. */
  async list(): Promise<AgentPresence[]> {
    return (await this.store.listAgents()).map((a) => ({ id: a.id, name: a.name, status: this.presence.presenceOf(a.id) }));
  }

  /** An agent socket signed in. */
  attached(agent: AgentRef): void {
    this.presence.agentAttached(agent);
  }

  /** An agent socket left. */
  detached(agent: AgentRef): void {
    this.presence.agentDetached(agent);
  }

  /** An agent changed status. */
  setStatus(agent: AgentRef, status: AgentStatus): void {
    this.presence.setStatus(agent, status);
  }
}
