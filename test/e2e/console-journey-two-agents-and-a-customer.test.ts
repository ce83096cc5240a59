/**
 * A whole chat carried by people in real Chromium: a customer on the demo page, Jane in
 * the console at /console/, Bob in a second console. Jane claims (and the tile leaves
 * Bob's list), they write both ways, Jane asks for a file that the customer uploads
 * and Jane downloads, Jane asks Bob to take the chat over and he accepts, and Bob ends it.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBytes } from '../../src/protocol/index.js';
import { consoleUi, signInToConsole } from './journey-console.js';
import { startJourney, type Journey } from './journey-setup.js';
import { waitForText, widget } from './journey-widget.js';

const JANE = 'Jane Doe';
const BOB = 'Bob Stone';
const CUSTOMER = 'Ann Lee';

describe('the agent console with a customer on the demo page', () => {
  let j: Journey;
  let customer: Page;
  let jane: Page;
  let bob: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    j = await startJourney();
    const janeAgent = await j.relay.addAgent(JANE);
    const bobAgent = await j.relay.addAgent(BOB);
    const open = async (label: string) => {
      const ctx = await j.browser.newContext({ viewport: { width: 1280, height: 800 } });
      const p = await ctx.newPage();
      p.on('pageerror', (e) => pageErrors.push(`${label}: ${e.message}`));
      return p;
    };
    [customer, jane, bob] = await Promise.all([open('customer'), open('jane'), open('bob')]);
    await Promise.all([
      customer.goto(j.relay.url + '/'),
      signInToConsole(jane, j.relay.url, janeAgent.token),
      signInToConsole(bob, j.relay.url, bobAgent.token),
    ]);
  }, 30_000);

  afterAll(async () => {
    await j?.close();
  });

  it('shows each agent their name, and a new chat as a waiting tile on both consoles', async () => {
    expect(await jane.locator('.agent-name').textContent()).toBe(JANE);
    expect(await bob.locator('.agent-name').textContent()).toBe(BOB);
    const w = widget(customer);
    await w.launcher.click();
    await w.email.fill('ann@example.com');
    await w.name.fill(CUSTOMER);
    await w.start.click();
    await w.message.waitFor({ state: 'visible' });
    for (const p of [jane, bob]) {
      const tile = consoleUi(p).tile(CUSTOMER);
      await tile.waitFor({ state: 'visible', timeout: 10_000 });
      expect(await tile.textContent()).toMatch(/Waiting \d+:\d\d/);
    }
    // Bob is reading it too when Jane claims it.
    await consoleUi(bob).tile(CUSTOMER).click();
    await consoleUi(bob).claim.waitFor({ state: 'visible' });
  });

  it('lets Jane claim it: the customer sees her join, and the tile disappears from Bob\'s console', async () => {
    const ui = consoleUi(jane);
    await ui.tile(CUSTOMER).click();
    await waitForText(ui.chat, 'ann@example.com');
    await ui.claim.click();
    await waitForText(ui.standing, 'You are chatting with this customer');
    await waitForText(widget(customer).notices, `${JANE} joined the chat`);
    const bobUi = consoleUi(bob);
    await bobUi.tile(CUSTOMER).waitFor({ state: 'detached', timeout: 10_000 });
    expect(await bobUi.tiles.count()).toBe(0);
    // The chat Bob had open says who took it, and offers no claim.
    await waitForText(bobUi.standing, `${JANE} took this chat`);
    expect(await bobUi.claim.count()).toBe(0);
    expect(await ui.tile(CUSTOMER).textContent()).toContain('Your chat');
  });

  it('carries messages both ways between the widget and the console, each side seeing the other typing until it sends', async () => {
    const ui = consoleUi(jane);
    const w = widget(customer);
    // Each side sees the other typing.
    await ui.reply.pressSequentially('Hello Ann, how can I help?');
    await waitForText(w.host.locator('.typing'), `${JANE} is typing…`);
    await ui.reply.press('Enter');
    await waitForText(w.host.locator('[part~="message-agent"]'), 'Hello Ann, how can I help?');
    expect(await ui.reply.inputValue()).toBe('');
    // Sending ends "typing" at once (well before the 3 s idle timeout).
    await w.host.locator('.typing').waitFor({ state: 'detached', timeout: 2_000 });

    await w.message.pressSequentially('My order #1042 has not arrived.');
    await waitForText(ui.chat.locator('.typing'), `${CUSTOMER} is typing…`);
    await w.message.press('Enter');
    await waitForText(ui.transcript.locator('.msg--visitor'), 'My order #1042 has not arrived.');
    await expect.poll(() => ui.chat.locator('.typing').textContent(), { timeout: 2_000 }).toBe('');
    expect(await ui.transcript.locator('.msg--visitor .who').first().textContent()).toBe(CUSTOMER);
  });

  it('keeps Jane signed in across a reload of the console, with her chat and its history once', async () => {
    await jane.reload();
    const ui = consoleUi(jane);
    const tile = ui.tile(CUSTOMER);
    await tile.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await tile.textContent()).toContain('Your chat');
    await tile.click();
    await waitForText(ui.transcript, 'My order #1042 has not arrived.');
    expect(await ui.transcript.locator('.msg').count()).toBe(2);
    await waitForText(ui.standing, 'You are chatting with this customer');
  });

  it('fulfils a file request: Jane asks with a note, the customer uploads, Jane downloads the same bytes', async () => {
    const ui = consoleUi(jane);
    const w = widget(customer);
    await ui.action('Request file').click();
    await ui.dialog.getByLabel('What do you need? (shown to the customer)').fill('A photo of the parcel label');
    await ui.dialog.getByRole('button', { name: 'Request file' }).click();
    await waitForText(ui.uploadPending, 'Waiting for a file from the customer: A photo of the parcel label');
    expect(await ui.action('Request file').isDisabled()).toBe(true);

    await w.upload.waitFor({ state: 'visible' });
    expect(await w.upload.textContent()).toContain('A photo of the parcel label');
    const bytes = Buffer.from('parcel label: KILN-1042 / Lisbon → Porto\n'.repeat(200));
    await w.fileInput.setInputFiles({ name: 'label.txt', mimeType: 'text/plain', buffer: bytes });
    await waitForText(w.fileRows, 'label.txt');

    const row = ui.transcript.locator('li.file');
    await waitForText(row, `label.txt (${formatBytes(bytes.length)})`);
    await ui.uploadPending.waitFor({ state: 'detached' });
    const download = jane.waitForEvent('download', { timeout: 10_000 });
    await row.getByRole('button', { name: 'Download label.txt' }).click();
    const d = await download;
    expect(d.suggestedFilename()).toBe('label.txt');
    const path = await d.path();
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('transfers the chat from Jane to Bob with a note once he accepts: the customer is told, and the chat moves to Bob\'s tiles', async () => {
    const ui = consoleUi(jane);
    await ui.action('Transfer').click();
    await ui.dialog.getByLabel('Transfer to').selectOption({ label: `${BOB} (Online)` });
    await ui.dialog.getByLabel('Note (optional)').fill('Billing question');
    await ui.dialog.getByRole('button', { name: 'Transfer' }).click();
    await waitForText(ui.outgoing, `Waiting for ${BOB} to accept`);
    const card = consoleUi(bob).asked(CUSTOMER);
    await waitForText(card, 'Billing question');
    await card.getByRole('button', { name: 'Accept' }).click();

    const w = widget(customer);
    await waitForText(w.notices, `${BOB} joined the chat`);
    expect((await w.notices.allTextContents()).join(' ')).not.toContain('transferred');
    expect(await w.host.locator('[part~="agent"]').textContent()).toBe(BOB);

    const bobUi = consoleUi(bob);
    const tile = bobUi.tile(CUSTOMER);
    await tile.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await tile.textContent()).toContain('Your chat');
    await ui.tile(CUSTOMER).waitFor({ state: 'detached', timeout: 10_000 });

    await tile.click();
    // Bob reads the history he was handed, notes and file included.
    await waitForText(bobUi.transcript, `${JANE} transferred the chat to You: Billing question`);
    const history = await bobUi.transcript.textContent();
    expect(history).toContain('My order #1042 has not arrived.');
    expect(history).toContain('label.txt');
    await bobUi.reply.fill('Bob here, I can refund the shipping.');
    await bobUi.reply.press('Enter');
    const bubble = w.host.locator('[part~="message-agent"]').filter({ hasText: 'Bob here, I can refund the shipping.' });
    await bubble.waitFor({ state: 'visible' });
    expect(await bubble.textContent()).toContain(BOB);
  });

  it('lets Bob end the chat after confirming: the customer sees it ended and can no longer write', async () => {
    const ui = consoleUi(bob);
    await ui.action('End chat').click();
    await ui.dialog.getByRole('button', { name: 'End chat' }).click();
    await waitForText(ui.standing, 'This chat has ended.');
    await waitForText(ui.transcript, 'You ended the chat');

    const w = widget(customer);
    await waitForText(w.notices, `${BOB} ended the chat`);
    await w.newChat.waitFor({ state: 'visible' });
    expect(await w.message.count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
