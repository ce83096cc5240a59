// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';

describe("import 'parley-chat'", () => {
  it('defines <parley-chat> and exports the element, the client and the locale registry', async () => {
    const mod = await import('../../src/index.js');
    expect(customElements.get('parley-chat')).toBe(mod.ParleyChat);
    expect(typeof mod.ChatClient).toBe('function');
    expect(document.createElement('parley-chat')).toBeInstanceOf(mod.ParleyChat);
    expect(mod.LANGUAGES).toEqual(['en', 'es', 'de', 'ar']);
  });

  it('registers every shipped language', async () => {
    await import('../../src/index.js');
    const el = document.createElement('parley-chat');
    el.lang = 'ar';
    el.opened = true;
    document.body.append(el);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('#title')!.textContent).toBe('الدعم');
    el.remove();
  });

  it('does not fail when defined again by a second copy', async () => {
    const { defineParleyChat } = await import('../../src/widget/define.js');
    await import('../../src/index.js');
    expect(() => defineParleyChat()).not.toThrow();
    expect(() => defineParleyChat()).not.toThrow();
  });
});
