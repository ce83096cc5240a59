/**
 * `launcher-look.ts` as the script tag's widget build sees it: no launcher rules, since
 * the loader that drew the launcher already holds them as a stylesheet, and the widget
 * adopts that very sheet as it starts (`start` in src/embed/widget.ts). Every page view
 * is spared the same rules twice.
 */
export { CHAT_ICON_PATH, LAUNCHER_LABEL, plainCss } from './launcher-basics.js';

/** Empty here: the loader's sheet takes its place in `styles`. */
export const launcherCss = '';
