/**
 * What every browser journey starts from: the built files (checked, never built here),
 * a real relay on 127.0.0.1 port 0 serving the demo page, the widget and the console,
 * and one headless Chromium. `close()` undoes all of it and is safe to call twice.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { CONSOLE_DIR, RELAY_DIST, WIDGET_DIR } from '../../scripts/built-paths.mjs';
import type { Browser } from 'playwright-core';
import { SqliteStore, startRelay, type Relay, type RelayOptions } from '../../src/relay/index.js';
import { launchChromium } from './browser.js';

/** The package root. */
export const ROOT = resolve(import.meta.dirname, '../..');

/** The built files the journeys load in the browser. */
const BUILT = [join(WIDGET_DIR, 'parley.js'), join(CONSOLE_DIR, 'index.html'), join(CONSOLE_DIR, 'console.js'), join(CONSOLE_DIR, 'console.css'), join(RELAY_DIST, 'demo', 'index.html')];

/**
 * Throws a clear error when the build is missing: these tests exercise what users get
 * (the packages' `dist/`), so they never build it themselves.
 */
export function requireBuild(): void {
  const missing = BUILT.filter((f) => !existsSync(f)).map((f) => relative(ROOT, f));
  if (missing.length) throw new Error(`Built files are missing (${missing.join(', ')}): run \`npm run build\` first.`);
}

/** A running relay and browser for one test file. */
export interface Journey {
  relay: Relay;
  browser: Browser;
  /** Closes the browser and the relay and removes the data folder; idempotent. */
  close(): Promise<void>;
}

/**
 * Starts the relay (in-memory SQLite store, demo on) and Chromium. `options` go to the
 * relay as well (`routing: 'auto'`, shorter timers…).
 */
export async function startJourney(options: Omit<RelayOptions, 'port' | 'host' | 'dataDir' | 'store' | 'demo'> = {}): Promise<Journey> {
  requireBuild();
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-e2e-'));
  // A relay does not close a store it was given: `close()` closes it after the relay.
  const store = new SqliteStore(':memory:');
  let relay: Relay;
  try {
    relay = await startRelay({ ...options, port: 0, host: '127.0.0.1', dataDir, store, demo: true });
  } catch (err) {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (err) {
    await relay.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  let closed: Promise<void> | null = null;
  return {
    relay,
    browser,
    close: () =>
      (closed ??= (async () => {
        await browser.close().catch(() => undefined);
        await relay.close();
        await store.close();
        rmSync(dataDir, { recursive: true, force: true });
      })()),
  };
}
