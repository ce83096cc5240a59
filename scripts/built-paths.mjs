// Where the build writes each package's files, in one place for the build, the tests,
// the bench and the scripts. The repository builds two npm packages:
//   packages/parley-chat   the element and the headless client (depends on lit only)
//   packages/parley-relay  the relay and its bin, serving the script tag, the console
//                          and the demo page it carries in its dist/
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The npm package `parley-chat`'s built files: index.js, client.js, types/. */
export const CHAT_DIST = join(ROOT, 'packages/parley-chat/dist');
/** The npm package `parley-relay`'s built files: cli.js, index.js, widget/, console/, demo/. */
export const RELAY_DIST = join(ROOT, 'packages/parley-relay/dist');
/** The script tag's files the relay serves: parley.js, its chunks and locale files. */
export const WIDGET_DIR = join(RELAY_DIST, 'widget');
/** The agent console the relay serves at /console/. */
export const CONSOLE_DIR = join(RELAY_DIST, 'console');
/** The relay's programmatic entry and its bin. */
export const RELAY_MODULE = join(RELAY_DIST, 'index.js');
export const RELAY_CLI = join(RELAY_DIST, 'cli.js');
