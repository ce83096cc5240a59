/**
 * Reads frames that come from the relay, for clients and consoles. The relay is
 * trusted more than a visitor, but its frames still cross a network: this checks
 * what the client relies on (types of ids, seq numbers, events) and nothing more,
 * to keep `dist/client.js` small.
 */
import type { LogEvent } from './events.js';
import type { RelayToAgentFrame, RelayToVisitorFrame } from './frames.js';

function isEvent(v: unknown): v is LogEvent {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return typeof e['seq'] === 'number' && e['seq'] >= 1 && typeof e['type'] === 'string' && typeof e['at'] === 'string';
}

function check(f: Record<string, unknown>): boolean {
  switch (f['t']) {
    case 'welcome':
      return Array.isArray(f['events'])
        ? f['events'].every(isEvent) && typeof f['token'] === 'string'
        : Array.isArray(f['conversations']);
    case 'event':
      return isEvent(f['event']);
    case 'ack':
      return typeof f['clientId'] === 'string' && typeof f['seq'] === 'number';
    case 'ok':
      return f['events'] === undefined || (Array.isArray(f['events']) && f['events'].every(isEvent));
    case 'error':
      return typeof f['code'] === 'string';
    default:
      return true;
  }
}

function parse<F>(raw: unknown): F | null {
  if (typeof raw !== 'string') return null;
  try {
    const f = JSON.parse(raw) as unknown;
    return typeof f === 'object' && f !== null && typeof (f as Record<string, unknown>)['t'] === 'string' && check(f as Record<string, unknown>)
      ? (f as F)
      : null;
  } catch {
    return null;
  }
}

/** A frame the relay sent to a visitor, or `null` when it is not one. */
export const parseRelayToVisitor = (raw: unknown): RelayToVisitorFrame | null => parse(raw);
/** A frame the relay sent to an agent, or `null` when it is not one. */
export const parseRelayToAgent = (raw: unknown): RelayToAgentFrame | null => parse(raw);
