/**
 * The DOM events `<parley-chat>` dispatches: names, detail types and their place in
 * `HTMLElementEventMap`, so `el.addEventListener('parley:message', e => e.detail.text)`
 * is typed. All bubble and are composed (they leave the shadow root).
 */
import type { ChatMessage } from '../client/types.js';
import type { EventOf } from '../protocol/index.js';

/** Detail of each `parley:*` event. */
export interface ParleyEventDetail {
  /** The panel opened. */
  'parley:open': null;
  /** The panel closed. */
  'parley:close': null;
  /** A message (either side's) reached the conversation's log. */
  'parley:message': ChatMessage;
  /** An agent joined the chat. */
  'parley:claimed': EventOf<'claimed'>;
  /** The chat ended (by anyone). */
  'parley:ended': EventOf<'ended'>;
  /** The unread count changed. */
  'parley:unread': { count: number };
}

/** One `parley:*` event name. */
export type ParleyEventName = keyof ParleyEventDetail;

/** The typed events, for `HTMLElementEventMap`. */
export type ParleyEventMap = { [K in ParleyEventName]: CustomEvent<ParleyEventDetail[K]> };

// The events bubble out of the shadow root, so a page can listen on document or window too.
declare global {
  interface HTMLElementEventMap extends ParleyEventMap {}
  interface DocumentEventMap extends ParleyEventMap {}
  interface WindowEventMap extends ParleyEventMap {}
}
