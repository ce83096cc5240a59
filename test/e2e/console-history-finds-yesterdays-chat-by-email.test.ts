/**
 * History in real Chromium, in a time zone far from UTC: Jane finds yesterday's chat
 * with Ann by Ann's email, narrows it to yesterday by date, opens it and reads it as it
 * was (both sides' messages, her internal note, the file, which she downloads), with
 * nothing to type into, and goes back to the results. Then a new chat from Ann shows
 * her earlier chats, and one of them opens in History. The past chats were written
 * through the store with yesterday's times: no clock, no sleeping.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleUi, signInToConsole } from './journey-console.js';
import { writePastChat } from './journey-past-chats.js';
import { startJourney, type Journey } from './journey-setup.js';
import { waitForText } from './journey-widget.js';

const DAY = 24 * 60 * 60 * 1000;
/** UTC+13 or +14: the agent's "yesterday" is rarely UTC's. */
const TIME_ZONE = 'Pacific/Auckland';
/** `YYYY-MM-DD` of `d` in the agent's time zone, as a date field takes it. */
const dayOf = (d: Date): string => new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);

describe("the console's History", () => {
  let j: Journey;
  let page: Page;
  let yesterdaysId = '';
  const yesterday = new Date(Date.now() - DAY);
  const fileBytes = Buffer.from('photo of the chipped rim\n'.repeat(40));
  const pageErrors: string[] = [];

  beforeAll(async () => {
    j = await startJourney();
    const jane = await j.relay.addAgent('Jane Doe');
    const agent = { id: jane.id, name: jane.name };
    const store = j.relay.store;
    yesterdaysId = (
      await writePastChat(store, {
        email: 'ann@example.com',
        name: 'Ann Lee',
        agent,
        endedAt: yesterday,
        messages: [
          ['visitor', 'The Tide mug came with a chip in the rim.'],
          ['agent', 'Sorry! A new one ships today.'],
        ],
        note: 'Replacement approved, no return needed',
        file: { name: 'chip.txt', bytes: fileBytes },
      })
    ).id;
    await writePastChat(store, { email: 'Ann@Example.com', name: 'Ann Lee', agent, endedAt: new Date(Date.now() - 4 * DAY), messages: [['visitor', 'Do you ship to Porto?']] });
    await writePastChat(store, { email: 'bob@example.com', name: 'Bob Stone', agent, endedAt: yesterday, messages: [['visitor', 'Is the bowl oven-safe?']] });

    const ctx = await j.browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: TIME_ZONE });
    page = await ctx.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await signInToConsole(page, j.relay.url, jane.token);
  }, 30_000);

  afterAll(async () => {
    await j?.close();
  });

  const rows = () => page.getByRole('table', { name: 'Ended chats' }).locator('tbody tr');

  it("finds yesterday's chat by email and by yesterday's date, opens it read-only, downloads its file, and goes back", async () => {
    await page.getByRole('button', { name: 'History' }).click();
    const search = page.getByRole('searchbox', { name: 'Email, name or words' });
    await expect.poll(() => search.evaluate((el) => el === document.activeElement)).toBe(true);
    // Every ended chat, newest first, before any search.
    await expect.poll(() => rows().count()).toBe(3);

    await search.fill('ann@example.com');
    await search.press('Enter');
    await expect.poll(() => rows().count()).toBe(2);
    expect(await rows().first().textContent()).toContain('Ann Lee');

    await page.getByLabel('From', { exact: true }).fill(dayOf(yesterday));
    await page.getByLabel('To', { exact: true }).fill(dayOf(yesterday));
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => rows().count()).toBe(1);
    const row = rows().first();
    expect(await row.locator('time').getAttribute('datetime')).toBe(yesterday.toISOString());
    expect(await row.textContent()).toContain('Completed');
    expect(await row.getByRole('button').getAttribute('data-id')).toBe(yesterdaysId);

    await row.getByRole('button', { name: /ann@example\.com/ }).click();
    const ui = consoleUi(page);
    await waitForText(ui.transcript, 'Sorry! A new one ships today.');
    const past = page.locator('section.past-chat');
    expect(await past.getByRole('heading', { level: 2 }).evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await past.getByRole('heading', { level: 2 }).textContent()).toBe('Ann Lee');
    expect(await ui.transcript.locator('.msg .text').allTextContents()).toEqual(['The Tide mug came with a chip in the rim.', 'Sorry! A new one ships today.']);
    const note = ui.transcript.locator('.note');
    expect(await note.textContent()).toContain('Internal note · You');
    expect(await note.textContent()).toContain('Replacement approved, no return needed');
    // Read-only: nothing to type, no actions, no claim.
    expect(await page.getByRole('textbox').count()).toBe(0);
    expect(await page.getByRole('group', { name: 'Chat actions' }).count()).toBe(0);

    const download = page.waitForEvent('download', { timeout: 10_000 });
    await ui.transcript.getByRole('button', { name: 'Download chip.txt' }).click();
    const d = await download;
    expect(d.suggestedFilename()).toBe('chip.txt');
    expect(readFileSync(await d.path()).equals(fileBytes)).toBe(true);

    await page.getByRole('button', { name: 'Back to results' }).click();
    await expect.poll(() => row.getByRole('button').evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await rows().count()).toBe(1);
  });

  it("shows Ann's earlier chats in her new chat, newest first, and opens one in History", async () => {
    const ws = new WebSocket(j.relay.url.replace(/^http/, 'ws') + '/v1/visitor');
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ t: 'hello', id: 'h', email: 'ANN@example.com', name: 'Ann Lee' }));
    try {
      const ui = consoleUi(page);
      await ui.tile('Ann Lee').click();
      const earlier = page.getByRole('region', { name: 'Earlier chats' });
      await expect.poll(() => earlier.getByRole('listitem').count()).toBe(2);
      const first = earlier.getByRole('button').first();
      expect(await first.locator('time').getAttribute('datetime')).toBe(yesterday.toISOString());
      expect(await first.textContent()).toMatch(/ · Completed$/);
      await first.click();
      await waitForText(ui.transcript, 'The Tide mug came with a chip in the rim.');
      expect(await page.getByRole('button', { name: 'History' }).getAttribute('aria-pressed')).toBe('true');
    } finally {
      ws.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
