// @vitest-environment happy-dom
// While queued, the log says the customer's place as an ordinal in the locale's words
// ("You're 3rd in line", endings from its `nth`), and, once the relay knows it, the
// usual wait in whole minutes rounded up ("Usual wait: about 4 min").
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ar } from '../../src/widget/locales/ar.js';
import { de } from '../../src/widget/locales/de.js';
import { es } from '../../src/widget/locales/es.js';
import { nth, registerLocale } from '../../src/widget/strings.js';
import { FakeClient, makeState, mount, settle, text, type } from './helpers.js';
import { RELAY } from '../fake-relay/visitor-endpoint.js';
import { useVisitorRelay, WAIT } from '../fake-relay/visitor-harness.js';

registerLocale('es', es);
registerLocale('de', de);
registerLocale('ar', ar);

const queued = (queuePosition: number | null, queueWait: number | null = null) =>
  makeState({ phase: 'queued', connection: 'online', conversationId: 'conv_1', queuePosition, queueWait });

const notices = (root: ShadowRoot) => [...root.querySelectorAll('[part~="notice"]')].map(text);

describe('English ordinals', () => {
  it.each([
    [1, '1st'],
    [2, '2nd'],
    [3, '3rd'],
    [4, '4th'],
    [10, '10th'],
    [11, '11th'],
    [12, '12th'],
    [13, '13th'],
    [21, '21st'],
    [22, '22nd'],
    [23, '23rd'],
    [101, '101st'],
    [111, '111th'],
    [112, '112th'],
  ])('%i is %s', (n, words) => {
    expect(nth(n, 'th st nd rd')).toBe(words);
  });

  it('leave the number alone for a language without endings', () => {
    expect(nth(2, '')).toBe('2');
    expect(nth(11, '')).toBe('11');
  });
});

describe('<parley-chat> queue line', () => {
  afterEach(() => document.body.replaceChildren());

  it.each([
    [1, "You're 1st in line"],
    [2, "You're 2nd in line"],
    [3, "You're 3rd in line"],
    [12, "You're 12th in line"],
    [22, "You're 22nd in line"],
  ])('says place %i as "%s"', async (n, words) => {
    const { root } = await mount({ opened: true }, new FakeClient(queued(n)));
    expect(notices(root)).toContain(words);
  });

  it.each([
    ['de', 'Sie sind an 3. Stelle in der Warteschlange'],
    ['es', 'Eres el 3.º en la cola'],
    ['ar', 'ترتيبك 3 في قائمة الانتظار'],
  ])('says it in the words of %s', async (lang, words) => {
    const { root } = await mount({ opened: true, lang }, new FakeClient(queued(3)));
    expect(notices(root)).toContain(words);
  });

  it.each([
    [240, 'Usual wait: about 4 min'],
    [241, 'Usual wait: about 5 min'],
    [30, 'Usual wait: about 1 min'],
  ])('adds the usual wait of %i s as "%s"', async (seconds, words) => {
    const { root } = await mount({ opened: true }, new FakeClient(queued(2, seconds)));
    expect(notices(root)).toEqual(["You're 2nd in line", words]);
  });

  it('adds no wait while the relay does not know it, and follows it when it comes', async () => {
    const client = new FakeClient(queued(3));
    const { el, root } = await mount({ opened: true }, client);
    expect(notices(root)).toEqual(["You're 3rd in line"]);
    client.set({ queuePosition: 2, queueWait: 600 });
    await settle(el);
    expect(notices(root)).toEqual(["You're 2nd in line", 'Usual wait: about 10 min']);
  });

  it('says the wait in the locale too', async () => {
    const { root } = await mount({ opened: true, lang: 'de' }, new FakeClient(queued(2, 180)));
    expect(notices(root)).toContain('Übliche Wartezeit: etwa 3 Min.');
  });

  it('says neither once an agent has the chat', async () => {
    const client = new FakeClient(queued(2, 180));
    const { el, root } = await mount({ opened: true }, client);
    client.set({ phase: 'active', queuePosition: null, queueWait: null });
    await settle(el);
    expect(notices(root).join(' ')).not.toMatch(/in line|Usual wait/);
  });
});

describe('<parley-chat> queue line (real client over msw)', () => {
  const env = useVisitorRelay();
  afterEach(() => {
    document.body.replaceChildren();
    localStorage.clear();
  });

  it("shows the relay's queue frames: place and usual wait", async () => {
    const { relay } = env;
    relay.queuePosition = 2; // the welcome puts Ann 2nd in line
    const { el } = await mount({ relay: RELAY, opened: true }, null);
    await settle(el);
    type(el.shadowRoot!.querySelector('#email'), 'ann@example.com');
    el.shadowRoot!.querySelector('form.prechat')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(el.chatState?.queuePosition).toBe(2), WAIT);
    for (const s of relay.sockets) relay.push(s, { t: 'queue', position: 3, wait: 420 });
    await vi.waitFor(() => expect(el.chatState?.queueWait).toBe(420), WAIT);
    await settle(el);
    expect(notices(el.shadowRoot!)).toEqual(["You're 3rd in line", 'Usual wait: about 7 min']);
  });
});
