/**
 * The alerts' controls in the top bar: the Sound switch (on by default, kept between
 * visits) and the button that asks the browser for desktop notifications, or a word on
 * where they stand once asked.
 */
import type { ConsoleAlerts } from '../alerts.js';
import { useAlertsState } from '../hooks.js';

/** Props of `AlertControls`. */
export interface AlertControlsProps {
  alerts: Pick<ConsoleAlerts, 'state' | 'subscribe' | 'setSound' | 'enableNotifications'>;
}

/** The Sound switch and the desktop notifications button. */
export function AlertControls({ alerts }: AlertControlsProps) {
  const { sound, notifications } = useAlertsState(alerts);
  return (
    <span class="alert-controls">
      <label class="switch">
        <input type="checkbox" role="switch" checked={sound} onChange={(e) => alerts.setSound(e.currentTarget.checked)} /> Sound
      </label>
      {notifications === 'default' && (
        <button type="button" onClick={() => void alerts.enableNotifications()}>
          Enable desktop notifications
        </button>
      )}
      {notifications === 'granted' && <span class="hint">Desktop notifications on</span>}
      {notifications === 'denied' && <span class="hint">Desktop notifications are blocked in this browser</span>}
    </span>
  );
}
