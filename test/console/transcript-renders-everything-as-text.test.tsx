// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BOB, JANE } from '../fake-relay/model.js';
import { button, mountConsole, type DomHarness } from './harness.js';

let h: DomHarness | undefined;
afterEach(() => {
  h?.destroy();
  h = undefined;
});

const EVIL = '<img src=x onerror="window.pwned=1"><b>bold</b>';

async function openChat(harness: DomHarness, id: string) {
  await harness.step(() => {
    const tile = [...harness.root.querySelectorAll<HTMLElement>('.tile')].find((t) => t.textContent?.includes(id));
    (tile ?? harness.root.querySelector<HTMLElement>('.tile'))!.click();
  });
}

describe('Transcript', () => {
  it("shows the customer's email, name and page, then messages and notices in order", async () => {
    h = await mountConsole();
    await h.step(() => {
      h!.relay.request('c1', { email: 'ann@example.com', name: 'Ann Lee' }, { url: 'https://shop.example/cart', title: 'Your cart' });
      h!.relay.visitorSays('c1', 'Where is my order?');
    });
    await openChat(h, 'Ann');
    await h.step(() => button(h!.root, 'Claim chat').click());
    const customer = h.root.querySelector('.customer')!;
    expect(customer.textContent).toContain('ann@example.com');
    expect(customer.textContent).toContain('Ann Lee');
    const link = customer.querySelector('a')!;
    expect(link.textContent).toBe('Your cart');
    expect(link.getAttribute('href')).toBe('https://shop.example/cart');
    const rows = [...h.root.querySelectorAll('.transcript li')].map((li) => li.textContent);
    expect(rows[0]).toBe('Ann Lee asked for a chat');
    expect(rows[1]).toContain('Where is my order?');
    expect(rows[2]).toBe('You joined the chat');
  });

  it('renders markup from customers, names and file names as text', async () => {
    h = await mountConsole();
    await h.step(() => {
      h!.relay.request('c1', { email: 'ann@example.com', name: EVIL }, { url: 'javascript:alert(1)', title: EVIL });
      h!.relay.visitorSays('c1', EVIL);
      h!.relay.append('c1', { type: 'claimed', agent: JANE });
      h!.relay.append('c1', { type: 'file', requestId: 'r1', fileId: 'f1', name: `${EVIL}.png`, size: 10, mime: 'image/png' });
    });
    await openChat(h, 'img');
    expect(h.root.querySelector('img')).toBeNull();
    expect(h.root.querySelector('.transcript b, .customer b, .tiles b')).toBeNull();
    expect(h.root.querySelector('.msg--visitor .text')?.textContent).toBe(EVIL);
    expect(h.root.querySelector('h2#chat-title-c1')?.textContent).toBe(EVIL);
    // A page URL that is not http(s) is shown, not linked.
    expect(h.root.querySelector('.customer a')).toBeNull();
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
  });

  it("shows agents' messages with their names and marks the customer's read", async () => {
    h = await mountConsole();
    await h.step(() => {
      h!.relay.request('c1', { email: 'ann@example.com' });
      h!.relay.append('c1', { type: 'claimed', agent: BOB });
      h!.relay.append('c1', { type: 'message', from: 'agent', agent: BOB, text: 'Hi, Bob here', clientId: crypto.randomUUID() });
      h!.relay.append('c1', { type: 'transferred', from: BOB, to: { agent: JANE }, note: 'billing question' });
      h!.relay.append('c1', { type: 'claimed', agent: JANE });
    });
    await openChat(h, 'ann');
    const texts = [...h.root.querySelectorAll('.transcript li')].map((li) => li.textContent);
    expect(texts).toContain('Bob Stone transferred the chat to You: billing question');
    expect(h.root.querySelector('.msg--agent .who')?.textContent).toBe('Bob Stone');
    expect(h.root.querySelector('.seen')).toBeNull();
    await h.step(() => h!.relay.socket.push({ t: 'read', conversationId: 'c1', by: 'visitor', upToSeq: 3 }));
    expect(h.root.querySelector('.msg--agent .seen')?.textContent).toBe('Seen');
  });

  it('shows when the customer is typing, and stops when their message arrives', async () => {
    h = await mountConsole();
    await h.step(() => {
      h!.relay.request('c1', { email: 'ann@example.com', name: 'Ann' });
      h!.relay.append('c1', { type: 'claimed', agent: JANE });
    });
    await openChat(h, 'Ann');
    await h.step(() => h!.relay.socket.push({ t: 'typing', conversationId: 'c1', on: true }));
    expect(h.root.querySelector('.typing')?.textContent).toBe('Ann is typing…');
    await h.step(() => h!.relay.visitorSays('c1', 'done'));
    expect(h.root.querySelector('.typing')?.textContent).toBe('');
  });

  it('downloads a file with the agent token in a header and offers it as a blob URL', async () => {
    const fetchMock = vi.fn(
      async (_url: string | URL | Request, _init?: RequestInit) =>
        new Response('file-bytes', { status: 200, headers: { 'Content-Type': 'text/html' } }),
    );
    const created: Blob[] = [];
    h = await mountConsole({
      store: {
        fetch: fetchMock as unknown as typeof fetch,
        baseUrl: 'http://relay.test/console/',
        createObjectURL: (b) => {
          created.push(b);
          return 'blob:http://relay.test/abc';
        },
      },
    });
    await h.step(() => {
      h!.relay.request('c1', { email: 'ann@example.com' });
      h!.relay.append('c1', { type: 'claimed', agent: JANE });
      h!.relay.append('c1', { type: 'file', requestId: 'r1', fileId: 'file_1', name: 'invoice.pdf', size: 1536, mime: 'application/pdf' });
    });
    await openChat(h, 'ann');
    expect(h.root.querySelector('.file-name')?.textContent).toBe('invoice.pdf (1.5 KB)');
    await h.step(() => button(h!.root, 'Download invoice.pdf').click());
    // The open chat also reads the customer's earlier chats; here only the file counts.
    const fileCalls = fetchMock.mock.calls.filter(([u]) => String(u).includes('/v1/files/'));
    expect(fileCalls).toHaveLength(1);
    const [url, init] = fileCalls[0]!;
    expect(String(url)).toBe('http://relay.test/v1/files/file_1');
    expect(new Headers(init?.headers).get('Authorization')).toBe('Bearer jane-token-0123456789abcdef');
    expect(await created[0]!.text()).toBe('file-bytes');
    // A customer's HTML must never render from a URL of the console's origin.
    expect(created[0]!.type).toBe('application/octet-stream');
    const save = h.root.querySelector('.file a')!;
    expect(save.getAttribute('href')).toBe('blob:http://relay.test/abc');
    expect(save.getAttribute('download')).toBe('invoice.pdf');
  });

  it('says so when a download is refused', async () => {
    h = await mountConsole({ store: { fetch: (async () => new Response('', { status: 404 })) as typeof fetch, createObjectURL: () => 'blob:x' } });
    await h.step(() => {
      h!.relay.request('c1', { email: 'ann@example.com' });
      h!.relay.append('c1', { type: 'claimed', agent: JANE });
      h!.relay.append('c1', { type: 'file', requestId: 'r1', fileId: 'gone', name: 'a.txt', size: 3, mime: 'text/plain' });
    });
    await openChat(h, 'ann');
    await h.step(() => button(h!.root, 'Download a.txt').click());
    expect(h.root.querySelector('.file [role="alert"]')?.textContent).toBe('That no longer exists.');
    expect(h.root.querySelector('.file a')).toBeNull();
  });
});
