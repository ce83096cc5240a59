/**
 * The launcher's small constants and the `plainCss` tag, apart from its rules
 * (`launcher-look.ts`): the widget's parts use these, and in the script tag the rules
 * come from the loader's own stylesheet instead (`launcher-look-loaded.ts`).
 */

/** The launcher's accessible name in English (the locale tables' `launcher`). */
export const LAUNCHER_LABEL = 'Chat with us';

/** The speech bubble drawn on the closed launcher: one SVG path in a 24×24 box (commas, no spaces: the loader's attribute lists are space-separated). */
export const CHAT_ICON_PATH = 'M21,12a8,8,0,0,1-11.6,7.1L4,20l1-4.6A8,8,0,1,1,21,12z';

/** Returns a template's text as written (a tag only so the build finds it as CSS). */
export const plainCss = (text: TemplateStringsArray): string => text.raw.join('');
