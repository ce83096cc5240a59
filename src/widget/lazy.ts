/**
 * Parts of the widget that a customer needs only sometimes, or only once an agent has
 * acted, are modules loaded by dynamic `import()`: the script-tag build makes each a
 * file of its own, fetched on first use, so the file a page loads before anyone chats
 * stays small (the npm builds inline them). They are all listed here, at the end; a
 * render asks for one with `Panel.use`, which renders it once it has arrived.
 */
import type { CSSResult } from 'lit';

/** A module loaded on the first call, once; `m` holds it after it arrived. */
export interface Lazy<T> {
  (): Promise<T>;
  m?: T;
}

/** What a part's module exports besides its templates: the styles they need, if any. */
export interface Part {
  styles?: CSSResult;
}

/**
 * Wraps an `import()`, which the browser runs once; a load that failed (the network)
 * is tried again on the next call (`Panel.use` makes one call at a time).
 */
export function lazy<T>(load: () => Promise<T>): Lazy<T> {
  const get: Lazy<T> = () => load().then((m) => (get.m = m));
  return get;
}

/** The upload prompt and file rows (file-parts.ts): when an agent first asks for a file, or a file shows. */
export const files = lazy(() => import('./file-parts.js'));
/**
 * The small parts (little-parts.ts), one file for all: the End chat item and its
 * question (when the menu first opens), links in messages (with the first message that
 * may hold one), notices other than "… joined the chat", the composer's counter near the
 * limit, the unread count on the closed launcher, and the leave-a-message form when
 * nobody can answer.
 */
const little = lazy(() => import('./little-parts.js'));
export const endChat = little;
export const links = little;
export const notices = little;
export const counter = little;
export const unreadBadge = little;
export const leave = little;
/** The after-the-end actions, the rating and the transcript (after-parts.ts): when a chat ends. */
export const after = lazy(() => import('./after-parts.js'));
