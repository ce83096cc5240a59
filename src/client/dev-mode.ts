/**
 * Whether this build carries the client's English developer messages. It is true in the
 * npm builds, where an app developer reads them; the script-tag build resolves this
 * module to `dev-mode-off.ts`, where it is false, and the minifier drops the texts
 * behind it (that widget words every error by its code).
 */
export const DEV_MODE: boolean = true;
