/** `dev-mode.ts` for the script-tag build and the npm `client.js`: no English developer messages. */
export const DEV_MODE: boolean = false;
