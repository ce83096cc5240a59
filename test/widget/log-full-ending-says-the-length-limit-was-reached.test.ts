// @vitest-environment happy-dom
// The relay ends a chat whose log reached its length limit with
// `ended {by: "system", reason: "log_full"}`; the customer is told so in their language,
// in the log and in the transcript, not with the general "The chat has ended".
import { afterEach, describe, expect, it } from 'vitest';
import { ar } from '../../src/widget/locales/ar.js';
import { de } from '../../src/widget/locales/de.js';
import { en } from '../../src/widget/locales/en.js';
import { enLater } from '../../src/widget/locales/en-later.js';
import { es } from '../../src/widget/locales/es.js';
import { registerLocale } from '../../src/widget/strings.js';
import { transcriptText } from '../../src/widget/transcript.js';
import { activeState, event, FakeClient, mount, row, text } from './helpers.js';

registerLocale('es', es);
registerLocale('de', de);
registerLocale('ar', ar);

afterEach(() => document.body.replaceChildren());

const logFull = () => activeState([row(event({ type: 'ended', by: 'system', reason: 'log_full' }))], { phase: 'ended' });

describe('a chat ended for reaching its length limit', () => {
  it('says so in English', async () => {
    const { root } = await mount({ opened: true }, new FakeClient(logFull()));
    const notices = [...root.querySelectorAll('[part~="notice"]')].map(text);
    expect(notices).toContain('This chat reached its length limit');
    expect(notices).not.toContain(enLater.endedSystem);
  });

  it.each([
    ['es', es],
    ['de', de],
    ['ar', ar],
  ] as const)('says so in %s, in words of its own', async (lang, table) => {
    expect(table.endedFull).not.toBe(enLater.endedFull);
    expect(table.endedFull).not.toBe(table.endedSystem);
    const { root } = await mount({ opened: true, lang }, new FakeClient(logFull()));
    expect([...root.querySelectorAll('[part~="notice"]')].map(text)).toContain(table.endedFull);
  });

  it('writes the same sentence into the transcript', () => {
    const lines = transcriptText(logFull().timeline, { ...en, ...enLater }, 'Support').split('\n');
    expect(lines.some((l) => l.endsWith('] This chat reached its length limit'))).toBe(true);
  });

  it('still says "The chat has ended" for a system ending without a known reason', async () => {
    const st = activeState([row(event({ type: 'ended', by: 'system' }))], { phase: 'ended' });
    const { root } = await mount({ opened: true }, new FakeClient(st));
    expect([...root.querySelectorAll('[part~="notice"]')].map(text)).toContain('The chat has ended');
  });
});
