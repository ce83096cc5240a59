// @vitest-environment happy-dom
// The script tag reads `data-page-url` as the element reads `page-url`: by default a new
// chat sends origin + path (query strings carry secrets such as reset tokens), `full`
// adds the query string, `none` sends no page.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { install } from '../../src/embed/api.js';
import { FakeClient, settle } from '../widget/helpers.js';

type Win = Window & { Parley?: unknown };
const win = window as Win;

function tag(data: Record<string, string> = {}): HTMLScriptElement {
  const s = document.createElement('script');
  s.type = 'text/x-parley-test';
  s.src = 'https://chat.example.com/parley.js';
  for (const [k, v] of Object.entries(data)) s.dataset[k] = v;
  return s;
}

beforeEach(() => history.replaceState(null, '', '/reset-password?token=s3cr3t#form'));
afterEach(() => {
  document.body.replaceChildren();
  delete win.Parley;
  history.replaceState(null, '', '/');
});

/** Installs the script tag with `data`, starts a chat from the widget and returns the page it sent. */
async function pageSent(data: Record<string, string>) {
  const api = install(win, tag(data));
  const client = new FakeClient();
  const el = api.element;
  el.client = client;
  api.identify({ email: 'ann@example.com' });
  api.open();
  await settle(el);
  const box = el.shadowRoot!.querySelector<HTMLTextAreaElement>('#message')!;
  box.value = 'hi';
  box.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  el.shadowRoot!.querySelector('form.composer')!.dispatchEvent(new Event('submit', { cancelable: true }));
  await settle(el);
  await settle(el);
  expect(client.start).toHaveBeenCalledTimes(1);
  return { el, page: client.start.mock.calls[0]![0].page };
}

describe('data-page-url', () => {
  it('is path when absent: origin and path only', async () => {
    const { el, page } = await pageSent({});
    expect(el.pageUrl).toBe('path');
    expect(page?.url).toBe(`${location.origin}/reset-password`);
  });

  it('full sends the query string too, never the fragment', async () => {
    const { el, page } = await pageSent({ pageUrl: 'full' });
    expect(el.pageUrl).toBe('full');
    expect(page?.url).toBe(`${location.origin}/reset-password?token=s3cr3t`);
  });

  it('none sends no page', async () => {
    const { el, page } = await pageSent({ pageUrl: 'none' });
    expect(el.pageUrl).toBe('none');
    expect(page).toBeUndefined();
  });

  it('path says the default out loud', async () => {
    const { page } = await pageSent({ pageUrl: 'path' });
    expect(page?.url).toBe(`${location.origin}/reset-password`);
  });
});
