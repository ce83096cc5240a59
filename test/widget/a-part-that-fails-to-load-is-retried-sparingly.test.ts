// @vitest-environment happy-dom
// A part whose module cannot load (the network, or a chunk gone after a deploy) is not
// fetched again on every render, such as each key the customer types: the next try
// waits ten seconds, and then the part arrives and renders.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineParleyChat } from '../../src/widget/define.js';
import { activeState, FakeClient, msg } from './helpers.js';

const chunk = vi.hoisted(() => ({ asked: 0, fail: true }));

vi.mock('../../src/widget/little-parts.js', async (importOriginal) => {
  chunk.asked++;
  if (chunk.fail) throw new Error('Failed to fetch dynamically imported module');
  return importOriginal();
});

afterEach(() => {
  document.body.replaceChildren();
  vi.useRealTimers();
});

describe('<parley-chat> when a part fails to load', () => {
  it('tries again only after ten seconds, not on each render', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const client = new FakeClient(activeState([msg('see https://example.com/returns', { from: 'agent' })]));
    defineParleyChat();
    const el = document.createElement('parley-chat');
    el.client = client;
    el.opened = true;
    document.body.append(el);
    await vi.waitFor(() => expect(chunk.asked).toBe(1));
    await el.updateComplete;
    const bubble = () => el.shadowRoot!.querySelector('.bubble')!;
    expect(bubble().textContent).toBe('see https://example.com/returns');
    for (let i = 0; i < 5; i++) {
      el.requestUpdate();
      await el.updateComplete;
    }
    expect(chunk.asked).toBe(1);

    chunk.fail = false;
    vi.setSystemTime(Date.now() + 10_000);
    el.requestUpdate();
    await el.updateComplete;
    await vi.waitFor(() => expect(bubble().querySelector('a')?.getAttribute('href')).toBe('https://example.com/returns'));
    expect(chunk.asked).toBe(2);
  });
});
