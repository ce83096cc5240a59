/**
 * What a chat shows only after its end, loaded on first use (`after` in lazy.ts): the
 * rating step and the after-the-end actions with the transcript download.
 */
import { unsafeCSS } from 'lit';
import { afterCss } from './after-chat.js';
import { ratingCss } from './rating.js';
import { secondaryCss } from './secondary-css.js';

export { afterChat } from './after-chat.js';
/** Added to the element's styles when this module arrives (see `Panel.use`). */
export const styles = unsafeCSS(secondaryCss + afterCss + ratingCss);
