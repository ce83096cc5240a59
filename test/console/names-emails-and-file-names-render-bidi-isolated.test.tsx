// @vitest-environment happy-dom
// A right-to-left override typed into a name, an email, a page title or a file name
// must not reorder the console's words around it (`invoice‮fdp.exe` reading as a PDF,
// "‮Eve joined" turning the sentence around). Everything a person typed is rendered in
// a <bdi> of its own; message and note texts get `dir="auto"`, which isolates them too.
import { afterEach, describe, expect, it } from 'vitest';
import { withoutInvisibles } from '../../src/protocol/index.js';
import { BOB, JANE } from '../fake-relay/model.js';
import { button, mountConsole, type DomHarness } from './harness.js';

let h: DomHarness | undefined;
afterEach(() => {
  h?.destroy();
  h = undefined;
});

const RLO = '\u202E';
const NAME = `Eve${RLO}nimda`;
const EMAIL = `eve${RLO}moc.elpmaxe@example.com`;
const FILE = `invoice${RLO}fdp.exe`;
const PAGE = { url: `https://shop.example/${RLO}cart`, title: `Cart ${RLO}tfig` };

/** The <bdi> elements under `el` whose whole text is `s`. */
function isolated(el: Element | null | undefined, s: string): Element[] {
  return [...(el?.querySelectorAll('bdi') ?? [])].filter((b) => b.textContent === s);
}

/** `el`'s text without its <bdi> elements: the console's own words. */
function ownWords(el: Element): string {
  const copy = el.cloneNode(true) as Element;
  copy.querySelectorAll('bdi').forEach((b) => b.remove());
  return copy.textContent ?? '';
}

async function evesChat() {
  h = await mountConsole();
  await h.step(() => {
    h!.relay.request('c1', { email: EMAIL, name: NAME }, PAGE);
    h!.relay.visitorSays('c1', `hello ${RLO}olleh`);
    h!.relay.append('c1', { type: 'claimed', agent: JANE });
    h!.relay.append('c1', { type: 'upload_requested', requestId: 'r1', agent: JANE, note: `${RLO}receipt`, maxBytes: 5242880 });
    h!.relay.append('c1', { type: 'file', requestId: 'r1', fileId: 'f1', name: FILE, size: 1536, mime: 'application/pdf' });
    h!.relay.append('c1', { type: 'upload_requested', requestId: 'r2', agent: JANE, note: `${RLO}another`, maxBytes: 5242880 });
  });
  return h;
}

describe('the console isolates what people typed', () => {
  it("puts the customer's name and email on the tile in a <bdi> each", async () => {
    const h = await evesChat();
    const tile = h.root.querySelector('.tile')!;
    expect(isolated(tile.querySelector('.tile-name'), NAME)).toHaveLength(1);
    expect(isolated(tile.querySelector('.tile-email'), EMAIL)).toHaveLength(1);
  });

  it('isolates name, email and page in the chat header', async () => {
    const h = await evesChat();
    await h.step(() => h.root.querySelector<HTMLElement>('.tile')!.click());
    expect(isolated(h.root.querySelector('.chat-header h2'), NAME)).toHaveLength(1);
    const customer = h.root.querySelector('.customer')!;
    expect(isolated(customer, EMAIL)).toHaveLength(1);
    expect(isolated(customer, NAME)).toHaveLength(1);
    expect(isolated(customer.querySelector('a'), PAGE.title)).toHaveLength(1);
    expect(isolated(customer.querySelector('.page-url'), PAGE.url)).toHaveLength(1);
  });

  it('isolates names inside notices, apart from the sentence around them', async () => {
    const h = await evesChat();
    await h.step(() => h.root.querySelector<HTMLElement>('.tile')!.click());
    const asked = [...h.root.querySelectorAll('.transcript .notice')].find((n) => n.textContent!.endsWith(' asked for a chat'))!;
    expect(isolated(asked, NAME)).toHaveLength(1);
    expect(ownWords(asked)).toBe(' asked for a chat');
    const request = [...h.root.querySelectorAll('.transcript .notice')].find((n) => n.textContent!.includes('asked for a file'))!;
    expect(isolated(request, `${RLO}receipt`)).toHaveLength(1);
    expect(ownWords(request)).toBe('You asked for a file: ');
  });

  it('isolates a file name in its row, its download button and the pending request note', async () => {
    const h = await evesChat();
    await h.step(() => h.root.querySelector<HTMLElement>('.tile')!.click());
    const name = h.root.querySelector('.file-name')!;
    expect(isolated(name, FILE)).toHaveLength(1);
    expect(ownWords(name)).toBe(' (1.5 KB)');
    expect(isolated(button(h.root, `Download ${FILE}`), FILE)).toHaveLength(1);
    expect(isolated(h.root.querySelector('.upload-pending'), `${RLO}another`)).toHaveLength(1);
  });

  it('gives each message its own direction and isolates who wrote it', async () => {
    const h = await evesChat();
    await h.step(() => h.root.querySelector<HTMLElement>('.tile')!.click());
    const msg = h.root.querySelector('.msg--visitor')!;
    expect(msg.querySelector('.text')!.getAttribute('dir')).toBe('auto');
    expect(isolated(msg.querySelector('.who'), NAME)).toHaveLength(1);
  });

  it("isolates the customer's name in the typing line", async () => {
    const h = await evesChat();
    await h.step(() => h.root.querySelector<HTMLElement>('.tile')!.click());
    await h.step(() => h.relay.socket.push({ t: 'typing', conversationId: 'c1', on: true }));
    const typing = h.root.querySelector('.typing')!;
    expect(isolated(typing, NAME)).toHaveLength(1);
    expect(ownWords(typing)).toBe(' is typing…');
  });

  it('isolates the signed-in agent in the top bar', async () => {
    h = await mountConsole();
    expect(isolated(h.root.querySelector('.top-bar .agent-name'), JANE.name)).toHaveLength(1);
  });

  it("isolates another agent's name where it says who took the chat", async () => {
    h = await mountConsole();
    const mallory = { id: BOB.id, name: `Bob${RLO}gnp.js` };
    await h.step(() => h!.relay.request('c1', { email: 'ann@example.com' }));
    await h.step(() => h!.root.querySelector<HTMLElement>('.tile')!.click());
    // Bob's claim lands first; Jane's claim loses the race.
    h.relay.intercept = () => true;
    await h.step(() => button(h!.root, 'Claim chat').click());
    const claim = h.relay.socket.frames('claim')[0]!;
    await h.step(() => {
      h!.relay.append('c1', { type: 'claimed', agent: mallory });
      h!.relay.socket.push({ t: 'error', id: claim.id, code: 'conflict', message: 'already claimed' });
    });
    const standing = h.root.querySelector('.standing')!;
    expect(isolated(standing, mallory.name)).toHaveLength(1);
    expect(ownWords(standing)).toBe(' took this chat');
  });

  it("isolates another agent's name on their messages and in a transfer notice", async () => {
    h = await mountConsole();
    const mallory = { id: BOB.id, name: `Bob${RLO}gnp.js` };
    await h.step(() => {
      h!.relay.request('c1', { email: 'ann@example.com' });
      h!.relay.append('c1', { type: 'claimed', agent: mallory });
      h!.relay.append('c1', { type: 'message', from: 'agent', agent: mallory, text: 'hi', clientId: crypto.randomUUID() });
      h!.relay.append('c1', { type: 'transferred', from: mallory, to: { agent: JANE }, note: `${RLO}billing` });
      h!.relay.append('c1', { type: 'claimed', agent: JANE });
    });
    await h.step(() => h!.root.querySelector<HTMLElement>('.tile')!.click());
    expect(isolated(h.root.querySelector('.msg--agent .who'), mallory.name)).toHaveLength(1);
    const transfer = [...h.root.querySelectorAll('.transcript .notice')].find((n) => n.textContent!.includes('transferred'))!;
    expect(isolated(transfer, mallory.name)).toHaveLength(1);
    expect(isolated(transfer, `${RLO}billing`)).toHaveLength(1);
    expect(ownWords(transfer)).toBe(' transferred the chat to You: ');
  });

  it('drops bidi controls from an agent name in the transfer list (an <option> cannot hold a <bdi>)', async () => {
    h = await mountConsole();
    await h.step(() => {
      h!.relay.request('c1', { email: 'ann@example.com' });
      h!.relay.append('c1', { type: 'claimed', agent: JANE });
    });
    await h.step(() => h!.relay.socket.push({ t: 'presence', agent: { id: BOB.id, name: `Bob${RLO}gnp.js`, status: 'online' } }));
    await h.step(() => h!.root.querySelector<HTMLElement>('.tile')!.click());
    await h.step(() => button(h!.root, 'Transfer').click());
    const options = [...h.root.querySelectorAll('[role="dialog"] select option')].map((o) => o.textContent);
    expect(options).toContain('Bobgnp.js (Online)');
    expect(withoutInvisibles(`a\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061cb عربي`)).toBe('ab عربي');
  });
});
