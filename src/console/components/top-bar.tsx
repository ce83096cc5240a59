/**
 * The bar across the top: who is signed in, their status, the connection, and the
 * buttons for quick replies, blocked customers and signing out.
 */
import { useId } from 'preact/hooks';
import type { AgentStatus } from '../../protocol/index.js';
import type { ConsoleState } from '../console-state.js';
import { connectionLabels, statusLabels } from '../words.js';
import { Typed } from './typed.js';

/** Props of `TopBar`. */
export interface TopBarProps {
  state: ConsoleState;
  onStatus: (s: AgentStatus) => void;
  onQuickReplies: () => void;
  onBlocks: () => void;
  onSignOut: () => void;
}

/** The console's header. */
export function TopBar({ state, onStatus, onQuickReplies, onBlocks, onSignOut }: TopBarProps) {
  const statusId = useId();
  return (
    <header class="top-bar">
      <h1>Parley console</h1>
      <span class="agent-name">{state.agent && <Typed text={state.agent.name} />}</span>
      <label for={statusId}>Status</label>
      <select id={statusId} value={state.status} onChange={(e) => onStatus(e.currentTarget.value as AgentStatus)}>
        {(Object.keys(statusLabels) as AgentStatus[]).map((s) => (
          <option key={s} value={s}>
            {statusLabels[s]}
          </option>
        ))}
      </select>
      <span class={`connection connection--${state.connection}`} role="status">
        {connectionLabels[state.connection]}
      </span>
      <button type="button" onClick={onQuickReplies}>
        Quick replies
      </button>
      <button type="button" onClick={onBlocks}>
        Blocked customers
      </button>
      <button type="button" onClick={onSignOut}>
        Sign out
      </button>
    </header>
  );
}
