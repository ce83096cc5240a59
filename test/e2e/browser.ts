// Launches Debian's Chromium through playwright-core for the browser tests: headless,
// no sandbox (CI runs as root), no background networking. playwright-core gives every
// launch a fresh, throwaway profile directory of its own.
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env['PARLEY_CHROMIUM'] ?? '/usr/bin/chromium';

/** A headless Chromium; close it with `browser.close()`. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
