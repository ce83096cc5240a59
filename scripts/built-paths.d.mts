// Types of scripts/built-paths.mjs for the TypeScript that imports it (the tests).

/** The repository's root. */
export declare const ROOT: string;
/** The npm package `parley-chat`'s built files: index.js, client.js, types/. */
export declare const CHAT_DIST: string;
/** The npm package `parley-relay`'s built files: cli.js, index.js, widget/, console/, demo/. */
export declare const RELAY_DIST: string;
/** The script tag's files the relay serves: parley.js, its chunks and locale files. */
export declare const WIDGET_DIR: string;
/** The agent console the relay serves at /console/. */
export declare const CONSOLE_DIR: string;
/** The relay's programmatic entry and its bin. */
export declare const RELAY_MODULE: string;
export declare const RELAY_CLI: string;
