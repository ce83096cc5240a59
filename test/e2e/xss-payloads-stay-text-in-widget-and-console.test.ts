/**
 * XSS proof in real Chromium: injection payloads sent as messages (both sides), names,
 * a note, the page title and file names show as literal text in the widget's shadow
 * DOM and in the agent console, and nothing runs: no `window.__xss`, no dialog, no
 * element or handler a payload tried to make. Also the bidi proof: a right-to-left
 * override in a name stays inside the name (the words after it are laid out after it),
 * and one in a file name is gone by the time the file is in the log.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONSOLE_DIR, WIDGET_DIR } from '../../scripts/built-paths.mjs';
import { SqliteStore, startRelay, type Relay } from '../../src/relay/index.js';
import { TestSocket } from '../relay/helpers.js';
import { launchChromium } from './browser.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** Each payload, if it ever ran, would set `window.__xss` or open a dialog. */
const PAYLOADS = [
  '<img src=x onerror="window.__xss=(window.__xss||0)+1">',
  '<script>window.__xss=1</script>',
  '<svg onload=alert("svg")>',
  '"><img src=x onerror=alert(1)>',
  "'><script>alert(document.domain)</script>",
  '<a href="javascript:alert(1)">click me</a>',
  'javascript:alert(1)',
  'https://example.com/"onmouseover="alert(1)"x="',
  'https://example.com/<img src=x onerror=alert(1)>',
  '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
  '<details open ontoggle=alert(1)>',
  "{{constructor.constructor('alert(1)')()}}",
  '${alert(1)}',
  '</textarea><img src=x onerror=alert(1)>',
  '<style>@import "javascript:alert(1)";</style>',
  '[x](javascript:alert(1))',
  '&lt;img src=x onerror=alert(1)&gt;',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<input autofocus onfocus=alert(1)>',
  '<body onload=alert(1)>',
];
const VISITOR_NAME = '<img src=x onerror=alert("name")>';
const AGENT_NAME = '<svg onload=alert("agent")>Eve';
const FILE_NAMES = ['<img src=x onerror=alert(1)>.html', '"><svg onload=alert(2)>.svg'];
const NOTE = '<img src=x onerror=alert("note")> internal';
/** The page the visitor chats from: its title and its address travel to the console. */
const PAGE_TITLE = '<img src=x onerror=alert("title")> Mugs';
const PAGE_QUERY = '?q="><svg onload=alert("url")>';
/** Names and a file name with a right-to-left override (U+202E) in them. */
const RLO = '\u202E';
const BIDI_VISITOR = `Eve${RLO}gpj.exe`;
const BIDI_AGENT = `Mal${RLO}fdp.exe`;
const BIDI_FILE = `invoice${RLO}fdp.exe`;

/**
 * Whether, in the element `sel` finds (inside `host`'s shadow root when given) that holds
 * `name` in a <bdi>, every box of the text after the <bdi> lies to the right of it: what
 * an override inside the name cannot change when the name is isolated.
 */
async function wordsStayAfter(page: Page, sel: string, name: string, host?: string): Promise<boolean> {
  return page.evaluate(
    ([sel, name, host]) => {
      const root: ParentNode = host ? document.querySelector(host)!.shadowRoot! : document;
      for (const el of root.querySelectorAll(sel)) {
        const bdi = [...el.querySelectorAll('bdi')].find((b) => b.textContent === name);
        if (!bdi) continue;
        const box = bdi.getBoundingClientRect();
        const after = document.createRange();
        after.setStartAfter(bdi);
        after.setEnd(el, el.childNodes.length);
        const rects = [...after.getClientRects()].filter((r) => r.width > 0);
        return rects.length > 0 && rects.every((r) => r.left >= box.right - 1);
      }
      return false;
    },
    [sel, name, host] as const,
  );
}

/** What the page would show had anything run: the flag, and any element or handler a payload tried to make. */
async function damage(page: Page): Promise<{ xss: unknown; handlers: string[]; elements: string[]; links: string[] }> {
  return page.evaluate(() => {
    const roots: (Document | ShadowRoot)[] = [document];
    for (const el of document.querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
    const all = roots.flatMap((r) => [...r.querySelectorAll('*')]);
    return {
      xss: (window as unknown as { __xss?: unknown }).__xss,
      handlers: all.flatMap((e) => [...e.attributes].filter((a) => a.name.toLowerCase().startsWith('on')).map((a) => `${e.tagName}[${a.name}]`)),
      // Elements that only a payload would have made (the apps use none of these).
      elements: all
        .filter((e) => /^(IFRAME|DETAILS|MATH|MGLYPH|OBJECT|EMBED|SCRIPT|STYLE)$/.test(e.tagName) || e.hasAttribute('srcdoc') || (e.tagName === 'IMG' && /\/x$/.test((e as HTMLImageElement).src)) || e.hasAttribute('autofocus'))
        .filter((e) => !(e.tagName === 'SCRIPT' && (e as HTMLScriptElement).src) && !(e.tagName === 'STYLE' && !/alert|javascript/.test(e.textContent ?? '')))
        .map((e) => e.tagName),
      links: all.filter((e): e is HTMLAnchorElement => e.tagName === 'A').map((a) => a.href).filter((h) => h && !/^https?:/.test(h)),
    };
  });
}

/** The text a person sees, shadow roots included. */
async function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts: string[] = [document.body.innerText];
    for (const el of document.querySelectorAll('*')) if (el.shadowRoot) parts.push((el.shadowRoot as unknown as { textContent: string }).textContent);
    return parts.join('\n');
  });
}

/** The needles not (yet) in the page's visible text. */
async function missingText(page: Page, needles: string[]): Promise<string[]> {
  const text = await visibleText(page);
  return needles.filter((n) => !text.includes(n));
}

/** How long `vi.waitFor` waits for text to show, looking every 100 ms. */
const TEXT_WAIT = { timeout: 10_000, interval: 100 };

describe('XSS payloads in real Chromium', () => {
  let relay: Relay;
  /** The relay's store, made here: a relay does not close a store it was given. */
  let relayStore: SqliteStore;
  let dataDir: string;
  let browser: Browser;
  let agentSocket: TestSocket;
  let agentToken: string;
  const dialogs: string[] = [];
  let conversationId: string;

  beforeAll(async () => {
    if (!existsSync(join(WIDGET_DIR, 'parley.js')) || !existsSync(join(CONSOLE_DIR, 'console.js'))) {
      execFileSync('npx', ['rollup', '-c', '--silent'], { cwd: ROOT, stdio: 'pipe', timeout: 180_000 });
    }
    dataDir = mkdtempSync(join(tmpdir(), 'parley-xss-'));
    relayStore = new SqliteStore(':memory:');
    relay = await startRelay({ port: 0, host: '127.0.0.1', dataDir, store: relayStore, demo: true, visitorMessageRate: { count: 1000, windowMs: 1000 } });
    const agent = await relay.addAgent(AGENT_NAME);
    agentToken = agent.token;
    agentSocket = new TestSocket(new WebSocket(relay.url.replace(/^http/, 'ws') + '/v1/agent'));
    await agentSocket.opened;
    agentSocket.send({ t: 'hello', id: 'h', token: agent.token });
    await agentSocket.next({ t: 'welcome' });
    browser = await launchChromium();
  }, 200_000);

  afterAll(async () => {
    await browser?.close();
    agentSocket?.close();
    await relay?.close();
    await relayStore?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows every payload as text in the widget, and nothing runs', async () => {
    const page = await browser.newPage();
    page.on('dialog', (d) => {
      dialogs.push(`widget: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(relay.url + '/' + PAGE_QUERY);
    await page.evaluate((t) => (document.title = t), PAGE_TITLE);
    await page.locator('parley-chat [part~="launcher"]').click();
    await page.locator('parley-chat input[name="email"]').fill('xss@example.com');
    await page.locator('parley-chat input[name="name"]').fill(VISITOR_NAME);
    await page.locator('parley-chat form[part~="form"] button[type="submit"]').click();

    const summary = await agentSocket.next((f) => f.t === 'conversation' && f.summary.visitor.email === 'xss@example.com', 10_000);
    conversationId = summary.summary.id;
    expect(summary.summary.visitor.name).toBe(VISITOR_NAME);
    expect(summary.summary.page?.title).toBe(PAGE_TITLE);
    agentSocket.send({ t: 'claim', id: 'c', conversationId });
    expect(await agentSocket.next({ id: 'c' })).toEqual({ t: 'ok', id: 'c' });

    // The agent sends every payload; the visitor types every payload into the composer.
    for (const text of PAYLOADS) agentSocket.send({ t: 'send', conversationId, clientId: randomUUID(), text: `agent: ${text}` });
    agentSocket.send({ t: 'note', id: 'n', conversationId, text: NOTE });
    const composer = page.locator('parley-chat form[part~="composer"] textarea');
    for (const text of PAYLOADS) {
      await composer.fill(`visitor: ${text}`);
      await page.locator('parley-chat form[part~="composer"] button[type="submit"]').click();
    }
    // Files with hostile names, each through an upload request and the widget's own picker.
    for (const [i, name] of FILE_NAMES.entries()) {
      agentSocket.send({ t: 'request_upload', id: `u${i}`, conversationId });
      await agentSocket.next({ id: `u${i}` });
      await page.locator('parley-chat input[type="file"]').setInputFiles({ name, mimeType: 'text/html', buffer: Buffer.from(`<script>alert(${i})</script>`) });
      await agentSocket.next((f) => f.t === 'event' && f.event.type === 'file' && f.event.name === name, 10_000);
    }

    const shown = [...PAYLOADS.flatMap((p) => [`agent: ${p}`, `visitor: ${p}`]), AGENT_NAME, ...FILE_NAMES];
    await vi.waitFor(async () => expect(await missingText(page, shown), 'text not shown').toEqual([]), TEXT_WAIT);
    expect(await visibleText(page)).not.toContain('internal');
    await page.waitForTimeout(300);
    const d = await damage(page);
    expect(d).toEqual({ xss: undefined, handlers: [], elements: [], links: [] });
    expect(dialogs).toEqual([]);
    await page.close();
  }, 60_000);

  it('shows every payload, name, note and file name as text in the agent console, and nothing runs', async () => {
    const page = await browser.newPage();
    page.on('dialog', (d) => {
      dialogs.push(`console: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(relay.url + '/console/');
    await page.locator('input[type="password"]').fill(agentToken);
    await page.locator('form button[type="submit"]').click();
    await page.locator('.tile', { hasText: VISITOR_NAME }).first().click({ timeout: 10_000 });
    const shown = [...PAYLOADS.flatMap((p) => [`agent: ${p}`, `visitor: ${p}`]), VISITOR_NAME, AGENT_NAME, NOTE, PAGE_TITLE, ...FILE_NAMES];
    await vi.waitFor(async () => expect(await missingText(page, shown), 'text not shown').toEqual([]), TEXT_WAIT);
    await page.waitForTimeout(300);
    const d = await damage(page);
    expect(d).toEqual({ xss: undefined, handlers: [], elements: [], links: [] });
    expect(dialogs).toEqual([]);
    await page.close();
  }, 60_000);
  it('keeps a right-to-left override inside the name it came in, and strips it from file names', async () => {
    const mal = await relay.addAgent(BIDI_AGENT);
    const malSocket = new TestSocket(new WebSocket(relay.url.replace(/^http/, 'ws') + '/v1/agent'));
    await malSocket.opened;
    malSocket.send({ t: 'hello', id: 'h', token: mal.token });
    await malSocket.next({ t: 'welcome' });
    const page = await browser.newPage();
    await page.goto(relay.url + '/');
    await page.locator('parley-chat [part~="launcher"]').click();
    await page.locator('parley-chat input[name="email"]').fill('bidi@example.com');
    await page.locator('parley-chat input[name="name"]').fill(BIDI_VISITOR);
    await page.locator('parley-chat form[part~="form"] button[type="submit"]').click();
    const summary = await malSocket.next((f) => f.t === 'conversation' && f.summary.visitor.email === 'bidi@example.com', 10_000);
    const id = summary.summary.id;
    malSocket.send({ t: 'claim', id: 'c', conversationId: id });
    await malSocket.next({ id: 'c' });
    malSocket.send({ t: 'request_upload', id: 'u', conversationId: id });
    await malSocket.next({ id: 'u' });
    await page.locator('parley-chat input[type="file"]').setInputFiles({ name: BIDI_FILE, mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4') });
    const file = await malSocket.next((f) => f.t === 'event' && f.event.type === 'file', 10_000);
    expect(file.event.name).toBe('invoicefdp.exe');

    // The widget: "Mal‮fdp.exe joined the chat" keeps " joined the chat" after the name.
    await vi.waitFor(async () => expect(await missingText(page, [`${BIDI_AGENT} joined the chat`, 'invoicefdp.exe']), 'text not shown').toEqual([]), TEXT_WAIT);
    expect(await wordsStayAfter(page, '[part~="notice"]', BIDI_AGENT, 'parley-chat')).toBe(true);
    await page.close();

    // The console: the visitor's name in "Eve‮gpj.exe asked for a chat".
    const agentPage = await browser.newPage();
    await agentPage.goto(relay.url + '/console/');
    await agentPage.locator('input[type="password"]').fill(mal.token);
    await agentPage.locator('form button[type="submit"]').click();
    await agentPage.locator('.tile', { hasText: 'bidi@example.com' }).first().click({ timeout: 10_000 });
    await vi.waitFor(async () => expect(await missingText(agentPage, [`${BIDI_VISITOR} asked for a chat`, 'invoicefdp.exe']), 'text not shown').toEqual([]), TEXT_WAIT);
    expect(await wordsStayAfter(agentPage, '.transcript .notice', BIDI_VISITOR)).toBe(true);
    await agentPage.close();
    malSocket.close();
  }, 60_000);
});
