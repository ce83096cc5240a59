/**
 * The widget module's surface: the element class, its definition helper and the types
 * of its events, for the npm entry and the script tag. Importing this defines nothing.
 */
export { ParleyChat, type Identity } from './parley-chat.js';
export { defineParleyChat, TAG } from './define.js';
export type { ChatClientLike } from './client-controller.js';
export type { ParleyEventDetail, ParleyEventMap, ParleyEventName } from './events.js';
export { registerLocale, LANGUAGES } from './strings.js';
export type { StringKey, Strings } from './strings.js';
