/**
 * Whether this build carries English developer messages (`devText`, errors.ts). True in
 * the npm element (`index.js`), `client.development.js` and the console, where a
 * developer reads them; the script-tag build and the npm `client.js` resolve this module
 * to `dev-mode-off.ts`, where it is false, and the minifier drops the texts behind it
 * (the widget words every error by its code).
 */
export const DEV_MODE: boolean = true;
