/**
 * `ChatClient`'s options, checked once in its constructor: a `TypeError` or `RangeError`
 * naming the bad option (in builds with developer messages; the options besides
 * `relay` in option-hooks.ts), and the storage default.
 */
import { devText } from '../protocol/errors.js';
import { checkHooks } from './option-hooks.js';

export { socketOptions } from './option-hooks.js';
import { memoryStorage } from './session.js';
import type { ChatClientOptions, ClientStorage } from './types.js';

/** Checks the options; returns the relay's URL, parsed. */
export function checkOptions(o: ChatClientOptions): URL {
  if (typeof o !== 'object' || o === null) throw new TypeError(devText('options must be an object'));
  if (typeof o.relay !== 'string') throw new TypeError(devText('options.relay must be a string'));
  let url: URL | undefined;
  try {
    url = new URL(o.relay);
  } catch {
    /* reported below */
  }
  if (!url || !/^https?:$/.test(url.protocol)) throw new RangeError(devText('options.relay must be an http: or https: URL'));
  checkHooks(o);
  return url;
}

/** `localStorage`, or where it is missing or denied (sandboxed frame, privacy mode), memory. */
export function defaultStorage(): ClientStorage {
  try {
    if (globalThis.localStorage) return globalThis.localStorage;
  } catch {
    /* denied */
  }
  return memoryStorage();
}
