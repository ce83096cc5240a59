// @vitest-environment happy-dom
// The script tag reads `data-page-url` as the element reads `page-url`: by default a new
// chat sends origin + path (query strings carry secrets such as reset tokens), `full`
// adds the query string, `none` sends no page.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClient, settle } from '../widget/helpers.js';
import { installLoader, scriptTag, win } from './loader-harness.js';

beforeEach(() => history.replaceState(null, '', '/reset-password?token=s3cr3t#form'));
afterEach(() => {
  document.body.replaceChildren();
  delete win.Parley;
  history.replaceState(null, '', '/');
});

/** Installs the script tag with `data`, starts a chat from the widget and returns the page it sent. */
async function pageSent(data: Record<string, string>) {
  const t = installLoader(scriptTag(data));
  const api = t.api;
  t.hover();
  const el = await t.loaded();
  const client = new FakeClient();
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
