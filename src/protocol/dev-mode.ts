/**
 * Whether this build carries English developer messages (`devText`, errors.ts). True in
 * the npm builds and the console, where a developer reads them; the script-tag build
 * resolves this module to `dev-mode-off.ts`, where it is false, and the minifier drops
 * the texts behind it (that widget words every error by its code).
 */
export const DEV_MODE: boolean = true;
