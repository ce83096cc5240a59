/**
 * axe-core audits in real Chromium, with real layout (so colour contrast is measured):
 * the open widget on the demo page (pre-chat form, a refused email, an active chat with
 * notices, messages and an upload prompt, on a phone-sized screen, in the dark theme,
 * the ended chat) and the agent console (sign-in, signed in with a chat open, a dialog
 * open, History with its results and a past chat open). Each must have no violations.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationSummary } from '../../src/protocol/index.js';
import { AgentWire } from './journey-agent.js';
import { audit } from './journey-axe.js';
import { consoleUi, signInToConsole } from './journey-console.js';
import { writePastChat } from './journey-past-chats.js';
import { startJourney, type Journey } from './journey-setup.js';
import { waitForText, widget } from './journey-widget.js';

describe('axe-core audit', () => {
  let j: Journey;
  let agent: AgentWire;
  let token = '';
  let customer: Page;
  let conversationId = '';

  beforeAll(async () => {
    j = await startJourney();
    const a = await j.relay.addAgent('Jane Doe');
    token = a.token;
    agent = await AgentWire.connect(j.relay.url, token);
    // bypassCSP lets the audit script in; the pages are otherwise as users get them.
    const ctx = await j.browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    customer = await ctx.newPage();
    await customer.goto(j.relay.url + '/');
  }, 30_000);

  afterAll(async () => {
    agent?.close();
    await j?.close();
  });

  describe('<parley-chat>', () => {
    it('has no violations with the pre-chat form open, before and after a refused email', async () => {
      const w = widget(customer);
      await w.launcher.click();
      await w.email.waitFor({ state: 'visible' });
      const before = await audit(customer, 'parley-chat');
      expect(before.violations).toEqual([]);
      expect(before.passes).toBeGreaterThan(5);

      await w.email.fill('not-an-email');
      await w.start.click();
      await waitForText(w.panel, 'Enter an email address like name@example.com.');
      expect((await audit(customer, 'parley-chat')).violations).toEqual([]);
    });

    it('has no violations in an active chat with notices, messages both ways and an upload prompt', async () => {
      const w = widget(customer);
      await w.email.fill('ann@example.com');
      await w.start.click();
      const f = await agent.next((x) => x.t === 'conversation' && x.summary.visitor.email === 'ann@example.com');
      conversationId = (f as { summary: ConversationSummary }).summary.id;
      await agent.request({ t: 'claim', id: 'claim', conversationId });
      await w.message.fill('Hello, is the Tide mug back in stock? https://example.com/tide');
      await w.message.press('Enter');
      agent.send({ t: 'send', conversationId, clientId: randomUUID(), text: 'It is! Shall I reserve one?' });
      await agent.request({ t: 'request_upload', id: 'req', conversationId, note: 'A photo of your order number, please' });
      await w.upload.waitFor({ state: 'visible' });
      await waitForText(w.host.locator('[part~="message-agent"]'), 'It is!');
      await waitForText(w.host.locator('[part~="message-visitor"]'), 'Sent');
      // A refused file's words are part of what is audited.
      await w.fileInput.setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: Buffer.alloc(5_300_000) });
      await waitForText(w.upload, 'huge.png is');
      const r = await audit(customer, 'parley-chat');
      expect(r.violations).toEqual([]);
      expect(r.passes).toBeGreaterThan(5);
    });

    it('has no violations on a phone-sized screen, where the panel fills the viewport', async () => {
      const w = widget(customer);
      await customer.setViewportSize({ width: 400, height: 700 });
      try {
        const box = await w.panel.boundingBox();
        expect(box?.width).toBeGreaterThanOrEqual(399);
        expect((await audit(customer, 'parley-chat')).violations).toEqual([]);
      } finally {
        await customer.setViewportSize({ width: 1280, height: 800 });
      }
    });

    it('has no violations in the dark theme', async () => {
      const w = widget(customer);
      const background = () => w.panel.evaluate((el) => getComputedStyle(el).backgroundColor);
      const light = await background();
      await w.host.evaluate((el) => el.setAttribute('theme', 'dark'));
      // The audit below really sees the dark colours.
      await expect.poll(background).not.toBe(light);
      const r = await audit(customer, 'parley-chat');
      await w.host.evaluate((el) => el.setAttribute('theme', 'light'));
      expect(r.violations).toEqual([]);
    });

    it('has no violations in the ended chat', async () => {
      const w = widget(customer);
      await agent.request({ t: 'end', id: 'end', conversationId });
      await w.newChat.waitFor({ state: 'visible' });
      expect((await audit(customer, 'parley-chat')).violations).toEqual([]);
    });
  });

  describe('the agent console', () => {
    it('has no violations on the sign-in page', async () => {
      const ctx = await j.browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
      const page = await ctx.newPage();
      await page.goto(j.relay.url + '/console/');
      await page.getByLabel('Agent token').waitFor({ state: 'visible' });
      const r = await audit(page, 'body');
      expect(r.violations).toEqual([]);
      expect(r.passes).toBeGreaterThan(5);
      await ctx.close();
    });

    it('has no violations signed in with a chat open: messages, a note, a file and a pending request', async () => {
      // A second chat, claimed in the console, with some of everything in it.
      const w = widget(customer);
      await w.newChat.click();
      await w.email.fill('bo@example.com');
      await w.name.fill('Bo Lind');
      await w.start.click();
      const f = await agent.next((x) => x.t === 'conversation' && x.summary.visitor.email === 'bo@example.com');
      const id = (f as { summary: ConversationSummary }).summary.id;

      const ctx = await j.browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
      const page = await ctx.newPage();
      await signInToConsole(page, j.relay.url, token);
      const ui = consoleUi(page);
      await ui.tile('Bo Lind').click();
      await ui.claim.click();
      await waitForText(ui.standing, 'You are chatting with this customer');
      await w.message.fill('My bowl has a chip on the rim.');
      await w.message.press('Enter');
      await waitForText(ui.transcript, 'My bowl has a chip on the rim.');
      await ui.reply.fill('Sorry! Could you send a photo?');
      await ui.reply.press('Enter');
      await page.getByRole('radio', { name: 'Internal note' }).check();
      await page.getByRole('textbox', { name: 'Internal note (agents only)' }).fill('Second chip report this month');
      await page.getByRole('textbox', { name: 'Internal note (agents only)' }).press('Enter');
      await waitForText(ui.transcript, 'Second chip report this month');
      await ui.action('Request file').click();
      await ui.dialog.getByRole('button', { name: 'Request file' }).click();
      await w.fileInput.setInputFiles({ name: 'chip.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(2048, 7) });
      await waitForText(ui.transcript, 'chip.jpg');
      await ui.action('Request file').click();
      await ui.dialog.getByLabel('What do you need? (shown to the customer)').fill('And one of the box');
      await ui.dialog.getByRole('button', { name: 'Request file' }).click();
      await ui.uploadPending.waitFor({ state: 'visible' });
      // A chat still waiting, so the unassigned tile's colours are audited too.
      const waiting = new WebSocket(j.relay.url.replace(/^http/, 'ws') + '/v1/visitor');
      await new Promise((r) => waiting.once('open', r));
      waiting.send(JSON.stringify({ t: 'hello', id: 'h', email: 'cy@example.com', name: 'Cy Park' }));
      await ui.tile('Cy Park').waitFor({ state: 'visible' });

      const r = await audit(page, 'body');
      expect(r.violations).toEqual([]);
      expect(r.passes).toBeGreaterThan(5);

      // And with the transfer dialog open.
      await ui.action('Transfer').click();
      await ui.dialog.waitFor({ state: 'visible' });
      expect((await audit(page, 'body')).violations).toEqual([]);
      waiting.close();
      await ctx.close();
    });

    it('has no violations in History: the results, and a past chat with a note and a file', async () => {
      await writePastChat(j.relay.store, {
        email: 'di@example.com',
        name: 'Di Okafor',
        agent: agent.welcome.agent,
        endedAt: new Date(Date.now() - 24 * 60 * 60 * 1000),
        messages: [
          ['visitor', 'The glaze on my plate is crazing.'],
          ['agent', 'That is normal for this glaze; it is food-safe.'],
        ],
        note: 'Sent the care sheet',
        file: { name: 'plate.txt', bytes: Buffer.from('a photo') },
      });
      const ctx = await j.browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
      const page = await ctx.newPage();
      await signInToConsole(page, j.relay.url, token);
      await page.getByRole('button', { name: 'History' }).click();
      const row = page.getByRole('table', { name: 'Ended chats' }).locator('tbody tr').filter({ hasText: 'Di Okafor' });
      await row.waitFor({ state: 'visible' });
      const results = await audit(page, 'body');
      expect(results.violations).toEqual([]);
      expect(results.passes).toBeGreaterThan(5);

      await row.getByRole('button').click();
      await waitForText(consoleUi(page).transcript, 'Sent the care sheet');
      expect((await audit(page, 'body')).violations).toEqual([]);
      await ctx.close();
    });
  });
});
