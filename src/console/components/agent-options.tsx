/**
 * The other agents as `<option>`s of a transfer or invitation: online ones first and
 * pickable, away and offline ones shown but disabled (the relay would refuse them with
 * `unavailable`), each with their status. An `<option>` holds text only, so bidi
 * controls are dropped from the names instead of isolated.
 */
import { withoutInvisibles, type AgentPresence } from '../../protocol/index.js';
import { statusLabels } from '../words.js';

/** The agents who can be picked: not `me`, not in `exclude`, and online. */
export function pickableAgents(agents: readonly AgentPresence[], me: string | undefined, exclude: readonly string[] = []): AgentPresence[] {
  return agents.filter((a) => a.id !== me && !exclude.includes(a.id) && a.status === 'online');
}

/** Props of `AgentOptions`. */
export interface AgentOptionsProps {
  agents: readonly AgentPresence[];
  me: string | undefined;
  /** Agents not to list at all (a conference's guests). */
  exclude?: readonly string[];
}

const order = { online: 0, away: 1, offline: 2 } as const;

/** One `<option>` per other agent, by status then name. */
export function AgentOptions({ agents, me, exclude = [] }: AgentOptionsProps) {
  const others = agents
    .filter((a) => a.id !== me && !exclude.includes(a.id))
    .sort((a, b) => order[a.status] - order[b.status] || a.name.localeCompare(b.name));
  return (
    <>
      {others.map((a) => (
        <option key={a.id} value={a.id} disabled={a.status !== 'online'}>
          {`${withoutInvisibles(a.name)} (${statusLabels[a.status]})`}
        </option>
      ))}
    </>
  );
}
