// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { install } from '../../src/embed/api.js';
import { sendLocale } from '../../src/embed/register-locale.js';
import { de } from '../../src/widget/locales/de.js';

const win = window as Window & { Parley?: unknown };

afterEach(() => {
  document.body.replaceChildren();
  delete win.Parley;
});

function tag(): HTMLScriptElement {
  const s = document.createElement('script');
  s.type = 'text/x-parley-test';
  s.src = 'https://chat.example.com/parley.js';
  s.dataset.lang = 'de';
  return s;
}

describe('a locale file (parley.de.js)', () => {
  it('queues its table when it runs before parley.js, and the table applies on load', async () => {
    sendLocale('de', de);
    const api = install(win, tag());
    await api.element.updateComplete;
    expect(api.element.shadowRoot!.querySelector('[part~="launcher"]')!.getAttribute('aria-label')).toBe('Chatten Sie mit uns');
  });
});
