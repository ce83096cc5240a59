// @vitest-environment happy-dom
import axe from 'axe-core';
import { afterEach, describe, expect, it } from 'vitest';
import { JANE } from './fake-relay.js';
import { button, mountConsole, typeInto, type DomHarness } from './harness.js';

let h: DomHarness | undefined;
afterEach(() => {
  h?.destroy();
  h = undefined;
});

// Layout-dependent rules cannot be judged without a renderer; e2e covers them in Chromium.
const options: axe.RunOptions = { rules: { 'color-contrast': { enabled: false } } };

async function violations(root: HTMLElement): Promise<string[]> {
  const result = await axe.run(root, options);
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`);
}

describe('Console accessibility (axe-core)', () => {
  it('does judge this DOM: an unlabelled control is reported', async () => {
    h = await mountConsole();
    const bad = document.createElement('button');
    h.root.append(bad);
    expect((await violations(h.root)).some((v) => v.startsWith('button-name'))).toBe(true);
    bad.remove();
  });

  it('finds no violations on the sign-in form', async () => {
    h = await mountConsole({ signIn: false });
    expect(await violations(h.root)).toEqual([]);
  });

  it('finds no violations with tiles, an open chat, notes, a file and the quick-reply list', async () => {
    h = await mountConsole();
    await h.step(() => {
      h!.relay.request('c1', { email: 'ann@example.com', name: 'Ann' }, { url: 'https://shop.example/', title: 'Shop' });
      h!.relay.request('c2', { email: 'bea@example.com' });
      h!.relay.append('c1', { type: 'claimed', agent: JANE });
      h!.relay.visitorSays('c1', 'hello');
      h!.relay.visitorSays('c2', 'anyone?');
      h!.relay.append('c1', { type: 'upload_requested', requestId: 'r1', agent: JANE, maxBytes: 5242880 });
      h!.relay.append('c1', { type: 'file', requestId: 'r1', fileId: 'f1', name: 'a.png', size: 10, mime: 'image/png' });
      h!.relay.socket.push({ t: 'note', conversationId: 'c1', note: { id: 'n1', conversationId: 'c1', agent: JANE, text: 'vip', at: h!.relay.tick() } });
    });
    await h.step(() => h!.root.querySelector<HTMLElement>('.tile')!.click());
    await h.step(() => typeInto(h!.root.querySelector('.composer textarea'), ';'));
    expect(h.root.querySelector('[role="listbox"]')).not.toBeNull();
    expect(await violations(h.root)).toEqual([]);
  });

  it('finds no violations with the transfer dialog open', async () => {
    h = await mountConsole();
    await h.step(() => {
      h!.relay.request('c1', { email: 'ann@example.com' });
      h!.relay.append('c1', { type: 'claimed', agent: JANE });
    });
    await h.step(() => h!.root.querySelector<HTMLElement>('.tile')!.click());
    await h.step(() => button(h!.root, 'Transfer').click());
    expect(h.root.querySelector('[role="dialog"]')).not.toBeNull();
    expect(await violations(h.root)).toEqual([]);
  });
});
