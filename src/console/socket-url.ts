/**
 * Where the console finds the relay: the agent socket on the same host as the page
 * (`ws://` or `wss://` to match `http:` or `https:`), so one relay serves both.
 */

/** `https://host/console/` → `wss://host/v1/agent`; works from `/console` and `/console/`. */
export function agentSocketUrl(pageUrl: string): string {
  const u = new URL('../v1/agent', pageUrl);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  u.hash = '';
  u.search = '';
  return u.href;
}
