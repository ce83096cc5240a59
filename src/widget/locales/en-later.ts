/**
 * English strings of the parts of `<parley-chat>` that load on first use (the end-chat
 * question, the upload prompt and file rows, the after-the-end actions): they travel in
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
  newChat: 'Start a new chat',
  transcript: 'Download transcript',
  err_too_large: 'That file is larger than the limit.',
};

/** The string keys of the parts loaded later. */
export type LaterKey = keyof typeof enLater;

/** The full table for a part loaded later: English for what the page's table lacks. */
export function later(p: { s: LoadedStrings }): Strings {
  return { ...enLater, ...p.s };
}
