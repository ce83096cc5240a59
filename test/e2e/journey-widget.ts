/**
 * How the journeys reach `<parley-chat>` on a page: by the roles, names and parts a
 * customer or a screen reader meets (Playwright's locators pierce the open shadow
 * root), plus two probes that read the shadow tree: its text, and the upload progress
 * values it showed over time. No widget internals are touched.
 */
import type { Locator, Page } from 'playwright-core';

/** The widget's controls on one page, found as a person finds them. */
export function widget(page: Page) {
  const host = page.locator('parley-chat');
  return {
    host,
    launcher: host.locator('[part~="launcher"]'),
    panel: host.getByRole('dialog'),
    email: host.getByLabel('Email'),
    name: host.getByLabel(/^Name/),
    start: host.getByRole('button', { name: 'Start chat' }),
    log: host.getByRole('log'),
    message: host.getByRole('textbox', { name: 'Message' }),
    send: host.getByRole('button', { name: 'Send' }),
    upload: host.locator('[part~="upload"]'),
    fileInput: host.locator('input[type="file"]'),
    fileRows: host.locator('[part~="file"]'),
    notices: host.locator('[part~="notice"]'),
    newChat: host.getByRole('button', { name: 'Start a new chat' }),
  };
}

/** The text of the widget's shadow tree, as one string. */
export function widgetText(page: Page): Promise<string> {
  return page.evaluate(() => document.querySelector('parley-chat')?.shadowRoot?.textContent ?? '');
}

/**
 * Starts recording every percentage the upload prompt shows (`<progress>` value) until
 * `readProgress` is called; survives the prompt being re-rendered.
 */
export async function recordProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const root = document.querySelector('parley-chat')!.shadowRoot!;
    const seen: number[] = [];
    (window as unknown as { __progress: number[] }).__progress = seen;
    const look = () => {
      const p = root.querySelector('progress');
      if (p && seen[seen.length - 1] !== p.value) seen.push(p.value);
    };
    new MutationObserver(look).observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
    // Lit sets `.value` as a property (no mutation): poll each frame as well.
    const tick = () => {
      look();
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

/** The percentages recorded since `recordProgress`. */
export function readProgress(page: Page): Promise<number[]> {
  return page.evaluate(() => (window as unknown as { __progress?: number[] }).__progress ?? []);
}

/**
 * Slows the page's uploads (Chrome DevTools network throttling) so progress is seen
 * mid-way; `bytesPerSecond` of upload, downloads untouched.
 */
export async function throttleUploads(page: Page, bytesPerSecond: number): Promise<() => Promise<void>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond });
  return async () => {
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await cdp.detach();
  };
}

/** Waits until `locator` has text containing `text` (a plain helper for readable steps). */
export async function waitForText(locator: Locator, text: string | RegExp, timeout = 10_000): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ state: 'visible', timeout });
}
