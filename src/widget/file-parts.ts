/**
 * The parts of a chat about files, loaded together on first use (`files` in lazy.ts):
 * the upload prompt, and the log's file rows, which follow an upload.
 */
import { unsafeCSS } from 'lit';
import { fileRowCss } from './file-row.js';
import { uploadCss } from './upload-prompt.js';
import { secondaryCss } from './secondary-css.js';

export { uploadPrompt } from './upload-prompt.js';
export { fileRow } from './file-row.js';
/** Added to the element's styles when this module arrives (see `Panel.use`). */
export const styles = unsafeCSS(secondaryCss + uploadCss + fileRowCss);
