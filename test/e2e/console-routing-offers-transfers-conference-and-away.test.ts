/**
 * Routing carried by people in real Chromium, on a relay with `routing: 'auto'`: Jane
 * (capacity 3) and Bob (capacity 2) in two consoles, customers on the demo page. A new
 * chat is offered to Jane (more free places), who declines, then to Bob, who accepts;
 * Bob asks Jane to take it over and she accepts; Jane invites Bob into a conference,
 * where both write and the customer sees him join and leave by name; and Jane, gone
 * away, is offered nothing until she is back online.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from './journey-axe.js';
import { consoleUi, signInToConsole } from './journey-console.js';
import { startJourney, type Journey } from './journey-setup.js';
import { waitForText, widget } from './journey-widget.js';

const JANE = 'Jane Doe';
const BOB = 'Bob Stone';
const ANN = 'Ann Lee';
const BEA = 'Bea Park';

describe('routing in the console: offers, transfer requests, a conference, and away', () => {
  let j: Journey;
  let ann: Page;
  let jane: Page;
  let bob: Page;
  const pageErrors: string[] = [];

  const open = async (label: string) => {
    // bypassCSP only lets the axe audit script in; the pages are otherwise as agents get them.
    const ctx = await j.browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    const p = await ctx.newPage();
    p.on('pageerror', (e) => pageErrors.push(`${label}: ${e.message}`));
    return p;
  };

  /** A customer starts a chat from the demo page's widget. */
  const startChat = async (page: Page, email: string, name: string) => {
    await page.goto(j.relay.url + '/');
    const w = widget(page);
    await w.launcher.click();
    await w.email.fill(email);
    await w.name.fill(name);
    await w.start.click();
    await w.message.waitFor({ state: 'visible' });
  };

  beforeAll(async () => {
    j = await startJourney({ routing: 'auto', routingTickMs: 100 });
    const janeAgent = await j.relay.addAgent(JANE, 3);
    const bobAgent = await j.relay.addAgent(BOB, 2);
    [ann, jane, bob] = await Promise.all([open('ann'), open('jane'), open('bob')]);
    await Promise.all([signInToConsole(jane, j.relay.url, janeAgent.token), signInToConsole(bob, j.relay.url, bobAgent.token)]);
  }, 30_000);

  afterAll(async () => {
    await j?.close();
  });

  it('offers a new chat to the agent with more free places; she declines, the other accepts, and the customer sees him join', async () => {
    const janeUi = consoleUi(jane);
    const bobUi = consoleUi(bob);
    expect(await janeUi.chat.page().locator('.top-bar .capacity').textContent()).toBe('Chats 0 of 3');
    await startChat(ann, 'ann@example.com', ANN);

    const offer = janeUi.asked(ANN);
    await waitForText(offer, `New chat for you with ${ANN}`);
    expect(await offer.locator('.countdown').textContent()).toMatch(/^0:[0-3]\d left$/);
    expect(await bobUi.asked(ANN).count()).toBe(0);
    // The card, the waiting tile and the countdown keep their colours readable.
    expect((await audit(jane, 'body')).violations).toEqual([]);

    await offer.getByRole('button', { name: 'Decline' }).click();
    await offer.waitFor({ state: 'detached' });
    const bobsOffer = bobUi.asked(ANN);
    await waitForText(bobsOffer, `New chat for you with ${ANN}`);
    await bobsOffer.getByRole('button', { name: 'Accept' }).click();
    await waitForText(bobUi.standing, 'You are chatting with this customer');
    await waitForText(widget(ann).notices, `${BOB} joined the chat`);
    expect(await bob.locator('.top-bar .capacity').textContent()).toBe('Chats 1 of 2');
    // The chat left the queue: it is no longer a tile on Jane's console.
    await janeUi.tile(ANN).waitFor({ state: 'detached' });
  }, 60_000);

  it('transfers by request: Bob asks Jane with a note, the chat stays his until she accepts, then it is hers', async () => {
    const janeUi = consoleUi(jane);
    const bobUi = consoleUi(bob);
    await bobUi.action('Transfer').click();
    await bobUi.dialog.getByLabel('Transfer to').selectOption({ label: `${JANE} (Online)` });
    await bobUi.dialog.getByLabel('Note (optional)').fill('She knows the order system');
    await bobUi.dialog.getByRole('button', { name: 'Transfer' }).click();
    await waitForText(bobUi.outgoing, `Waiting for ${JANE} to accept`);
    expect(await bobUi.outgoing.getByRole('button', { name: 'Withdraw' }).isVisible()).toBe(true);

    const request = janeUi.asked(ANN);
    await waitForText(request, `${BOB} asks you to take over the chat with ${ANN}`);
    const card = await request.textContent();
    expect(card).toContain('ann@example.com');
    expect(card).toContain('She knows the order system');
    // Nothing moved yet: the customer still has Bob.
    expect(await widget(ann).host.locator('[part~="agent"]').textContent()).toBe(BOB);
    await request.getByRole('button', { name: 'Accept' }).click();

    await waitForText(janeUi.standing, 'You are chatting with this customer');
    await waitForText(janeUi.transcript, `${BOB} transferred the chat to You: She knows the order system`);
    const w = widget(ann);
    await waitForText(w.notices, `${JANE} joined the chat`);
    // The customer hears only who joined, not that a transfer was asked for or made.
    expect(await w.notices.allTextContents()).not.toContain(`You are being transferred to ${JANE}`);
    await bobUi.tile(ANN).waitFor({ state: 'detached' });
  }, 60_000);

  it('holds a conference: Jane invites Bob, both write under their names, and the customer sees him join and leave', async () => {
    const janeUi = consoleUi(jane);
    const bobUi = consoleUi(bob);
    const w = widget(ann);
    await janeUi.action('Invite').click();
    await janeUi.dialog.getByLabel('Invite').selectOption({ label: `${BOB} (Online)` });
    await janeUi.dialog.getByRole('button', { name: 'Invite' }).click();
    await waitForText(janeUi.outgoing, `Waiting for ${BOB} to join`);
    // The open chat's tile in solid blue, grey and blue messages, the waiting invitation.
    expect((await audit(jane, 'body')).violations).toEqual([]);

    const invitation = bobUi.asked(ANN);
    await waitForText(invitation, `${JANE} invites you into the chat with ${ANN}`);
    await invitation.getByRole('button', { name: 'Accept' }).click();
    await waitForText(bobUi.standing, `You are a guest in this chat; ${JANE} owns it`);
    await waitForText(janeUi.standing, `You are chatting with this customer together with ${BOB}`);
    // The first "joined" was Bob's accepted offer; this one is the conference's.
    await expect.poll(() => w.notices.filter({ hasText: `${BOB} joined the chat` }).count(), { timeout: 10_000 }).toBe(2);

    // A guest writes but does not end, transfer, block or invite.
    expect(await bob.getByRole('group', { name: 'Chat actions' }).getByRole('button').allTextContents()).toEqual(['Leave chat']);
    await bobUi.reply.fill('Bob from billing here.');
    await bobUi.reply.press('Enter');
    await janeUi.reply.fill('Thanks Bob.');
    await janeUi.reply.press('Enter');
    const bobsBubble = w.host.locator('[part~="message-agent"]').filter({ hasText: 'Bob from billing here.' });
    await bobsBubble.waitFor({ state: 'visible' });
    expect(await bobsBubble.textContent()).toContain(BOB);
    await waitForText(janeUi.transcript.locator('.msg').filter({ hasText: 'Bob from billing here.' }).locator('.who'), BOB);
    await waitForText(bobUi.transcript.locator('.msg').filter({ hasText: 'Thanks Bob.' }).locator('.who'), JANE);
    expect((await audit(bob, 'body')).violations).toEqual([]);

    await bobUi.action('Leave chat').click();
    await waitForText(w.notices, `${BOB} left the chat`);
    await bobUi.tile(ANN).waitFor({ state: 'detached' });
    await waitForText(janeUi.standing, 'You are chatting with this customer');
    expect(await janeUi.standing.textContent()).toBe('You are chatting with this customer');
  }, 60_000);

  it('offers nothing to an agent who is away, and offers again once she is back online', async () => {
    const janeUi = consoleUi(jane);
    const bobUi = consoleUi(bob);
    await janeUi.status.selectOption('away');
    const bea = await open('bea');
    await startChat(bea, 'bea@example.com', BEA);

    // Both have two free places, but Jane is away: the offer goes to Bob.
    const bobsOffer = bobUi.asked(BEA);
    await waitForText(bobsOffer, `New chat for you with ${BEA}`);
    await janeUi.tile(BEA).waitFor({ state: 'visible' });
    expect(await janeUi.asked(BEA).count()).toBe(0);
    await bobsOffer.getByRole('button', { name: 'Decline' }).click();
    await bobsOffer.waitFor({ state: 'detached' });
    // Routing runs every 100 ms: a second is ten chances to offer it to Jane, away.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await janeUi.asked(BEA).count()).toBe(0);
    expect(await jane.title()).toBe('(1) Parley console');

    await janeUi.status.selectOption('online');
    await waitForText(janeUi.asked(BEA), `New chat for you with ${BEA}`);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
