// @vitest-environment happy-dom
import axe from 'axe-core';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeAgentFiles } from '../fake-relay/agent-files-http.js';
import { AgentEndpoint } from '../fake-relay/agent-endpoint.js';
import { BOB, JANE } from '../fake-relay/model.js';
import { FakeTranscripts } from '../fake-relay/transcripts-http.js';
import { button, mountConsole, typeInto, waitFor, type DomHarness } from './harness.js';

let h: DomHarness | undefined;
afterEach(() => {
  h?.destroy();
  h = undefined;
});

// Layout-dependent rules cannot be judged without a renderer; e2e covers them in Chromium.
const options: axe.RunOptions = { rules: { 'color-contrast': { enabled: false } } };

async function violations(root: HTMLElement): Promise<string[]> {
  const result = await axe.run(root, options);
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`);
}

describe('Console accessibility (axe-core)', () => {
  it('does judge this DOM: an unlabelled control is reported', async () => {
    h = await mountConsole();
    const bad = document.createElement('button');
    h.root.append(bad);
    expect((await violations(h.root)).some((v) => v.startsWith('button-name'))).toBe(true);
    bad.remove();
  });

  it('finds no violations on the sign-in form', async () => {
    h = await mountConsole({ signIn: false });
    expect(await violations(h.root)).toEqual([]);
  });

  it('finds no violations with tiles, an open chat, notes, a file and the quick-reply list', async () => {
    h = await mountConsole();
    await h.step(() => {
      h!.relay.request('c1', { email: 'ann@example.com', name: 'Ann' }, { url: 'https://shop.example/', title: 'Shop' });
      h!.relay.request('c2', { email: 'bea@example.com' });
      h!.relay.append('c1', { type: 'claimed', agent: JANE });
      h!.relay.visitorSays('c1', 'hello');
      h!.relay.visitorSays('c2', 'anyone?');
      h!.relay.append('c1', { type: 'upload_requested', requestId: 'r1', agent: JANE, maxBytes: 5242880 });
      h!.relay.append('c1', { type: 'file', requestId: 'r1', fileId: 'f1', name: 'a.png', size: 10, mime: 'image/png' });
      h!.relay.socket.push({ t: 'note', conversationId: 'c1', note: { id: 'n1', conversationId: 'c1', agent: JANE, text: 'vip', at: h!.relay.tick() } });
    });
    await h.step(() => h!.root.querySelector<HTMLElement>('.tile')!.click());
    await h.step(() => typeInto(h!.root.querySelector('.composer textarea'), ';'));
    expect(h.root.querySelector('[role="listbox"]')).not.toBeNull();
    expect(await violations(h.root)).toEqual([]);
  });

  it('finds no violations in History: the search, its results, a refused date range, and a past chat open', async () => {
    h = await mountConsole();
    h.transcripts.add({ id: 'p1', email: 'ann@example.com', name: 'Ann', endedAt: '2026-01-04T10:00:00.000Z', messages: [['visitor', 'hi']], notes: ['vip'], files: [{ id: 'f1', name: 'a.png', bytes: new Uint8Array([1]) }] });
    h.transcripts.add({ id: 'p2', email: 'bea@example.com', endedAt: '2026-01-03T10:00:00.000Z', answered: false });
    await h.step(() => {
      h!.relay.request('c1', { email: 'ann@example.com', name: 'Ann' });
      h!.relay.append('c1', { type: 'claimed', agent: JANE });
    });
    // The open chat with its earlier chats.
    await h.step(() => h!.root.querySelector<HTMLElement>('.tile')!.click());
    await waitFor(h, () => h!.root.querySelector('section.earlier li'), 'the earlier chats');
    expect(await violations(h.root)).toEqual([]);

    await h.step(() => button(h!.root, 'History').click());
    await waitFor(h, () => h!.root.querySelectorAll('.history-results tbody tr').length === 2, 'the results');
    expect(await violations(h.root)).toEqual([]);
    const dates = h.root.querySelectorAll<HTMLInputElement>('.history-dates input');
    await h.step(() => typeInto(dates[0]!, '2026-01-05'));
    await h.step(() => typeInto(dates[1]!, '2026-01-04'));
    await h.step(() => button(h!.root, 'Search').click());
    expect(h.root.querySelector('.history-search [role="alert"]')).not.toBeNull();
    expect(await violations(h.root)).toEqual([]);

    await h.step(() => typeInto(dates[0]!, ''));
    await h.step(() => button(h!.root, 'Search').click());
    await waitFor(h, () => h!.root.querySelector('.history-results button[data-id="p1"]'), 'the results again');
    await h.step(() => h!.root.querySelector<HTMLElement>('.history-results button[data-id="p1"]')!.click());
    await waitFor(h, () => h!.root.querySelector('.past-chat .note'), 'the past chat');
    expect(await violations(h.root)).toEqual([]);
  });

  it('finds no violations while a file is sent with progress, after a refusal, and with a failed upload and an agent file shown', async () => {
    const relay = new AgentEndpoint();
    const transcripts = new FakeTranscripts();
    const files = new FakeAgentFiles(relay, transcripts);
    h = await mountConsole({ relay, transcripts, store: { fetch: files.fetch, XMLHttpRequest: files.XMLHttpRequest } });
    await h.step(() => {
      relay.request('c1', { email: 'ann@example.com', name: 'Ann' });
      relay.append('c1', { type: 'claimed', agent: JANE });
      relay.append('c1', { type: 'file', requestId: 'a1', fileId: 'f1', name: 'label.pdf', size: 4, mime: 'application/pdf', from: 'agent', agent: JANE });
      relay.append('c1', { type: 'upload_requested', requestId: 'r1', agent: JANE, maxBytes: 5242880 });
      relay.append('c1', { type: 'upload_failed', requestId: 'r1', reason: 'timeout' });
    });
    await h.step(() => h!.store.select('c1'));
    const input = h.root.querySelector<HTMLInputElement>('.send-file input[type="file"]')!;
    const pick = (file: File) => {
      Object.defineProperty(input, 'files', { value: [file], configurable: true });
      input.dispatchEvent(new Event('change', { bubbles: true }));
    };
    await h.step(() => pick(new File([new Uint8Array([1, 2])], 'a.pdf')));
    await h.step(() => files.xhrs[0]!.progress(1));
    expect(h.root.querySelector('.send-file progress')).not.toBeNull();
    expect(await violations(h.root)).toEqual([]);
    await h.step(() => button(h!.root, 'Stop sending a.pdf').click());
    await h.step(() => pick(new File([new Uint8Array(5 * 1024 * 1024 + 1)], 'big.pdf')));
    expect(h.root.querySelector('.send-file [role="alert"]')).not.toBeNull();
    expect(await violations(h.root)).toEqual([]);
  });

  it('finds no violations with left messages in Messages, one open with its marker, and a rated chat', async () => {
    h = await mountConsole();
    h.transcripts.add({ id: 'p1', email: 'bea@example.com', endedAt: '2026-01-04T10:00:00.000Z', rating: { value: 'down', comment: 'Slow' } });
    await h.step(() => {
      h!.relay.leaveMessage('m1', { email: 'ann@example.com', name: 'Ann' }, 'Call me back?');
      h!.relay.leaveMessage('m2', { email: 'bea@example.com', verified: true }, 'Do you ship to Norway?');
      h!.relay.request('c1', { email: 'cy@example.com' });
      h!.relay.append('c1', { type: 'claimed', agent: JANE });
      h!.relay.append('c1', { type: 'ended', by: 'visitor' });
      h!.relay.append('c1', { type: 'rated', value: 'up', comment: 'Quick and kind' });
    });
    await h.step(() => h!.store.select('m1'));
    await h.step(() => h!.store.select('c1'));
    await waitFor(h, () => h!.root.querySelector('.chat-rating'), 'the rating');
    expect(h.root.querySelector('.left-message-text')).not.toBeNull();
    expect(await violations(h.root)).toEqual([]);
    await h.step(() => h!.store.select('m2'));
    expect(h.root.querySelector('.left-message-marker')).not.toBeNull();
    expect(await violations(h.root)).toEqual([]);
    await h.step(() => button(h!.root, 'History').click());
    await waitFor(h, () => h!.root.querySelector('.history-results .rating'), 'the rated results');
    expect(await violations(h.root)).toEqual([]);
  });

  it('finds no violations with the transfer dialog open', async () => {
    h = await mountConsole();
    await h.step(() => {
      h!.relay.request('c1', { email: 'ann@example.com' });
      h!.relay.append('c1', { type: 'claimed', agent: JANE });
    });
    await h.step(() => h!.root.querySelector<HTMLElement>('.tile')!.click());
    await h.step(() => button(h!.root, 'Transfer').click());
    expect(h.root.querySelector('[role="dialog"]')).not.toBeNull();
    expect(await violations(h.root)).toEqual([]);
  });

  it('finds no violations with an offer, a transfer request, an invitation waiting, a conference and the More control', async () => {
    h = await mountConsole();
    await h.step(() => {
      for (let i = 1; i <= 8; i++) h!.relay.request(`q${i}`, { email: `q${i}@example.com`, name: `Queued ${i}` });
      h!.relay.offer('q1', JANE);
      h!.relay.request('t1', { email: 'tom@example.com', name: 'Tom' }, { url: 'https://shop.example/', title: 'Shop' });
      h!.relay.append('t1', { type: 'claimed', agent: BOB });
      h!.relay.append('t1', { type: 'transfer_requested', from: BOB, to: JANE, note: 'vip', until: h!.relay.tick() });
      h!.relay.request('c1', { email: 'ann@example.com', name: 'Ann' });
      h!.relay.append('c1', { type: 'claimed', agent: JANE });
      h!.relay.append('c1', { type: 'joined', agent: BOB });
      h!.relay.append('c1', { type: 'message', from: 'agent', agent: BOB, text: 'Bob here', clientId: crypto.randomUUID() });
      h!.relay.append('c1', { type: 'invited', from: JANE, to: { id: 'agent-cy', name: 'Cy Park' }, until: h!.relay.tick() });
    });
    await h.step(() => h!.store.select('c1'));
    expect(h.root.querySelectorAll('.incoming .asked')).toHaveLength(2);
    expect(h.root.querySelector('.outgoing')).not.toBeNull();
    expect(h.root.querySelector('.tiles .more')).not.toBeNull();
    expect(await violations(h.root)).toEqual([]);
    await h.step(() => button(h!.root, 'Leave chat').click());
    expect(await violations(h.root)).toEqual([]);
  });
});
