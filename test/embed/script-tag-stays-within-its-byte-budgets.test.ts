// The built files against their budgets (gzip -9, as `npm run bench` prints them): the
// loader every page view pays for, everything the script tag loads by the time a
// customer is chatting (the hard limit), and the headless client. `npm test` builds
// first, so these are the files that ship.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUDGETS, measure, scriptTagFiles } from '../../bench/sizes.mjs';
import { CHAT_DIST, WIDGET_DIR } from '../../scripts/built-paths.mjs';

/** gzip -9 bytes, measured as the bench measures them. */
const gzip = (path: string) => measure(path)?.gzip ?? Infinity;
const inWidget = (file: string) => gzip(join(WIDGET_DIR, file));

describe('the shipped bundles', () => {
  const tag = scriptTagFiles(WIDGET_DIR);

  it('are built', () => {
    expect(tag, 'the script tag is not built: run `npm run build`').not.toBeNull();
  });

  it(`keep the loader within ${BUDGETS.loader} B`, () => {
    expect(inWidget(tag!.loader)).toBeLessThanOrEqual(BUDGETS.loader);
  });

  it(`keep the loader and the widget a chat needs within ${BUDGETS.scriptTagOpen} B`, () => {
    const total = inWidget(tag!.loader) + tag!.eager.reduce((sum, f) => sum + inWidget(f), 0);
    expect(total).toBeLessThanOrEqual(BUDGETS.scriptTagOpen);
  });

  it('name the widget chunks by their content, so they can be cached for good', () => {
    for (const f of [...tag!.eager, ...tag!.lazy]) expect(f).toMatch(/^parley-[\w-]+-[\w-]{8}\.js$/);
  });

  it(`keep the headless client within ${BUDGETS.client} B`, () => {
    expect(gzip(join(CHAT_DIST, 'client.js'))).toBeLessThanOrEqual(BUDGETS.client);
  });
});
