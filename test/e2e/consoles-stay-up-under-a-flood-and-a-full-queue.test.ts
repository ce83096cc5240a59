/**
 * The lockout, tried as the review did: one customer writes the largest backlog a log
 * may hold (messages of 4,000 emoji up to the log's limit) and 400 queued chats with
 * maximal page address, title, name and email come from 20 addresses. Two agents then
 * sign in to the console in Chromium: each lists every chat, opens the flooded one,
 * and a new customer is answered, each step within 5 s.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_LOG_BYTES } from '../../src/protocol/index.js';
import { SqliteStore, startRelay, type Relay } from '../../src/relay/index.js';
import { launchChromium } from './browser.js';
import { consoleUi } from './journey-console.js';
import { requireBuild } from './journey-setup.js';
import { waitForText } from './journey-widget.js';

const STEP_MS = 5_000;
const QUEUED = 400;
/** Each address may have 20 chats open at once: 400 of them take 20 addresses. */
const ADDRESSES = 20;

/** How many chats a console lists: the tiles in view and the number behind "More (n)". */
async function listed(p: Page): Promise<number> {
  const more = (await p.locator('nav .more').allTextContents())[0]?.match(/\((\d+)\)/)?.[1];
  return (await p.locator('nav .tile').count()) + Number(more ?? 0);
}

/** A raw visitor socket from a loopback address; `ask` sends a frame and waits for its reply. */
async function visitorSocket(relay: Relay, localAddress: string) {
  const ws = new WebSocket(`${relay.url.replace(/^http/, 'ws')}/v1/visitor`, { localAddress });
  const frames: Record<string, any>[] = [];
  const waiting = new Map<string, (f: Record<string, any>) => void>();
  ws.on('message', (d) => {
    const f = JSON.parse(String(d)) as Record<string, any>;
    frames.push(f);
    if (typeof f['id'] === 'string') waiting.get(f['id'])?.(f);
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let n = 0;
  const ask = (frame: object) =>
    new Promise<Record<string, any>>((resolve) => {
      const id = `v${++n}`;
      waiting.set(id, resolve);
      ws.send(JSON.stringify({ ...frame, id }));
    });
  return { ws, frames, ask };
}

describe('two consoles with a flooded chat and 400 queued chats', () => {
  let relay: Relay;
  /** The relay's store, made here: a relay does not close a store it was given. */
  let relayStore: SqliteStore;
  let browser: Browser;
  let dataDir: string;
  const sockets: WebSocket[] = [];
  const pageErrors: string[] = [];
  let flooderName = '';

  beforeAll(async () => {
    requireBuild();
    dataDir = mkdtempSync(join(tmpdir(), 'parley-e2e-flood-'));
    // The default limits, but for the per-conversation message rate: the backlog is
    // written at once instead of over minutes (the per-address byte budget is what
    // bounds it in real life; here it is raised for the same reason).
    relayStore = new SqliteStore(':memory:');
    relay = await startRelay({
      port: 0,
      host: '127.0.0.1',
      dataDir,
      store: relayStore,
      visitorMessageRate: { count: 1000, windowMs: 1000 },
      visitorBytesRate: { count: 4 * MAX_LOG_BYTES, windowMs: 60_000 },
    });
    browser = await launchChromium();

    const flooder = await visitorSocket(relay, '127.0.0.200');
    sockets.push(flooder.ws);
    flooderName = 'Flo Oder';
    await flooder.ask({ t: 'hello', email: 'flood@example.com', name: flooderName });
    const text = '😀'.repeat(4000);
    // 128 such messages (about 2.06 MB) is as much as a log holds while the chat stays open.
    for (let i = 0; i < 128; i++) {
      const r = await flooder.ask({ t: 'send', clientId: crypto.randomUUID(), text });
      expect(r['t']).toBe('ack');
    }

    const page = { url: `https://shop.example/${'p'.repeat(2000)}`, title: 'T'.repeat(300) };
    for (let a = 0; a < ADDRESSES; a++) {
      const v = await visitorSocket(relay, `127.0.1.${a + 1}`);
      sockets.push(v.ws);
      for (let i = a; i < QUEUED; i += ADDRESSES) {
        const email = `${String(i).padStart(64, 'x')}@${'d'.repeat(63)}.${'e'.repeat(63)}.${'f'.repeat(50)}.example`;
        const r = await v.ask({ t: 'hello', email, name: `${'N'.repeat(95)}${String(i).padStart(4, '0')}`, page });
        expect(r['t']).toBe('welcome');
      }
    }
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.terminate();
    await browser?.close().catch(() => undefined);
    await relay?.close();
    await relayStore?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const openConsole = async (name: string): Promise<Page> => {
    const agent = await relay.addAgent(name);
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const p = await ctx.newPage();
    p.on('pageerror', (e) => pageErrors.push(`${name}: ${e.message}`));
    // Timed from the click on "Sign in" (the page load has nothing to do with the flood).
    await p.goto(relay.url + '/console/');
    await p.getByLabel('Agent token').fill(agent.token);
    const started = Date.now();
    await p.getByRole('button', { name: 'Sign in' }).click();
    // Counted by class: an accessibility-tree query over 401 tiles at every poll would
    // cost the page more than the listing itself.
    await expect.poll(() => listed(p), { timeout: STEP_MS, interval: 100 }).toBe(QUEUED + 1);
    const took = Date.now() - started;
    console.log(`${name}: signed in and listed ${QUEUED + 1} chats in ${took} ms`);
    expect(took).toBeLessThan(STEP_MS);
    return p;
  };

  it('both consoles sign in and list all 401 chats within 5 s', async () => {
    const [jane, bob] = await Promise.all([openConsole('Jane Doe'), openConsole('Bob Stone')]);
    // The flooded chat opens with its whole log.
    const ui = consoleUi(jane);
    await ui.tile(flooderName).click();
    await expect.poll(() => ui.transcript.locator('li, p, .message').count(), { timeout: STEP_MS }).toBeGreaterThan(100);

    // A new customer is answered.
    const customer = await visitorSocket(relay, '127.0.0.1');
    sockets.push(customer.ws);
    await customer.ask({ t: 'hello', email: 'zed@example.com', name: 'Zed Quick' });
    const started = Date.now();
    // The newest chat is behind "More": at most seven tiles show.
    await jane.getByRole('button', { name: /^More \(\d+\)$/ }).click();
    await ui.tile('Zed Quick').click();
    await ui.claim.click({ timeout: STEP_MS });
    await waitForText(ui.standing, 'You are chatting with this customer', STEP_MS);
    await ui.reply.fill('Hello Zed, how can I help?');
    await ui.reply.press('Enter');
    await expect
      .poll(() => customer.frames.some((f) => f['t'] === 'event' && f['event']?.text === 'Hello Zed, how can I help?'), { timeout: STEP_MS })
      .toBe(true);
    const took = Date.now() - started;
    console.log(`a new customer answered in ${took} ms`);
    expect(took).toBeLessThan(STEP_MS);
    // Bob's console is still connected and saw the chat leave the queue.
    await expect.poll(() => listed(bob), { timeout: STEP_MS }).toBe(QUEUED + 1);
    expect(await bob.locator('.connection, [role=status]').filter({ hasText: /Reconnecting/ }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
