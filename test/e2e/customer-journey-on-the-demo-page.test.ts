/**
 * The customer's whole journey in real Chromium, on the demo shop page served by the
 * real relay, with an agent speaking the protocol from the test: launcher, a bad email
 * refused in words, start, claim notice, messages both ways, a file request (6.2 MB
 * refused in words with nothing sent, an upload canceled mid-way, a small file uploaded
 * with progress and shown), Escape and focus return, a reload that keeps the history,
 * the agent ending the chat, the transcript download, and a second chat that the
 * customer ends from the header menu.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationSummary } from '../../src/protocol/index.js';
import { AgentWire } from './journey-agent.js';
import { startJourney, type Journey } from './journey-setup.js';
import { readProgress, recordProgress, throttleUploads, waitForText, widget, widgetText } from './journey-widget.js';

const EMAIL = 'ann@example.com';
const AGENT = 'Jane Doe';

describe('<parley-chat> on the demo page, against the real relay', () => {
  let j: Journey;
  let agent: AgentWire;
  let context: BrowserContext;
  let page: Page;
  let conversationId = '';
  /** The agent's token, kept from `addAgent` (the relay stores only its hash). */
  let agentToken = '';
  /** Every upload request the page made, and every WebSocket it opened. */
  const uploads: string[] = [];
  const sockets: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    j = await startJourney();
    const a = await j.relay.addAgent(AGENT);
    agentToken = a.token;
    agent = await AgentWire.connect(j.relay.url, a.token);
    context = await j.browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.on('request', (r) => {
      if (r.url().includes('/v1/uploads/')) uploads.push(r.url());
    });
    page.on('websocket', (ws) => sockets.push(ws.url()));
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(j.relay.url + '/');
  }, 30_000);

  afterAll(async () => {
    agent?.close();
    await j?.close();
  });

  it('shows a launcher named "Chat with us" that opens a labelled dialog, and opens no socket', async () => {
    const w = widget(page);
    await w.launcher.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await w.launcher.getAttribute('aria-label')).toBe('Chat with us');
    await w.launcher.click();
    await w.panel.waitFor({ state: 'visible' });
    expect(await w.panel.getAttribute('aria-labelledby')).toBe('title');
    expect(await w.host.locator('#title').textContent()).toBe('Support');
    expect(sockets).toEqual([]);
  });

  it('refuses a bad email in words tied to the field, and still opens no socket', async () => {
    const w = widget(page);
    await w.email.fill('ann@');
    await w.start.click();
    await waitForText(w.panel, 'Enter an email address like name@example.com.');
    expect(await w.email.getAttribute('aria-invalid')).toBe('true');
    const describedBy = await w.email.getAttribute('aria-describedby');
    expect(describedBy).toBeTruthy();
    expect(await w.host.locator(`#${describedBy}`).textContent()).toBe('Enter an email address like name@example.com.');
    // The refusal comes from the widget's own check: nothing reached the relay, nothing was stored.
    expect(sockets).toEqual([]);
    expect(await page.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie])).toEqual([0, 0, '']);
    expect(agent.frames.some((f) => f.t === 'conversation')).toBe(false);
  });

  it('starts the chat with a good email: the agent sees it queued, with the page it came from', async () => {
    const w = widget(page);
    await w.email.fill(EMAIL);
    await w.name.fill('Ann');
    await w.start.click();
    const f = await agent.next((x) => x.t === 'conversation' && x.summary.visitor.email === EMAIL);
    const summary = (f as { summary: ConversationSummary }).summary;
    conversationId = summary.id;
    expect(summary.status).toBe('queued');
    expect(summary.visitor.name).toBe('Ann');
    expect(summary.page?.url).toBe(j.relay.url + '/');
    expect(summary.page?.title).toBe(await page.title());
    await w.message.waitFor({ state: 'visible' });
    await waitForText(w.log, /You're \d+(st|nd|rd|th) in line|Waiting for an agent/);
    expect(sockets).toHaveLength(1);
  });

  it('shows "Jane Doe joined the chat" when the agent claims, and the agent\'s name in the header', async () => {
    const w = widget(page);
    await agent.request({ t: 'claim', id: 'claim', conversationId });
    await waitForText(w.notices, `${AGENT} joined the chat`);
    expect(await w.host.locator('[part~="agent"]').textContent()).toBe(AGENT);
  });

  it('carries messages both ways', async () => {
    const w = widget(page);
    await w.message.fill('Hi, my mug arrived with a crack.');
    await w.message.press('Enter');
    const sent = await agent.event(conversationId, (e) => e.type === 'message' && e.from === 'visitor');
    expect(sent).toMatchObject({ type: 'message', from: 'visitor', text: 'Hi, my mug arrived with a crack.' });
    await waitForText(w.host.locator('[part~="message-visitor"]'), 'Sent');

    agent.send({ t: 'send', conversationId, clientId: randomUUID(), text: 'Sorry to hear that! See https://example.com/returns' });
    const bubble = w.host.locator('[part~="message-agent"]').filter({ hasText: 'Sorry to hear that!' });
    await bubble.waitFor({ state: 'visible' });
    expect(await bubble.textContent()).toContain(AGENT);
    const link = bubble.getByRole('link', { name: 'https://example.com/returns' });
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await link.getAttribute('target')).toBe('_blank');
  });

  it('offers no file control until the agent asks for a file, then shows the agent\'s note and the limit', async () => {
    const w = widget(page);
    expect(await w.fileInput.count()).toBe(0);
    await agent.request({ t: 'request_upload', id: 'req', conversationId, note: 'A photo of the crack, please' });
    await w.upload.waitFor({ state: 'visible' });
    const text = await w.upload.textContent();
    expect(text).toContain(`${AGENT} asked for a file`);
    expect(text).toContain('A photo of the crack, please');
    expect(text).toContain('up to 5 MB');
    expect(await w.upload.getByText('Choose file').isVisible()).toBe(true);
  });

  it('refuses a 6.2 MB file at once, in words, and sends nothing', async () => {
    const w = widget(page);
    await w.fileInput.setInputFiles({ name: 'label.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(6_500_000, 1) });
    await waitForText(w.upload, 'label.jpg is 6.2 MB; the limit is 5 MB');
    await page.waitForTimeout(300);
    expect(uploads).toEqual([]);
    expect(agent.frames.some((f) => f.t === 'event' && f.event.type === 'file')).toBe(false);
    // The request stays open: the customer can pick a smaller file.
    expect(await w.fileInput.count()).toBe(1);
  });

  it('lets the customer cancel an upload mid-way: the request is withdrawn and no file arrives', async () => {
    const w = widget(page);
    const unthrottle = await throttleUploads(page, 64 * 1024);
    try {
      await w.fileInput.setInputFiles({ name: 'wrong.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(1024 * 1024, 2) });
      await w.host.locator('progress').waitFor({ state: 'visible', timeout: 5_000 });
      await w.upload.getByRole('button', { name: 'Cancel' }).click();
      const canceled = await agent.event(conversationId, (e) => e.type === 'upload_canceled');
      expect(canceled).toMatchObject({ type: 'upload_canceled', by: 'visitor' });
    } finally {
      await unthrottle();
    }
    await w.upload.waitFor({ state: 'detached' });
    await waitForText(w.notices, 'The file request was withdrawn');
    await page.waitForTimeout(300);
    expect(agent.frames.some((f) => f.t === 'event' && f.event.type === 'file')).toBe(false);
    expect(await w.fileRows.count()).toBe(0);
    // The agent asks again, for the file the rest of the journey sends.
    await agent.request({ t: 'request_upload', id: 'req2', conversationId, note: 'A photo of the crack, please' });
    await w.fileInput.waitFor({ state: 'attached' });
  });

  it('uploads a small file with progress shown mid-way, then shows the file row; the agent gets the same bytes', async () => {
    const w = widget(page);
    const bytes = Buffer.alloc(320 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) % 251;
    await recordProgress(page);
    const unthrottle = await throttleUploads(page, 256 * 1024);
    try {
      await w.fileInput.setInputFiles({ name: 'crack.jpg', mimeType: 'image/jpeg', buffer: bytes });
      await w.host.locator('progress').waitFor({ state: 'visible', timeout: 5_000 });
      const file = await agent.event(conversationId, (e) => e.type === 'file', 15_000);
      expect(file).toMatchObject({ type: 'file', name: 'crack.jpg', size: bytes.length, mime: 'image/jpeg' });
      await waitForText(w.fileRows, 'crack.jpg');
      expect(await w.fileRows.first().textContent()).toContain('320 KB');
      const seen = await readProgress(page);
      expect(seen.some((p) => p > 0 && p < 100), `progress values seen: ${seen.join(', ')}`).toBe(true);
      // The canceled upload and this one; the 6.2 MB file never left the page.
      expect(uploads).toHaveLength(2);
      // The prompt is gone once the file arrived.
      await w.upload.waitFor({ state: 'detached' });

      const fileId = (file as { fileId: string }).fileId;
      const res = await fetch(`${j.relay.url}/v1/files/${fileId}`, { headers: { Authorization: `Bearer ${agentToken}` } });
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    } finally {
      await unthrottle();
    }
  });

  it('closes on Escape with focus back on the launcher, and reopens where it was', async () => {
    const w = widget(page);
    await w.message.focus();
    await page.keyboard.press('Escape');
    await w.panel.waitFor({ state: 'detached' });
    expect(await w.launcher.evaluate((el) => el.getRootNode() instanceof ShadowRoot && (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true);
    await page.keyboard.press('Enter');
    await w.panel.waitFor({ state: 'visible' });
    await waitForText(w.log, 'Sorry to hear that!');
  });

  it('keeps the whole history across a reload', async () => {
    const w = widget(page);
    await page.reload();
    await w.launcher.waitFor({ state: 'visible' });
    if (!(await w.panel.isVisible())) await w.launcher.click();
    await waitForText(w.log, 'Sorry to hear that!');
    const text = await widgetText(page);
    for (const piece of [`${AGENT} joined the chat`, 'Hi, my mug arrived with a crack.', 'Sorry to hear that!', 'crack.jpg']) {
      expect(text).toContain(piece);
    }
    // Each message exactly once.
    expect(await w.host.locator('[part~="message-visitor"]').count()).toBe(1);
    expect(await w.host.locator('[part~="message-agent"]').count()).toBe(1);
    expect(await w.message.isEnabled()).toBe(true);
  });

  it('shows "Jane Doe ended the chat" when the agent ends it, with no composer and a way to start again', async () => {
    const w = widget(page);
    await agent.request({ t: 'end', id: 'end', conversationId });
    await waitForText(w.notices, `${AGENT} ended the chat`);
    await w.newChat.waitFor({ state: 'visible' });
    expect(await w.message.count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('downloads a plain-text transcript of the whole chat', async () => {
    const w = widget(page);
    const download = page.waitForEvent('download', { timeout: 10_000 });
    await w.host.getByRole('button', { name: 'Download transcript' }).click();
    const d = await download;
    expect(d.suggestedFilename()).toMatch(/^chat-\d{4}-\d{2}-\d{2}\.txt$/);
    const text = readFileSync(await d.path(), 'utf8');
    for (const piece of [`${AGENT} joined the chat`, 'Hi, my mug arrived with a crack.', 'Sorry to hear that!', 'crack.jpg', `${AGENT} ended the chat`]) {
      expect(text).toContain(piece);
    }
  });

  it('starts a new chat, which the customer can end from the header menu after confirming', async () => {
    const w = widget(page);
    await w.newChat.click();
    await w.email.fill(EMAIL);
    await w.start.click();
    const f = await agent.next((x) => x.t === 'conversation' && x.summary.status === 'queued' && x.summary.id !== conversationId);
    const second = (f as { summary: ConversationSummary }).summary.id;
    await agent.request({ t: 'claim', id: 'claim2', conversationId: second });
    await waitForText(w.notices, `${AGENT} joined the chat`);
    // Only this chat's log is shown: nothing of the first one.
    expect(await widgetText(page)).not.toContain('Sorry to hear that!');

    await w.host.getByRole('button', { name: 'More options' }).click();
    await w.host.getByRole('menuitem', { name: 'End chat' }).click();
    await waitForText(w.panel, 'End this chat?');
    await w.host.getByRole('button', { name: 'End chat' }).click();
    await waitForText(w.notices, 'You ended the chat');
    const ended = await agent.event(second, (e) => e.type === 'ended');
    expect(ended).toMatchObject({ type: 'ended', by: 'visitor' });
    expect(await w.message.count()).toBe(0);
  });
});
