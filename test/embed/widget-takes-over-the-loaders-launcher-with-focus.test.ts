// @vitest-environment happy-dom
// A keyboard user who tabbed to the loader's launcher keeps their place: the widget's
// launcher replaces it and takes the focus, with no second launcher left behind.
import { describe, expect, it } from 'vitest';
import { installLoader, scriptTag } from './loader-harness.js';

describe('the widget taking over from the loader', () => {
  it('moves keyboard focus from the loader\'s launcher to the widget\'s, leaving one launcher', async () => {
    const t = installLoader(scriptTag());
    t.loaderButton()!.focus();
    t.loaderButton()!.dispatchEvent(new FocusEvent('focusin', { bubbles: true, composed: true }));
    const el = await t.loaded();
    await el.updateComplete;
    expect(el.shadowRoot!.activeElement?.getAttribute('part')).toBe('launcher');
    expect(t.loaderButton()).toBeNull();
  });
});
