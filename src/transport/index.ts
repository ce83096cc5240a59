/**
 * The transport shared by the headless client and the agent console: one reconnecting
 * socket (reconnecting-socket.ts), its clock (backoff.ts) and the typed
 * `EventTarget` it and its owners extend (typed-events.ts).
 */
export * from './reconnecting-socket.js';
export * from './backoff.js';
export * from './typed-events.js';
