/**
 * What the launcher looks like, as plain values: the host and launcher rules of
 * `<parley-chat>`, its speech-bubble icon and its English name. The element uses them
 * with the rest of its styles and strings, and the script tag's loader draws the very
 * same launcher with them before the widget has loaded (the loader cannot afford Lit).
 * The CSS is tagged `plainCss` so the build minifies it as CSS; the rest of the
 * element's rules (styles.ts, and the parts loaded on first use) are tagged with it too.
 * The script tag's widget does not carry these rules a second time: it adopts the
 * loader's sheet (`launcher-look-loaded.ts`, `start` in src/embed/widget.ts).
 */

import { plainCss } from './launcher-basics.js';

export { CHAT_ICON_PATH, LAUNCHER_LABEL, plainCss } from './launcher-basics.js';

/** The rules the closed launcher needs: position, theme, focus ring, the round button. */
export const launcherCss = plainCss`
  :host{
    color-scheme:light;
    --parley-accent:light-dark(#2f5bea,#7c9bff);
    --parley-on-accent:light-dark(#fff,#0b1020);
    --parley-offset:20px;
    position:fixed;
    z-index:var(--parley-z-index,2147480000);
    bottom:var(--parley-offset);
    right:var(--parley-offset)
  }
  :host([theme=dark]){color-scheme:dark}
  :host([theme=auto]){color-scheme:light dark}
  :host([position=left]){right:auto;left:var(--parley-offset)}
  button{cursor:pointer;border:0;background:none}
  :focus-visible{outline:3px solid var(--parley-accent);outline-offset:2px}
  .launcher{padding:0;display:grid;place-items:center;width:56px;height:56px;margin-left:auto;border-radius:50%;background:var(--parley-accent);color:var(--parley-on-accent);box-shadow:0 4px 14px #0004}
  :host([position=left]) .launcher{margin-left:0}
`;
