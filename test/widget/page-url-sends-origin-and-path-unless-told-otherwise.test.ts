// @vitest-environment happy-dom
// Query strings carry secrets (password reset links, one-time tokens): a new chat sends
// the page as origin + path unless the site sets `page-url="full"` (query kept, never
// the fragment) or `page-url="none"` (no page at all).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineParleyChat } from '../../src/widget/define.js';
import type { ParleyChat } from '../../src/widget/parley-chat.js';
import { FakeClient, mount, settle, type } from './helpers.js';

const PAGE = '/account/reset?token=s3cr3t&user=ann#step-2';

beforeEach(() => history.replaceState(null, '', PAGE));
afterEach(() => {
  document.body.replaceChildren();
  history.replaceState(null, '', '/');
});

/** Starts a chat from the pre-chat form and returns the page the client was given. */
async function pageSent(setup: (el: ParleyChat) => void = () => {}) {
  const client = new FakeClient();
  const { el, $ } = await mount({ opened: true }, client);
  setup(el);
  await settle(el);
  type($('#email'), 'ann@example.com');
  $('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
  await settle(el);
  expect(client.start).toHaveBeenCalledTimes(1);
  return client.start.mock.calls[0]![0].page;
}

describe('<parley-chat> page-url', () => {
  it('defaults to path: origin and path, no query string, no fragment', async () => {
    defineParleyChat();
    const el = document.createElement('parley-chat');
    expect(el.pageUrl).toBe('path');
    const page = await pageSent();
    expect(page).toEqual({ url: `${location.origin}/account/reset`, title: document.title });
    expect(page!.url).not.toContain('s3cr3t');
  });

  it('page-url="path" is the same as the default', async () => {
    const page = await pageSent((el) => el.setAttribute('page-url', 'path'));
    expect(page!.url).toBe(`${location.origin}/account/reset`);
  });

  it('page-url="full" keeps the query string and still drops the fragment', async () => {
    const page = await pageSent((el) => el.setAttribute('page-url', 'full'));
    expect(page).toEqual({ url: `${location.origin}/account/reset?token=s3cr3t&user=ann`, title: document.title });
  });

  it('page-url="none" sends no page at all', async () => {
    const page = await pageSent((el) => el.setAttribute('page-url', 'none'));
    expect(page).toBeUndefined();
  });

  it('the pageUrl property works like the attribute', async () => {
    const page = await pageSent((el) => (el.pageUrl = 'none'));
    expect(page).toBeUndefined();
  });

  it('an unknown value sends no more than the default', async () => {
    const page = await pageSent((el) => el.setAttribute('page-url', 'everything'));
    expect(page!.url).toBe(`${location.origin}/account/reset`);
  });
});
