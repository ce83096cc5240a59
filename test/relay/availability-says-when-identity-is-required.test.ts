/**
 * `GET /v1/availability` says `identityRequired: true` when the relay runs with
 * `--require-identity` (the widget then shows the site's line instead of the form), in
 * every answer; without the option it says nothing of it.
 */
import { afterEach, expect, it } from 'vitest';
import { Harness } from './helpers.js';

let h: Harness;
afterEach(() => h.cleanup());

const ask = async () => (await fetch(`${h.relay.url}/v1/availability`)).json();

it('says identityRequired with --require-identity, busy or not', async () => {
  h = await Harness.start({ identitySecret: 'a-secret-of-sixteen-or-more', requireIdentity: true });
  expect(await ask()).toEqual({ available: false, reason: 'busy', identityRequired: true });
});

it('says nothing of identity without it, even with a secret', async () => {
  h = await Harness.start({ identitySecret: 'a-secret-of-sixteen-or-more' });
  expect(await ask()).toEqual({ available: false, reason: 'busy' });
});
