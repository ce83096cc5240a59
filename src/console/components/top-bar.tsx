/**
 * The bar across the top: who is signed in, their status (online, away: no new chats,
 * offline) and how many chats they own of their capacity ("2 of 3"), the connection,
 * the alerts' switches, and the buttons for History (pressed while it shows; pressed
 * again, back to the chats), quick replies, blocked customers and signing out.
 */
import { useId } from 'preact/hooks';
import type { AgentStatus } from '../../protocol/index.js';
import type { ConsoleState } from '../console-state.js';
import { ownActiveCount } from '../routing-selectors.js';
import { capacityText, connectionLabels, historyWords, statusLabels } from '../words.js';
import { AlertControls, type AlertControlsProps } from './alert-controls.js';
import { Typed } from './typed.js';

/** Props of `TopBar`. */
export interface TopBarProps {
  state: ConsoleState;
  /** Whether the History view shows instead of the open chat. */
  historyShown: boolean;
  /** The sound and notification switches; none without alerts. */
  alerts?: AlertControlsProps['alerts'] | null;
  onHistory: () => void;
  onStatus: (s: AgentStatus) => void;
  onQuickReplies: () => void;
  onBlocks: () => void;
  onSignOut: () => void;
}

/** The console's header. */
export function TopBar({ state, historyShown, alerts, onHistory, onStatus, onQuickReplies, onBlocks, onSignOut }: TopBarProps) {
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
      {state.capacity !== null && (
        <span class="capacity" title="Chats you own, of how many you may">
          Chats {capacityText(ownActiveCount(state), state.capacity)}
        </span>
      )}
      <span class={`connection connection--${state.connection}`} role="status">
        {connectionLabels[state.connection]}
      </span>
      {alerts && <AlertControls alerts={alerts} />}
      <button type="button" aria-pressed={historyShown} onClick={onHistory}>
        {historyWords.view}
      </button>
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
