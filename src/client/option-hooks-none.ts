/**
 * The script tag's stand-in for option-hooks.ts: its widget makes the client from
 * `relay` alone (checked in options.ts), so there are no other options to check, and
 * none given as `undefined` to leave out.
 */
import type { ChatClientOptions } from './types.js';

export function checkHooks(_o: ChatClientOptions): void {}

export function socketOptions(o: ChatClientOptions): ChatClientOptions {
  return o;
}
