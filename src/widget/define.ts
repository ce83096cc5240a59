/**
 * Registers `<parley-chat>` once: a second import, a second bundle or the script tag
 * beside the npm package finds the name taken and leaves it be (no double-define error).
 */
import { ParleyChat } from './parley-chat.js';

/** The element's tag name. */
export const TAG = 'parley-chat';

/** Defines `<parley-chat>` unless some copy already did. Returns the registered class. */
export function defineParleyChat(registry: CustomElementRegistry = customElements): CustomElementConstructor {
  if (!registry.get(TAG)) registry.define(TAG, ParleyChat);
  return registry.get(TAG)!;
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-chat': ParleyChat;
  }
}
