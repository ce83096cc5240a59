/**
 * English: the string table of `<parley-chat>` that every page view needs. The strings
 * of the parts loaded on first use (`en-later.ts`) travel with those parts. Every other
 * locale is a complete table of both, checked against these keys; a missing key there
 * falls back to English. Placeholders are `{name}`-style and filled by `format()` in
 * ../strings.ts, never parsed as markup.
 */
import { LAUNCHER_LABEL } from '../launcher-basics.js';
import type { LaterKey } from './en-later.js';

export const en = {
  launcher: LAUNCHER_LABEL,
  unread: '{n} unread',
  title: 'Support',
  close: 'Close chat',
  replies: 'Usually replies in a few minutes',
  away: "We're away right now",
  menu: 'More options',
  intro: 'Leave your email and we will answer here.',
  email: 'Email',
  name: 'Name',
  optional: 'optional',
  badEmail: 'Enter an email address like name@example.com.',
  badName: 'Use at most 100 characters without line breaks.',
  start: 'Start chat',
  connecting: 'Connecting…',
  askAway: 'Ask us anything. We will answer here.',
  you: 'You',
  message: 'Message',
  send: 'Send',
  sending: 'Sending',
  sent: 'Sent',
  failed: 'Not sent',
  queued: 'Waiting',
  retry: 'Retry',
  queue: "You're {n} in line",
  // Ordinal endings for {n} of `queue` (th for 0, 4-9 and 11-13; st, nd, rd): '' for none.
  nth: 'th st nd rd',
  wait: 'Usual wait: about {n} min',
  waiting: 'Waiting for an agent…',
  claimed: '{name} joined the chat',
  typing: '{name} is typing…',
  reconnecting: 'Reconnecting…',
  offline: 'Connection lost. Check your network.',
  // Relay and client errors, by code (ChatError.code).
  err_invalid: 'Please check what you entered.',
  err_rate_limited: 'Too many messages at once. Please wait a moment.',
  err_blocked: 'You cannot start a chat right now.',
  // Also the line shown instead of the form when the relay takes only signed-in customers.
  err_unverified: 'Please sign in to chat with us.',
  err_ended: 'This chat has ended.',
  err_network: 'Could not reach the chat service. Please try again.',
  err_timeout: 'The chat service did not answer. Please try again.',
  err_other: 'Something went wrong. Please try again.',
};

/** The string keys every page view needs. */
export type CoreKey = keyof typeof en;
/** Every string key of the widget: these and those of the parts loaded later (`en-later.ts`). */
export type StringKey = CoreKey | LaterKey;
/** A full string table. */
export type Strings = Record<StringKey, string>;
/** The table a page has before the later parts load: full in every locale but English. */
export type LoadedStrings = Record<CoreKey, string> & Partial<Strings>;
