/**
 * The small parts that a chat needs only sometimes, loaded together on first use
 * (`little` in lazy.ts): the End chat item and its question, the composer's counter near
 * the limit, the unread badge, notices other than "… joined the chat", links in messages
 * and the leave-a-message form. Each is a few hundred bytes; as one file, the widget that
 * loads them names one file, not six (a hashed file name is bytes gzip cannot save on
 * every page).
 */
import { unsafeCSS } from 'lit';
import { styles as counterStyles } from './counter.js';
import { styles as badgeStyles } from './unread-badge.js';
import { styles as endChatStyles } from './end-chat.js';

export { counter } from './counter.js';
export { menuItems, question } from './end-chat.js';
export { badge } from './unread-badge.js';
export { noticeRow } from './notices.js';
export { linked } from './linkify.js';
export { leaving, check, leftWaiting } from './leave-message.js';

/** Added to the element's styles when this module arrives (see `Panel.use`). */
export const styles = unsafeCSS(counterStyles.cssText + badgeStyles.cssText + endChatStyles.cssText);
