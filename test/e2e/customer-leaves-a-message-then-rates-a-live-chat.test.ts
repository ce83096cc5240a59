/**
 * Issue 14 in real Chromium, on the demo page and in the console: with no agent signed
 * in, the widget says "We're away right now" and Ann leaves a message (email, name,
 * message). Jane signs in and finds it under Messages, not among the live chats, opens
 * it and answers; Ann reloads the page and reads the answer. Then Cleo, in a browser of
 * her own, starts a live chat and is told she is 1st in line, Jane claims it (Cleo sees
 * her join) and ends it, Cleo rates it thumbs up with a comment, and the console shows
 * the rating on the chat and in History.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleUi, signInToConsole } from './journey-console.js';
import { startJourney, type Journey } from './journey-setup.js';
import { waitForText, widget, widgetText } from './journey-widget.js';

const JANE = 'Jane Doe';
const ANN = 'Ann Lee';
const ANN_EMAIL = 'ann@example.com';
const LEFT = 'Does the Tide mug come in blue?\nI would need four of them.';
const ANSWER = 'Hi Ann, yes: four blue Tide mugs are in stock.';
const CLEO = 'Cleo Park';
const CLEO_EMAIL = 'cleo@example.com';
const COMMENT = 'Quick and kind';

describe('a message left while nobody is online, then a live chat that is rated', () => {
  let j: Journey;
  let janeToken = '';
  let ann: Page;
  let jane: Page;
  let cleo: Page;
  const pageErrors: string[] = [];

  /** What the relay's `GET /v1/availability` says now. */
  const availability = async () => (await fetch(j.relay.url + '/v1/availability')).json() as Promise<{ available: boolean; reason?: string }>;
  /** The console's Messages list (its name also counts what waits). */
  const messages = () => jane.getByRole('navigation', { name: /^Messages/ });

  beforeAll(async () => {
    j = await startJourney();
    janeToken = (await j.relay.addAgent(JANE)).token;
    const open = async (label: string) => {
      const ctx = await j.browser.newContext({ viewport: { width: 1280, height: 800 } });
      const p = await ctx.newPage();
      p.on('pageerror', (e) => pageErrors.push(`${label}: ${e.message}`));
      return p;
    };
    [ann, jane, cleo] = await Promise.all([open('ann'), open('jane'), open('cleo')]);
    await ann.goto(j.relay.url + '/');
  }, 30_000);

  afterAll(async () => {
    await j?.close();
  });

  it('says "We\'re away right now" with nobody signed in, and takes a message instead of a chat', async () => {
    expect(await availability()).toEqual({ available: false, reason: 'busy' });
    const w = widget(ann);
    await w.launcher.click();
    await w.panel.waitFor({ state: 'visible' });
    await waitForText(w.host.locator('[part~="availability"]'), "We're away right now");
    await waitForText(w.panel, "Nobody can answer right now. Leave a message and we'll reply here.");
    const sendMessage = w.host.getByRole('button', { name: 'Send message' });
    await sendMessage.waitFor({ state: 'visible' });
    expect(await w.start.count()).toBe(0);

    // An empty message is refused in words tied to the field, and nothing starts.
    await w.email.fill(ANN_EMAIL);
    await w.name.fill(ANN);
    await sendMessage.click();
    const leave = w.host.locator('#leave');
    await waitForText(w.panel, 'Write your message.');
    expect(await leave.getAttribute('aria-invalid')).toBe('true');
    expect(await ann.evaluate(() => localStorage.length)).toBe(0);

    await w.host.getByRole('textbox', { name: 'Message' }).fill(LEFT);
    await sendMessage.click();
    await waitForText(w.log, "Thanks! We'll answer here as soon as we can.");
    await waitForText(w.host.locator('[part~="message-visitor"]'), 'Does the Tide mug come in blue?');
    // A message left is not in the live line.
    expect(await widgetText(ann)).not.toMatch(/in line|Waiting for an agent/);
  });

  it('shows it to Jane under Messages, apart from the live chats, and lets her answer it', async () => {
    await signInToConsole(jane, j.relay.url, janeToken);
    const ui = consoleUi(jane);
    const entry = messages().getByRole('button').filter({ hasText: ANN });
    await entry.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await messages().getByRole('heading').textContent()).toContain('1');
    expect(await ui.tile(ANN).count()).toBe(0);
    expect(await ui.tiles.count()).toBe(0);

    await entry.click();
    await waitForText(ui.chat, 'Left a message while you were away');
    await waitForText(ui.transcript.locator('.msg--visitor'), 'I would need four of them.');
    await waitForText(entry, 'Does the Tide mug come in blue?');
    await waitForText(ui.standing, 'Waiting for an agent to answer');
    expect(await ui.claim.count()).toBe(0);

    await ui.chat.getByRole('button', { name: 'Answer', exact: true }).click();
    await waitForText(ui.standing, 'You are chatting with this customer');
    // Answered: it leaves Messages and becomes one of Jane's chats.
    await entry.waitFor({ state: 'detached', timeout: 10_000 });
    await waitForText(messages(), 'No messages waiting.');
    await waitForText(ui.tile(ANN), 'Your chat');

    await ui.reply.fill(ANSWER);
    await ui.reply.press('Enter');
    await waitForText(ui.transcript.locator('.msg--agent'), ANSWER);
  });

  it('shows Ann the answer when she comes back to the page', async () => {
    await ann.reload();
    const w = widget(ann);
    await w.launcher.waitFor({ state: 'visible', timeout: 10_000 });
    if (!(await w.panel.isVisible())) await w.launcher.click();
    const answer = w.host.locator('[part~="message-agent"]').filter({ hasText: ANSWER });
    await answer.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await answer.textContent()).toContain(JANE);
    // Her own message once, and no leftover "waiting" line.
    expect(await w.host.locator('[part~="message-visitor"]').count()).toBe(1);
    expect(await widgetText(ann)).not.toContain("Thanks! We'll answer here as soon as we can.");
    expect(await w.message.isEnabled()).toBe(true);
  });

  it('puts Cleo 1st in line for a live chat, which Jane claims and ends', async () => {
    // Jane is online with room: the relay says someone can answer (its answer is kept up to 2 s).
    await expect.poll(async () => (await availability()).available, { timeout: 5_000 }).toBe(true);
    await cleo.goto(j.relay.url + '/');
    const w = widget(cleo);
    await w.launcher.click();
    await waitForText(w.host.locator('[part~="availability"]'), 'Usually replies in a few minutes');
    await w.email.fill(CLEO_EMAIL);
    await w.name.fill(CLEO);
    await w.start.click();
    await waitForText(w.log, "You're 1st in line");

    const ui = consoleUi(jane);
    const tile = ui.tile(CLEO);
    await tile.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await messages().getByRole('button').count()).toBe(0);
    await tile.click();
    await ui.claim.click();
    await waitForText(ui.standing, 'You are chatting with this customer');
    await waitForText(w.notices, `${JANE} joined the chat`);
    expect(await widgetText(cleo)).not.toContain('in line');

    await w.message.fill('Can I change my delivery address?');
    await w.message.press('Enter');
    await waitForText(ui.transcript.locator('.msg--visitor'), 'Can I change my delivery address?');

    await ui.action('End chat').click();
    await ui.dialog.getByRole('button', { name: 'End chat' }).click();
    await waitForText(ui.standing, 'This chat has ended.');
    await waitForText(w.notices, `${JANE} ended the chat`);
  });

  it('lets Cleo rate the chat thumbs up with a comment, and shows the rating on the chat and in History', async () => {
    const w = widget(cleo);
    const form = w.host.locator('[part~="rating"]');
    await waitForText(form, 'How was this chat?');
    const up = w.host.locator('[data-action="rate-up"]');
    const send = w.host.getByRole('button', { name: 'Send rating' });
    expect(await up.getAttribute('aria-label')).toBe('Good');
    // Nothing to send before a thumb is chosen.
    expect(await send.isDisabled()).toBe(true);
    await up.click();
    expect(await up.getAttribute('aria-pressed')).toBe('true');
    expect(await w.host.locator('[data-action="rate-down"]').getAttribute('aria-pressed')).toBe('false');
    await w.host.locator('#rate-note').fill(COMMENT);
    await send.click();
    await waitForText(w.panel, 'Thanks for your feedback!');
    await form.waitFor({ state: 'detached' });

    // On the chat Jane still has open, as it arrives.
    const ui = consoleUi(jane);
    const shown = ui.chat.locator('.chat-rating');
    await waitForText(shown, COMMENT);
    expect(await shown.textContent()).toBe(`Rated 👍 ‘${COMMENT}’`);
    expect(await shown.getByRole('img', { name: 'thumbs up' }).count()).toBe(1);
    await waitForText(ui.transcript, 'The customer rated the chat good (thumbs up)');

    // And in History's row of Cleo's chat.
    await jane.getByRole('button', { name: 'History' }).click();
    const row = jane.getByRole('table', { name: 'Ended chats' }).locator('tbody tr').filter({ hasText: CLEO_EMAIL });
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    const cell = row.locator('td').last();
    expect(await cell.getByRole('img', { name: 'thumbs up' }).count()).toBe(1);
    expect(await cell.textContent()).toContain(COMMENT);
    expect(pageErrors).toEqual([]);
  });
});
