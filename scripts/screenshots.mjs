#!/usr/bin/env node
// Takes the README's pictures with headless Chromium against a real relay: the launcher,
// the pre-chat form, a chat with a claim notice, the upload prompt with its progress bar
// (the upload is slowed down so it is caught mid-way), the ended chat, and the agent
// console with a chat open. Run by hand after `npm run build`:
//
//   node scripts/screenshots.mjs            # writes docs/screenshots/*.png
//
// Set PARLEY_CHROMIUM to use a Chromium other than /usr/bin/chromium. Everything runs on
// 127.0.0.1 and is closed at the end; the relay keeps its data in a temporary folder.
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { chromium } from 'playwright-core';
import { CONSOLE_DIR, RELAY_MODULE, WIDGET_DIR } from './built-paths.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'docs', 'screenshots');
const CHROMIUM = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium';
/** A phone-sized window: the panel fills it, so each picture is the widget and little else. */
const WIDGET_VIEW = { width: 420, height: 640 };
const CONSOLE_VIEW = { width: 1100, height: 860 };

for (const f of [join(WIDGET_DIR, 'parley.js'), RELAY_MODULE, join(CONSOLE_DIR, 'console.js')]) {
  if (!existsSync(f)) {
    console.error(`${f} is missing: run \`npm run build\` first.`);
    process.exit(1);
  }
}

/** A tiny protocol agent over `ws`: requests resolve with their reply, frames are kept. */
async function connectAgent(baseUrl, token) {
  const ws = new WebSocket(baseUrl.replace(/^http/, 'ws') + '/v1/agent');
  const frames = [];
  const waiters = [];
  ws.on('message', (data) => {
    const f = JSON.parse(data.toString());
    frames.push(f);
    for (const w of [...waiters]) {
      if (!w.match(f)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(f);
    }
  });
  await new Promise((res, rej) => {
    ws.once('open', res);
    ws.once('error', rej);
  });
  let n = 0;
  const next = (match, ms = 10_000) =>
    frames.find(match) ??
    new Promise((res, rej) => {
      const timer = setTimeout(() => rej(new Error('the relay did not answer in time')), ms);
      waiters.push({
        match,
        resolve: (f) => {
          clearTimeout(timer);
          res(f);
        },
      });
    });
  const request = async (frame) => {
    const id = `s${++n}`;
    const reply = next((f) => f.id === id);
    ws.send(JSON.stringify({ ...frame, id }));
    const f = await reply;
    if (f.t === 'error') throw new Error(`${frame.t}: ${f.code} ${f.message}`);
    return f;
  };
  await request({ t: 'hello', token });
  return { next, request, send: (f) => ws.send(JSON.stringify(f)), close: () => ws.close() };
}

/** Writes one picture and says how big it is. */
async function shoot(page, name, options = {}) {
  const file = join(OUT, name);
  await page.screenshot({ path: file, ...options });
  console.log(`${name}  ${(statSync(file).size / 1024).toFixed(0)} KB`);
}

const { startRelay, SqliteStore } = await import(RELAY_MODULE);
const dataDir = mkdtempSync(join(tmpdir(), 'parley-shots-'));
const relay = await startRelay({ port: 0, host: '127.0.0.1', dataDir, store: new SqliteStore(':memory:'), demo: true });
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const jane = await relay.addAgent('Jane Doe');
let agent;

try {
  mkdirSync(OUT, { recursive: true });
  agent = await connectAgent(relay.url, jane.token);
  const ctx = await browser.newContext({ viewport: WIDGET_VIEW, deviceScaleFactor: 1, colorScheme: 'light', reducedMotion: 'reduce' });
  const page = await ctx.newPage();
  const w = page.locator('parley-chat');
  await page.goto(relay.url + '/');
  const launcher = w.locator('[part~="launcher"]');
  await launcher.waitFor();

  // 1. The launcher on the shop page.
  await shoot(page, 'launcher.png');

  // 2. The pre-chat form, partly filled in.
  await launcher.click();
  await w.getByLabel('Email').fill('ann.lee@example.com');
  await w.getByLabel(/^Name/).fill('Ann Lee');
  await shoot(page, 'prechat-form.png');

  // 3. A chat with the claim notice and a few messages.
  await w.getByRole('button', { name: 'Start chat' }).click();
  const created = await agent.next((f) => f.t === 'conversation' && f.summary.visitor.email === 'ann.lee@example.com');
  const conversationId = created.summary.id;
  await agent.request({ t: 'claim', conversationId });
  const message = w.getByRole('textbox', { name: 'Message' });
  await message.fill('Hi! My Ember bowl arrived today but the rim is chipped.');
  await message.press('Enter');
  await agent.next((f) => f.t === 'event' && f.conversationId === conversationId && f.event.type === 'message');
  agent.send({ t: 'send', conversationId, clientId: randomUUID(), text: "Oh no, I'm sorry, Ann! We'll send a new one right away." });
  await w.locator('[part~="message-agent"]').waitFor();
  await w.locator('[part~="message-visitor"]').filter({ hasText: 'Sent' }).waitFor();
  await shoot(page, 'chat-claimed.png');

  // 4. The upload prompt with its progress bar, caught mid-way by slowing the upload.
  await agent.request({ t: 'request_upload', conversationId, note: 'Could you send a photo of the chip?' });
  await w.locator('[part~="upload"]').waitFor();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 200 * 1024 });
  const photo = Buffer.alloc(1_400_000);
  for (let i = 0; i < photo.length; i++) photo[i] = (i * 7919) % 256;
  await w.locator('input[type="file"]').setInputFiles({ name: 'bowl-rim.jpg', mimeType: 'image/jpeg', buffer: photo });
  await page.waitForFunction(() => {
    const p = document.querySelector('parley-chat')?.shadowRoot?.querySelector('progress');
    return !!p && p.value >= 40 && p.value <= 70;
  }, null, { timeout: 20_000, polling: 50 });
  await shoot(page, 'upload-progress.png');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await agent.next((f) => f.t === 'event' && f.conversationId === conversationId && f.event.type === 'file', 20_000);
  await w.locator('[part~="file"]').waitFor();
  agent.send({ t: 'send', conversationId, clientId: randomUUID(), text: 'Got it, thank you. A new bowl ships tomorrow.' });
  await w.locator('[part~="message-agent"]').filter({ hasText: 'ships tomorrow' }).waitFor();

  // 5. The agent console with this chat open (Jane's second window).
  const cctx = await browser.newContext({ viewport: CONSOLE_VIEW, deviceScaleFactor: 1, colorScheme: 'light', reducedMotion: 'reduce' });
  const con = await cctx.newPage();
  await con.goto(relay.url + '/console/');
  await con.getByLabel('Agent token').fill(jane.token);
  await con.getByRole('button', { name: 'Sign in' }).click();
  await con.getByRole('navigation', { name: 'Chats' }).getByRole('button').filter({ hasText: 'Ann Lee' }).click();
  await con.getByRole('log', { name: 'Transcript' }).getByText('ships tomorrow').waitFor();
  await con.getByRole('radio', { name: 'Internal note' }).check();
  const note = con.getByRole('textbox', { name: 'Internal note (agents only)' });
  await note.fill('Replacement bowl sent, order #1042');
  await note.press('Enter');
  await con.getByRole('log', { name: 'Transcript' }).getByText('Replacement bowl sent').waitFor();
  await con.getByRole('radio', { name: 'Reply' }).check();
  await shoot(con, 'console.png');

  // 6. The ended chat, as the customer sees it.
  await agent.request({ t: 'end', conversationId });
  await w.getByRole('button', { name: 'Start a new chat' }).waitFor();
  await shoot(page, 'ended.png');
} finally {
  agent?.close();
  await browser.close();
  await relay.close();
  rmSync(dataDir, { recursive: true, force: true });
}
