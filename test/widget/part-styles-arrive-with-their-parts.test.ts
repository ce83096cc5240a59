// @vitest-environment happy-dom
// The rules of the parts loaded on first use travel with them: once a part has arrived,
// its rules are among the element's styles, once however often it renders.
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../../src/protocol/index.js';
import { activeState, AGENT, FakeClient, mount, settle } from './helpers.js';

afterEach(() => document.body.replaceChildren());

/** Every rule the shadow root applies: its adopted sheets, and `<style>` elements where sheets cannot be adopted. */
function css(root: ShadowRoot): string {
  const sheets = [...root.adoptedStyleSheets].map((s) => [...s.cssRules].map((r) => r.cssText).join('\n'));
  const elements = [...root.querySelectorAll('style')].map((s) => s.textContent ?? '');
  return [...sheets, ...elements].join('\n');
}

const count = (text: string, part: string) => text.split(part).length - 1;

describe('<parley-chat> styles of parts loaded on first use', () => {
  it('adds the menu and question rules when the menu opens, and the upload rules with the prompt', async () => {
    const client = new FakeClient(activeState());
    const { el, $, root } = await mount({ opened: true }, client);
    expect(css(root)).toContain('.panel');
    expect(css(root)).not.toContain('menuitem');
    $('[data-action="menu"]')!.click();
    await settle(el);
    $('[data-action="end"]')!.click();
    await settle(el);
    expect(count(css(root), '.confirm p')).toBe(1);
    expect(css(root)).toContain('menuitem');

    client.set({ openUpload: { requestId: 'req_1', agent: AGENT, maxBytes: MAX_FILE_BYTES, seq: 2 } });
    await settle(el);
    expect($('[part~="upload"]')).not.toBeNull();
    expect(count(css(root), '.upload')).toBe(1);
    client.set({ openUpload: null });
    await settle(el);
    client.set({ openUpload: { requestId: 'req_2', agent: AGENT, maxBytes: MAX_FILE_BYTES, seq: 3 } });
    await settle(el);
    expect(count(css(root), '.upload')).toBe(1);
  });
});
