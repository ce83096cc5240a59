/** `dev-mode.ts` for the script-tag build: no English developer messages. */
export const DEV_MODE: boolean = false;
