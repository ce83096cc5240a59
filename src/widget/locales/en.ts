/**
 * English: the complete string table of `<parley-chat>`. Every other locale is checked
 * against these keys; a missing key there falls back to this table. Placeholders are
 * `{name}`-style and filled by `format()` in ../strings.ts, never parsed as markup.
 */
import { LAUNCHER_LABEL } from '../launcher-look.js';

export const en = {
  launcher: LAUNCHER_LABEL,
  unread: '{n} unread',
  title: 'Support',
  close: 'Close chat',
  menu: 'More options',
  endChat: 'End chat',
  endConfirm: 'End this chat?',
  keepChatting: 'Keep chatting',
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
  left: '{n} characters left',
  over: '{n} characters over the limit',
  sending: 'Sending',
  sent: 'Sent',
  failed: 'Not sent',
  retry: 'Retry',
  queue: 'You are number {n} in line',
  queueNext: 'You are next in line',
  waiting: 'Waiting for an agent…',
  claimed: '{name} joined the chat',
  transferredTo: 'You are being transferred to {name}',
  transferredQueue: 'You are being transferred to the next available agent',
  endedByAgent: '{name} ended the chat',
  endedByYou: 'You ended the chat',
  endedIdle: 'The chat ended after a period of inactivity',
  endedSystem: 'The chat has ended',
  endedFull: 'This chat reached its length limit',
  uploadAsked: '{name} asked for a file',
  uploadCanceled: 'The file request was withdrawn',
  typing: '{name} is typing…',
  reconnecting: 'Reconnecting…',
  offline: 'Connection lost. Check your network.',
  chooseFile: 'Choose file',
  upTo: 'up to {size}',
  tooBig: '{file} is {size}; the limit is {limit}',
  empty: '{file} is empty',
  uploading: 'Uploading {file}',
  cancel: 'Cancel',
  uploadFailed: '{file} could not be uploaded.',
  download: 'Download',
  newChat: 'Start a new chat',
  transcript: 'Download transcript',
  // Relay and client errors, by code (ChatError.code).
  err_invalid: 'Please check what you entered.',
  err_rate_limited: 'Too many messages at once. Please wait a moment.',
  err_blocked: 'You cannot start a chat right now.',
  err_ended: 'This chat has ended.',
  err_too_large: 'That file is larger than the limit.',
  err_network: 'Could not reach the chat service. Please try again.',
  err_timeout: 'The chat service did not answer. Please try again.',
  err_other: 'Something went wrong. Please try again.',
};

/** Every string key of the widget. */
export type StringKey = keyof typeof en;
/** A full string table. */
export type Strings = Record<StringKey, string>;
