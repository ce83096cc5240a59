// @vitest-environment happy-dom
/**
 * The owner or a guest of a live chat sends the customer a file: it is posted to
 * `/v1/agent-files/{conversationId}` with the agent token in a header, shows its
 * progress, and then shows in the transcript as sent by that agent, downloadable like a
 * customer's file. A file over 5 MB is refused before any request, in words; the relay's
 * refusals (403, 413) are said.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConsoleStoreOptions } from '../../src/console/store.js';
import { FakeAgentFiles } from '../fake-relay/agent-files-http.js';
import { AgentEndpoint, JANE_TOKEN } from '../fake-relay/agent-endpoint.js';
import { BOB, JANE } from '../fake-relay/model.js';
import { FakeTranscripts } from '../fake-relay/transcripts-http.js';
import { button, mountConsole, type DomHarness } from './harness.js';

let h: DomHarness | undefined;
afterEach(() => {
  h?.destroy();
  h = undefined;
});

/** A console over a fake relay whose files endpoint is `files`; `xhr` sends with progress. */
async function consoleWithFiles(opts: { xhr?: boolean; owner?: 'jane' | 'bob-with-jane-as-guest' } = {}) {
  const relay = new AgentEndpoint();
  const transcripts = new FakeTranscripts();
  const files = new FakeAgentFiles(relay, transcripts);
  const store: Partial<ConsoleStoreOptions> = {
    fetch: files.fetch,
    baseUrl: 'http://relay.test/console/',
    createObjectURL: () => 'blob:http://relay.test/1',
    ...(opts.xhr ? { XMLHttpRequest: files.XMLHttpRequest } : {}),
  };
  const harness = await mountConsole({ relay, transcripts, store });
  await harness.step(() => {
    relay.request('c1', { email: 'ann@example.com', name: 'Ann' });
    if (opts.owner === 'bob-with-jane-as-guest') {
      relay.append('c1', { type: 'claimed', agent: BOB });
      relay.append('c1', { type: 'joined', agent: JANE });
    } else relay.append('c1', { type: 'claimed', agent: JANE });
  });
  await harness.step(() => harness.store.select('c1'));
  return { h: harness, files };
}

/** Picks `file` in the chat's file picker, as the browser does after the agent chose it. */
async function pick(harness: DomHarness, file: File): Promise<void> {
  const input = harness.root.querySelector<HTMLInputElement>('.send-file input[type="file"]')!;
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  await harness.step(() => input.dispatchEvent(new Event('change', { bubbles: true })));
  // The body is read and answered over a few turns.
  for (let i = 0; i < 5; i++) await harness.step(() => new Promise((r) => setTimeout(r, 1)));
}

const label = () => new File([new Uint8Array([37, 80, 68, 70])], 'return-label.pdf', { type: 'application/pdf' });
const alertText = (root: HTMLElement) => root.querySelector('.send-file [role="alert"]')?.textContent;

describe('Sending the customer a file', () => {
  it('posts it to /v1/agent-files with the token and shows it in the transcript as sent by this agent', async () => {
    const c = await consoleWithFiles();
    h = c.h;
    const send = button(h.root, 'Send file');
    expect(send.getAttribute('type')).toBe('button');
    await pick(h, label());
    expect(c.files.received).toHaveLength(1);
    const [got] = c.files.received;
    expect(got!.url).toBe('http://relay.test/v1/agent-files/c1?name=return-label.pdf');
    expect(got!.authorization).toBe(`Bearer ${JANE_TOKEN}`);
    expect(got!.contentType).toBe('application/pdf');
    expect([...got!.bytes]).toEqual([37, 80, 68, 70]);
    const row = h.root.querySelector('.transcript .file')!;
    expect(row.classList.contains('file--mine')).toBe(true);
    expect(row.querySelector('.who')?.textContent).toBe('File to the customer');
    expect(row.querySelector('.file-name')?.textContent).toBe('You sent return-label.pdf (4 bytes)');
    expect(h.root.querySelector('.send-file-progress')).toBeNull();
    expect(alertText(h.root)).toBeUndefined();
    expect(button(h.root, 'Send file').disabled).toBe(false);
  });

  it("names the agent who sent a file, which downloads like a customer's", async () => {
    const c = await consoleWithFiles({ owner: 'bob-with-jane-as-guest' });
    h = c.h;
    h.transcripts.files.set('f-bob', new Uint8Array([1, 2, 3, 4]));
    await h.step(() =>
      h!.relay.append('c1', { type: 'file', requestId: 'agent-x', fileId: 'f-bob', name: 'return-label.pdf', size: 4, mime: 'application/pdf', from: 'agent', agent: BOB }),
    );
    const row = h.root.querySelector('.transcript .file')!;
    expect(row.classList.contains('file--mine')).toBe(false);
    expect(row.querySelector('.file-name')?.textContent).toBe('Bob Stone sent return-label.pdf (4 bytes)');
    await h.step(() => button(row, 'Download return-label.pdf').click());
    await h.step(() => new Promise((r) => setTimeout(r, 5)));
    expect(row.querySelector('a')?.getAttribute('href')).toBe('blob:http://relay.test/1');
    // The customer's own files read as before.
    await h.step(() => h!.relay.append('c1', { type: 'file', requestId: 'r1', fileId: 'f2', name: 'receipt.jpg', size: 1536, mime: 'image/jpeg' }));
    const theirs = h.root.querySelectorAll('.transcript .file')[1]!;
    expect(theirs.className).toBe('file');
    expect(theirs.querySelector('.who')?.textContent).toBe('File from the customer');
    expect(theirs.querySelector('.file-name')?.textContent).toBe('receipt.jpg (1.5 KB)');
  });

  it('lets a guest send files; offers no Send file in a queued chat or an ended one', async () => {
    const c = await consoleWithFiles({ owner: 'bob-with-jane-as-guest' });
    h = c.h;
    await pick(h, label());
    expect(c.files.received).toHaveLength(1);
    expect(h.root.querySelector('.transcript .file-name')?.textContent).toBe('You sent return-label.pdf (4 bytes)');
    await h.step(() => h!.relay.append('c1', { type: 'ended', by: 'agent', agent: BOB }));
    expect(h.root.querySelector('.send-file')).toBeNull();
    await h.step(() => h!.relay.request('c2', { email: 'bea@example.com' }));
    await h.step(() => h!.store.select('c2'));
    expect(h.root.querySelector('.send-file')).toBeNull();
  });

  it('refuses a file over 5 MB before any request, saying its size and the limit', async () => {
    const c = await consoleWithFiles({ xhr: true });
    h = c.h;
    await pick(h, new File([new Uint8Array(6_500_000)], 'label.pdf', { type: 'application/pdf' }));
    expect(c.files.xhrs).toHaveLength(0);
    expect(c.files.received).toHaveLength(0);
    expect(alertText(h.root)).toBe('label.pdf is 6.2 MB; the limit is 5 MB');
    await h.step(() => button(h!.root, 'Dismiss').click());
    expect(alertText(h.root)).toBeUndefined();
  });

  it('shows the progress while the file goes over XMLHttpRequest, then the file', async () => {
    const c = await consoleWithFiles({ xhr: true });
    h = c.h;
    await pick(h, label());
    const [xhr] = c.files.xhrs;
    expect(xhr!.method).toBe('POST');
    expect(xhr!.url).toBe('http://relay.test/v1/agent-files/c1?name=return-label.pdf');
    expect(xhr!.headers.get('Authorization')).toBe(`Bearer ${JANE_TOKEN}`);
    const status = () => h!.root.querySelector('.send-file-progress');
    expect(status()?.textContent).toContain('Sending return-label.pdf… 0%');
    expect(status()?.querySelector('[role="status"]')?.textContent).toBe('Sending return-label.pdf…');
    expect(button(h.root, 'Send file').disabled).toBe(true);
    await h.step(() => xhr!.progress(2));
    expect(status()?.textContent).toContain('Sending return-label.pdf… 50%');
    expect(status()?.querySelector('progress')?.getAttribute('aria-label')).toBe('Sending return-label.pdf');
    await h.step(() => xhr!.finish());
    expect(status()).toBeNull();
    expect(h.root.querySelector('.transcript .file-name')?.textContent).toBe('You sent return-label.pdf (4 bytes)');
  });

  it('stops a send under way without a word of failure', async () => {
    const c = await consoleWithFiles({ xhr: true });
    h = c.h;
    await pick(h, label());
    await h.step(() => button(h!.root, 'Stop sending return-label.pdf').click());
    expect(c.files.xhrs[0]!.aborted).toBe(true);
    expect(h.root.querySelector('.send-file-progress')).toBeNull();
    expect(alertText(h.root)).toBeUndefined();
    expect(button(h.root, 'Send file').disabled).toBe(false);
  });

  it('stops a send under way and forgets every send when the agent signs out', async () => {
    const c = await consoleWithFiles({ xhr: true });
    h = c.h;
    await pick(h, label());
    expect(h.store.files.state['c1']).toMatchObject({ status: 'sending', name: 'return-label.pdf', sent: 0 });
    await h.step(() => h!.store.signOut());
    expect(c.files.xhrs[0]!.aborted).toBe(true);
    expect(h.store.files.state).toEqual({});
  });

  it("says the relay's refusal: 403 and 413", async () => {
    const c = await consoleWithFiles();
    h = c.h;
    c.files.refuseNextWith = 403;
    await pick(h, label());
    expect(alertText(h.root)).toBe('return-label.pdf was not sent: only the agent who owns this chat or a guest in it can send files');
    c.files.refuseNextWith = 413;
    await pick(h, label());
    expect(alertText(h.root)).toBe('return-label.pdf was not sent: it is too large for the relay (the limit is 5 MB)');
    expect(h.root.querySelector('.transcript .file')).toBeNull();
  });
});
