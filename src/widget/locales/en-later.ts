/**
 * English strings of the parts of `<parley-chat>` that load on first use (the end-chat
 * question, the upload prompt and file rows, the end's notice and the after-the-end
 * actions, the leave-a-message form, the rating step): they travel in
 * those parts' files, not in the file every page view loads. `later(p)` is the table a
 * part reads: these under the locale's (every other locale has them) and the site's
 * overrides.
 */
import type { LoadedStrings, Strings } from './en.js';

export const enLater = {
  endChat: 'End chat',
  endConfirm: 'End this chat?',
  keepChatting: 'Keep chatting',
  chooseFile: 'Choose file',
  upTo: 'up to {size}',
  tooBig: '{file} is {size}; the limit is {limit}',
  empty: '{file} is empty',
  uploading: 'Uploading {file}',
  cancel: 'Cancel',
  uploadFailed: '{file} could not be uploaded.',
  download: 'Download',
  fileFrom: 'Sent by {name}',
  endedByAgent: '{name} ended the chat',
  endedByYou: 'You ended the chat',
  endedIdle: 'The chat ended after a period of inactivity',
  endedSystem: 'The chat has ended',
  endedFull: 'This chat reached its length limit',
  agentLeft: '{name} left the chat',
  transferredQueue: 'You are being transferred to the next available agent',
  uploadAsked: '{name} asked for a file',
  uploadCanceled: 'The file request was withdrawn',
  left: '{n} characters left',
  over: '{n} characters over the limit',
  newChat: 'Start a new chat',
  transcript: 'Download transcript',
  err_too_large: 'That file is larger than the limit.',
  leaveIntro: "Nobody can answer right now. Leave a message and we'll reply here.",
  leaveSend: 'Send message',
  leaveEmpty: 'Write your message.',
  leftWaiting: "Thanks! We'll answer here as soon as we can.",
  rateAsk: 'How was this chat?',
  rateUp: 'Good',
  rateDown: 'Not good',
  rateComment: 'Anything to add? (optional)',
  rateSend: 'Send rating',
  rateSkip: 'Skip',
  rateThanks: 'Thanks for your feedback!',
};

/** The string keys of the parts loaded later. */
export type LaterKey = keyof typeof enLater;

/** The full table for a part loaded later: English for what the page's table lacks. */
export function later(p: { s: LoadedStrings }): Strings {
  return { ...enLater, ...p.s };
}
