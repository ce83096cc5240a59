/**
 * Checks of the options an app may pass to `ChatClient` besides `relay` (its storage,
 * `WebSocket`, `fetch`, `XMLHttpRequest`, storage key, the connection's timings and its
 * source of jitter): a `TypeError` or `RangeError` naming the
 * bad one (in builds with developer messages). The script tag's widget makes its
 * client from `relay` alone, so its build puts option-hooks-none.ts in this file's place.
 */
import { devText } from '../protocol/errors.js';
import type { ChatClientOptions } from './types.js';

export function checkHooks(o: ChatClientOptions): void {
  const s = o.storage;
  if (s !== undefined && (typeof s !== 'object' || s === null || [s.getItem, s.setItem, s.removeItem].some((f) => typeof f !== 'function'))) {
    throw new TypeError(devText('options.storage must have getItem, setItem and removeItem'));
  }
  for (const k of ['WebSocket', 'fetch', 'XMLHttpRequest', 'random'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'function') throw new TypeError(devText(`options.${k} must be a function`));
  }
  for (const k of ['minDelayMs', 'maxDelayMs', 'pingIntervalMs', 'pongTimeoutMs', 'requestTimeoutMs'] as const) {
    const ms = o[k];
    if (ms !== undefined && !(typeof ms === 'number' && ms > 0 && Number.isFinite(ms))) throw new RangeError(devText(`options.${k} must be a positive number of milliseconds`));
  }
  if (o.storageKey !== undefined && (typeof o.storageKey !== 'string' || !o.storageKey)) {
    throw new TypeError(devText('options.storageKey must be a non-empty string'));
  }
}

/**
 * The options the socket takes: those given as `undefined` (\`pongTimeoutMs: config.x\`)
 * are left out, so they keep their defaults instead of replacing them.
 */
export function socketOptions(o: ChatClientOptions): ChatClientOptions {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as unknown as ChatClientOptions;
}
