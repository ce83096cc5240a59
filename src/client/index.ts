/**
 * The headless client's public entry (`parley-chat/client`): the `ChatClient` class,
 * `ParleyError` (what every error it reports is), and every type a UI codes against.
 * No Lit, no DOM rendering.
 */
export { ChatClient } from './chat-client.js';
export type * from './types.js';
export { ParleyError } from '../protocol/errors.js';
