// @vitest-environment happy-dom
// A relay started with --require-identity says so in its availability answer
// (`identityRequired`): a visitor the site did not identify sees "Please sign in to chat
// with us." (`err_unverified`, which a site can reword) in place of the pre-chat form;
// an identified one chats as usual.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AvailabilityAnswer } from '../../src/protocol/index.js';
import { de } from '../../src/widget/locales/de.js';
import { registerLocale } from '../../src/widget/strings.js';
import { FakeClient, mount, settle, text } from './helpers.js';

registerLocale('de', de);

afterEach(() => document.body.replaceChildren());

function requiring(answer: AvailabilityAnswer = { available: true, identityRequired: true }): FakeClient {
  const client = new FakeClient();
  client.availability.mockResolvedValue(answer);
  return client;
}

/** Opens the element and waits for the availability answer to show. */
async function opened(props: Parameters<typeof mount>[0], client: FakeClient) {
  const m = await mount({ opened: true, ...props }, client);
  await vi.waitFor(() => expect(m.$('[part~="availability"]')).not.toBeNull());
  await settle(m.el);
  return m;
}

describe('<parley-chat> when the relay requires identity', () => {
  it('shows the sign-in line in place of the form to a visitor not identified', async () => {
    const { $ } = await opened({}, requiring());
    expect($('form.prechat')).toBeNull();
    expect($('#email')).toBeNull();
    expect(text($('[part~="panel"] .body'))).toBe('Please sign in to chat with us.');
  });

  it('shows it in place of the leave-a-message form too', async () => {
    const { $ } = await opened({}, requiring({ available: false, reason: 'closed', opensAt: null, identityRequired: true }));
    expect($('form.prechat')).toBeNull();
    expect($('#leave')).toBeNull();
    expect(text($('[part~="panel"] .body'))).toBe('Please sign in to chat with us.');
  });

  it("uses the site's wording from the strings property", async () => {
    const { $ } = await opened({ strings: { err_unverified: 'Log in to your Acme account to chat.' } }, requiring());
    expect(text($('[part~="panel"] .body'))).toBe('Log in to your Acme account to chat.');
    expect(text($('[part~="panel"]'))).not.toContain('Please sign in');
  });

  it("uses the locale's wording", async () => {
    const { $ } = await opened({ lang: 'de' }, requiring());
    expect(text($('[part~="panel"] .body'))).toBe(de.err_unverified);
  });

  it('lets an identified customer chat as usual', async () => {
    const client = requiring();
    const { el, $ } = await mount({}, client);
    el.identify({ email: 'ann@example.com', signature: 'ab12' });
    el.open();
    await vi.waitFor(() => expect($('[part~="availability"]')).not.toBeNull());
    await settle(el);
    expect($('#message')).not.toBeNull();
    expect(text($('[part~="panel"]'))).not.toContain('Please sign in');
  });

  it('shows the usual form when identity is not required', async () => {
    const { $ } = await opened({}, requiring({ available: true }));
    expect($('form.prechat')).not.toBeNull();
    expect(text($('[part~="panel"]'))).not.toContain('Please sign in');
  });
});
