// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { ar } from '../../src/widget/locales/ar.js';
import { de } from '../../src/widget/locales/de.js';
import { en } from '../../src/widget/locales/en.js';
import { enLater } from '../../src/widget/locales/en-later.js';
import { es } from '../../src/widget/locales/es.js';
import { errorText, format, registerLocale, resolveLocale } from '../../src/widget/strings.js';
import { activeState, FakeClient, makeState, mount, settle, text } from './helpers.js';

registerLocale('es', es);
registerLocale('de', de);
registerLocale('ar', ar);

afterEach(() => document.body.replaceChildren());

describe('locale tables', () => {
  it.each([
    ['es', es],
    ['de', de],
    ['ar', ar],
  ] as const)('%s has every English key, each translated and with the same placeholders', (_lang, table) => {
    // English comes in two parts: what every page view needs, and what the parts loaded later bring.
    const english: Record<string, string> = { ...en, ...enLater };
    expect(Object.keys(table).sort()).toEqual(Object.keys(english).sort());
    for (const [key, value] of Object.entries(english)) {
      const other = (table as Record<string, string>)[key]!;
      // `nth` may be empty: a language without ordinal endings shows the number alone.
      if (key !== 'nth') expect(other.length, key).toBeGreaterThan(0);
      expect((other.match(/\{\w+\}/g) ?? []).sort(), key).toEqual((value.match(/\{\w+\}/g) ?? []).sort());
    }
  });

  it('picks by base language, falls back to English, and lets overrides win', () => {
    expect(resolveLocale('es-MX').strings.start).toBe('Iniciar chat');
    expect(resolveLocale('fr').strings.start).toBe('Start chat');
    expect(resolveLocale('fr').lang).toBe('en');
    expect(resolveLocale('ar').dir).toBe('rtl');
    expect(resolveLocale('de', { start: 'Los' }).strings.start).toBe('Los');
  });

  it('fills placeholders and leaves unknown ones', () => {
    expect(format('{file} is {size}', { file: 'a.txt', size: '1 KB' })).toBe('a.txt is 1 KB');
    expect(format('{x} stays', {})).toBe('{x} stays');
  });

  it('maps error codes to words, and unknown codes to a general sentence', () => {
    const s = resolveLocale('en').strings;
    expect(errorText(s, { code: 'rate_limited' })).toBe(s.err_rate_limited);
    expect(errorText(s, { code: 'forbidden' })).toBe(s.err_other);
  });
});

describe('<parley-chat> languages', () => {
  it('speaks Spanish with lang="es"', async () => {
    const { $ } = await mount({ lang: 'es', opened: true });
    expect($('[part~="launcher"]')!.getAttribute('aria-label')).toBe('Chatea con nosotros');
    expect(text($('form button[type="submit"]'))).toBe('Iniciar chat');
  });

  it('follows the page language when lang is not set', async () => {
    document.documentElement.lang = 'de';
    try {
      const { $ } = await mount({ opened: true });
      expect(text($('#title'))).toBe('Hilfe');
    } finally {
      document.documentElement.lang = '';
    }
  });

  it('lays Arabic out right to left', async () => {
    const { $ } = await mount({ lang: 'ar', opened: true }, new FakeClient(activeState()));
    const base = $('[part~="base"]')!;
    expect(base.getAttribute('dir')).toBe('rtl');
    expect(base.getAttribute('lang')).toBe('ar');
    expect(text($('[part~="composer"] button[type="submit"]'))).toBe('إرسال');
  });

  it('switches language when lang changes', async () => {
    const { el, $ } = await mount({ opened: true }, new FakeClient(makeState({ phase: 'queued', connection: 'online', queuePosition: 4 })));
    expect(text($('[role="log"]'))).toContain("You're 4th in line");
    el.lang = 'de';
    await settle(el);
    expect(text($('[role="log"]'))).toContain('Sie sind an 4. Stelle in der Warteschlange');
    el.lang = 'es';
    await settle(el);
    expect(text($('[role="log"]'))).toContain('Eres el 4.º en la cola');
  });

  it('takes any string from the strings property', async () => {
    const { $ } = await mount({ strings: { launcher: 'Need help?', start: 'Go' }, opened: true });
    expect($('[part~="launcher"]')!.getAttribute('aria-label')).toBe('Need help?');
    expect(text($('form button[type="submit"]'))).toBe('Go');
  });
});
