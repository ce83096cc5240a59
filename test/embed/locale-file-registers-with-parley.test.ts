// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sendLocale } from '../../src/embed/register-locale.js';
import { de } from '../../src/widget/locales/de.js';
import { installLoader, scriptTag, win } from './loader-harness.js';

afterEach(() => {
  document.body.replaceChildren();
  delete win.Parley;
});

describe('a locale file (parley.de.js)', () => {
  it('queues its table when it runs before parley.js, and the table applies on load', async () => {
    vi.spyOn(document.head, 'append').mockImplementation(() => {}); // the test DOM runs no scripts
    sendLocale('de', de);
    const t = installLoader(scriptTag({ lang: 'de' }));
    expect(t.loaderButton()!.getAttribute('aria-label')).toBe('Chatten Sie mit uns');
    t.hover();
    const el = await t.loaded();
    expect(el.shadowRoot!.querySelector('.base[dir] [part~="launcher"]')!.getAttribute('aria-label')).toBe('Chatten Sie mit uns');
  });
});
