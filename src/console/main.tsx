/**
 * The console's entry, built to `console.js` and loaded by `index.html`: wires the
 * connection and the store to the page (location, sessionStorage, localStorage,
 * visibility, XMLHttpRequest for files sent with progress), the alerts to Web Audio
 * and the Notification API, and mounts the app.
 * Everything else is testable without a browser.
 */
import { render } from 'preact';
import { ConsoleAlerts } from './alerts.js';
import { webAudioChime } from './chime.js';
import { App } from './components/app.js';
import { AgentConnection } from './connection.js';
import { DesktopNotices } from './desktop-notices.js';
import { agentSocketUrl } from './socket-url.js';
import { ConsoleStore } from './store.js';

function storageOrNull(get: () => Storage): Storage | null {
  try {
    return get();
  } catch {
    return null;
  }
}

const root = document.getElementById('app');
if (root) {
  const connection = new AgentConnection({ url: agentSocketUrl(location.href) });
  const store = new ConsoleStore({
    connection,
    storage: storageOrNull(() => sessionStorage),
    baseUrl: location.href,
    // Files the agent sends show their progress.
    XMLHttpRequest,
  });
  const visibility = () => store.setHidden(document.hidden);
  document.addEventListener('visibilitychange', visibility);
  visibility();
  const local = storageOrNull(() => localStorage);
  const alerts = new ConsoleAlerts({
    store,
    chime: webAudioChime(),
    notices: new DesktopNotices(),
    storage: local,
    focus: () => window.focus(),
  });
  store.resume();
  render(<App store={store} alerts={alerts} replyStorage={local} autoSave />, root);
}
