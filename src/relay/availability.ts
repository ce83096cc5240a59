/**
 * Whether an agent can take a chat now, the rules of a support floor: only an online
 * agent is offered chats, may claim one or be asked to take one over or join one
 * (`unavailable` otherwise: away means "no new chats", offline means no console open);
 * and nobody owns more chats at once than their capacity (`at_capacity`). Capacity is
 * counted from the store, so it holds whichever relay the chats were claimed on.
 */
import type { AgentRef } from '../protocol/index.js';
import { done, fail, type Outcome } from './errors.js';
import type { Presence } from './presence.js';
import type { AgentRecord, Store } from './store.js';

/** How many chats an agent owns now, of how many they may. */
export interface Load {
  active: number;
  capacity: number;
}

export class Availability {
  constructor(
    private readonly store: Store,
    private readonly presence: Presence,
  ) {}

  /** True when the agent has a console open and is online (not away). */
  isOnline(agentId: string): boolean {
    return this.presence.presenceOf(agentId) === 'online';
  }

  /** Refuses with `unavailable` unless the agent is online; `you` words it for the agent who acts. */
  mustBeOnline(agent: AgentRef, you: boolean): Outcome<void> {
    if (this.isOnline(agent.id)) return done(undefined);
    const status = this.presence.presenceOf(agent.id);
    return you
      ? fail('unavailable', `you are ${status}: set your status to online to take chats`)
      : fail('unavailable', `${agent.name} is ${status} and takes no chats now`);
  }

  /** The agent's account and load, or null when there is no such agent. */
  async load(agentId: string): Promise<(Load & { agent: AgentRecord }) | null> {
    const [agent, owned] = await Promise.all([this.store.getAgent(agentId), this.store.listActiveOwnedBy(agentId)]);
    return agent ? { agent, active: owned.length, capacity: agent.capacity } : null;
  }

  /** Refuses with `at_capacity` when the agent owns as many chats as they may; else gives their capacity. */
  async mustHaveRoom(agent: AgentRef, you: boolean): Promise<Outcome<number>> {
    const l = await this.load(agent.id);
    if (!l) return fail('not_found', 'no such agent');
    if (l.active < l.capacity) return done(l.capacity);
    const n = `${l.active} of ${l.capacity} chats`;
    return fail('at_capacity', you ? `you have ${n}: end or transfer one first` : `${agent.name} has ${n} and can take no more`);
  }

  /** `mustBeOnline` and `mustHaveRoom` together: the agent's capacity, for the append's own check. */
  async canTake(agent: AgentRef, you: boolean): Promise<Outcome<number>> {
    const online = this.mustBeOnline(agent, you);
    return online.ok ? this.mustHaveRoom(agent, you) : online;
  }
}
