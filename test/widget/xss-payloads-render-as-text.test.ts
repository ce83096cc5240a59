// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../../src/protocol/index.js';
import { activeState, event, FakeClient, msg, mount, row, settle, text, uploading } from './helpers.js';

const CORPUS = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'fixtures/xss-corpus.txt'), 'utf8')
  .split('\n')
  .filter((l) => l.length > 0);

const ALLOWED = new Set(['DIV', 'P', 'SPAN', 'BDI', 'A', 'TIME', 'BUTTON', 'SECTION', 'HEADER', 'H2', 'FORM', 'LABEL', 'TEXTAREA', 'PROGRESS', 'STRONG', 'UL', 'LI', 'INPUT', 'svg', 'path', 'circle', 'STYLE']);

afterEach(() => {
  document.body.replaceChildren();
  delete (window as { __pwned?: unknown }).__pwned;
});

/** Elements in the shadow tree that the widget's own templates never make. */
function foreignElements(root: ShadowRoot): string[] {
  return [...root.querySelectorAll('*')].map((e) => e.tagName).filter((t) => !ALLOWED.has(t));
}

describe('<parley-chat> renders hostile strings as text', () => {
  it(`has a corpus of ${CORPUS.length} payloads to try`, () => {
    expect(CORPUS.length).toBeGreaterThan(50);
  });

  it.each(CORPUS)('shows %j as the same text everywhere it can appear', async (payload) => {
    const agent = { id: 'agent_x', name: payload };
    const state = activeState(
      [
        row(event({ type: 'claimed', agent })),
        msg(payload),
        msg(payload, { from: 'agent', agent }),
        row(event({ type: 'file', requestId: 'r0', fileId: 'f1', name: payload, size: 10, mime: 'text/html' })),
      ],
      {
        agent,
        openUpload: { requestId: 'r1', agent, note: payload, maxBytes: MAX_FILE_BYTES, seq: 9 },
        upload: uploading('r1', 1, 2, { fileName: payload }),
      },
    );
    const { el, root } = await mount({ opened: true, title: payload }, new FakeClient(state));
    await settle(el);
    const bubbles = [...root.querySelectorAll('.bubble')];
    expect(bubbles).toHaveLength(2);
    for (const b of bubbles) {
      expect(b.textContent).toBe(payload);
      for (const a of b.querySelectorAll('a')) expect(a.getAttribute('href')).toMatch(/^https?:\/\//);
      expect([...b.querySelectorAll('*')].every((e) => e.tagName === 'A')).toBe(true);
    }
    expect(root.querySelector('#title')!.textContent).toBe(payload);
    expect(root.querySelector('[part~="agent"]')!.textContent).toBe(payload);
    const notices = [...root.querySelectorAll('[part~="notice"]')].map((n) => n.textContent);
    expect(notices).toContain(`${payload} joined the chat`);
    expect(root.querySelector('[part~="file"] span')!.textContent).toContain(payload);
    expect([...root.querySelectorAll('[part~="upload"] p')].map((p) => p.textContent)).toContain(payload);
    expect(root.querySelector('label[for="progress"]')!.textContent).toBe(`Uploading ${payload}`);
    expect(foreignElements(root)).toEqual([]);
    expect((window as { __pwned?: unknown }).__pwned).toBeUndefined();
  });

  it('names a refused file in plain text', async () => {
    const payload = '<img src=x onerror=window.__pwned=1>.jpg';
    const client = new FakeClient(activeState([], { openUpload: { requestId: 'r1', agent: { id: 'a', name: 'Jane' }, maxBytes: MAX_FILE_BYTES, seq: 2 } }));
    const { el, $, root } = await mount({ opened: true }, client);
    const file = new File(['x'], payload);
    Object.defineProperty(file, 'size', { value: MAX_FILE_BYTES + 1 });
    const input = $('input[type="file"]')!;
    Object.defineProperty(input, 'files', { value: [file] });
    input.dispatchEvent(new Event('change'));
    await settle(el);
    expect(text($('[role="alert"]'))).toBe(`${payload} is 5.1 MB; the limit is 5 MB`);
    expect(root.querySelector('[role="alert"] img')).toBeNull();
  });
});
