/**
 * The script tag as a customer's site uses it: a shop page on another origin than the
 * relay loads only the small loader; the widget's module arrives from the relay (across
 * origins) on first use. A click made while it is still on its way opens the chat once
 * it has arrived, with one launcher on screen throughout; a reload in the middle of a
 * chat loads the widget while idle, so the agent's reply shows its unread badge, and
 * the history is all there.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationSummary } from '../../src/protocol/index.js';
import { AgentWire } from './journey-agent.js';
import { startJourney, type Journey } from './journey-setup.js';
import { waitForText, widget } from './journey-widget.js';

describe('the script tag on a page of another origin', () => {
  let j: Journey;
  let shop: Server;
  let shopUrl = '';
  let agent: AgentWire;
  let page: Page;
  let conversationId = '';
  /** Every script the page fetched, by path, in order. */
  const scripts: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    j = await startJourney();
    // The shop: another port is another origin, so the widget's module comes by CORS.
    shop = createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="en"><title>Mugs</title><h1>Mugs</h1><p>Handmade.</p><script src="${j.relay.url}/parley.js" async></script>`);
    });
    await new Promise<void>((r) => shop.listen(0, '127.0.0.1', r));
    shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}/`;
    const a = await j.relay.addAgent('Jane Doe');
    agent = await AgentWire.connect(j.relay.url, a.token);
    const context = await j.browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
  }, 30_000);

  afterAll(async () => {
    agent?.close();
    await j?.close();
    await new Promise((r) => shop?.close(r));
  });

  it('loads only the loader before anyone reaches for the chat, and draws the launcher', async () => {
    await page.goto(shopUrl);
    const w = widget(page);
    await w.launcher.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await w.launcher.getAttribute('aria-label')).toBe('Chat with us');
    await page.waitForLoadState('networkidle');
    expect(scripts).toEqual(['/parley.js']);
  });

  it('opens the chat once the widget arrives when the launcher was clicked before, with one launcher throughout', async () => {
    const w = widget(page);
    const box = await w.launcher.boundingBox();
    // Hold the widget's module back, so the click lands while it is on its way.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await page.route(/\/parley-widget-[\w-]+\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    await w.launcher.click();
    expect(await w.panel.count()).toBe(0);
    release();
    await w.email.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await w.launcher.count()).toBe(1);
    expect(await w.launcher.getAttribute('aria-expanded')).toBe('true');
    // The opened panel has the focus, as when the widget was there from the start.
    await page.waitForFunction(() => document.querySelector('parley-chat')?.shadowRoot?.activeElement?.id === 'email', null, { timeout: 5_000 });
    // The widget's launcher sits where the loader's was.
    expect(await w.launcher.boundingBox()).toEqual(box);
    expect(scripts.filter((s) => s.startsWith('/parley-widget-'))).toHaveLength(1);
    await page.unroute(/\/parley-widget-[\w-]+\.js$/);
  });

  it('chats with the relay that served the files', async () => {
    const w = widget(page);
    await w.email.fill('ann@example.com');
    await w.start.click();
    const f = await agent.next((x) => x.t === 'conversation' && x.summary.visitor.email === 'ann@example.com');
    conversationId = (f as { summary: ConversationSummary }).summary.id;
    expect((f as { summary: ConversationSummary }).summary.page?.url).toBe(shopUrl);
    await agent.request({ t: 'claim', id: 'claim', conversationId });
    await waitForText(w.notices, 'Jane Doe joined the chat');
    await w.message.fill('Is the blue mug back in stock?');
    await w.message.press('Enter');
    await agent.event(conversationId, (e) => e.type === 'message' && e.from === 'visitor');
  });

  it('after a reload mid-chat, loads the widget while idle: a reply shows its badge, and the history is all there', async () => {
    scripts.length = 0;
    await page.reload();
    const w = widget(page);
    await w.launcher.waitFor({ state: 'visible', timeout: 10_000 });
    // No interaction: the stored chat brings the widget in while the page is idle.
    await page.waitForFunction(() => !!document.querySelector('parley-chat')?.shadowRoot?.querySelector('.base[dir]'), null, { timeout: 10_000 });
    agent.send({ t: 'send', conversationId, clientId: randomUUID(), text: 'Yes, since Monday.' });
    const badge = w.host.locator('[part~="badge"]');
    await badge.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await badge.textContent()).toBe('1');
    await w.launcher.click();
    await waitForText(w.log, 'Yes, since Monday.');
    await waitForText(w.log, 'Is the blue mug back in stock?');
    expect(scripts[0]).toBe('/parley.js');
    expect(pageErrors).toEqual([]);
  });
});
