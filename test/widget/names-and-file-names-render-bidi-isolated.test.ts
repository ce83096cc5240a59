// @vitest-environment happy-dom
// A right-to-left override in a name must not reorder the sentence around it
// ("‮gpj.exe joined the chat"). Every string a person typed reaches the widget's DOM
// in an element of its own that isolates it: `<bdi>` for names and file names, in
// sentences too, and `dir="auto"` on a message bubble.
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../../src/protocol/index.js';
import { activeState, event, FakeClient, msg, mount, row, settle, uploading } from './helpers.js';

afterEach(() => document.body.replaceChildren());

const RLO = '\u202E';
const NAME = `Eve${RLO}gpj.exe`;
const FILE = `invoice${RLO}fdp.exe`;

/** The `<bdi>` elements under `el` whose whole text is `s`. */
function isolated(el: Element | null, s: string): Element[] {
  return [...(el?.querySelectorAll('bdi') ?? [])].filter((b) => b.textContent === s);
}

async function showing() {
  const agent = { id: 'agent_x', name: NAME };
  const state = activeState(
    [
      row(event({ type: 'claimed', agent })),
      msg(`hello ${RLO}olleh`, { from: 'agent', agent }),
      msg(`مرحبا ${RLO}`),
      row(event({ type: 'file', requestId: 'r0', fileId: 'f1', name: FILE, size: 10, mime: 'application/pdf' })),
    ],
    {
      agent,
      agentTyping: true,
      openUpload: { requestId: 'r1', agent, note: `${RLO}note`, maxBytes: MAX_FILE_BYTES, seq: 9 },
      upload: uploading('r1', 1, 2, { fileName: FILE }),
    },
  );
  const client = new FakeClient(state);
  const m = await mount({ opened: true }, client);
  await settle(m.el);
  return { ...m, client };
}

describe('<parley-chat> isolates what people typed', () => {
  it("puts the agent's name in the header and above their message in a <bdi>", async () => {
    const { $, root } = await showing();
    expect(isolated($('[part~="agent"]'), NAME)).toHaveLength(1);
    const agentRow = root.querySelector('[part~="message-agent"]');
    expect(isolated(agentRow, NAME)).toHaveLength(1);
  });

  it('isolates the name inside a notice, apart from the words around it', async () => {
    const { root } = await showing();
    const claimed = [...root.querySelectorAll('[part~="notice"]')].find((n) => n.textContent!.endsWith(' joined the chat'))!;
    const [bdi] = isolated(claimed, NAME);
    expect(bdi).toBeDefined();
    // The sentence's own words stay outside the name's isolate.
    expect(bdi!.parentElement).toBe(claimed);
    const words = claimed.cloneNode(true) as Element;
    words.querySelector('bdi')!.remove();
    expect(words.textContent).toBe(' joined the chat');
    expect(claimed.textContent).toBe(`${NAME} joined the chat`);
  });

  it('isolates the name in the typing line and in the upload prompt', async () => {
    const { $ } = await showing();
    expect(isolated($('.typing'), NAME)).toHaveLength(1);
    expect(isolated($('#upload-title'), NAME)).toHaveLength(1);
    expect(isolated($('[part~="upload"]'), `${RLO}note`)).toHaveLength(1);
  });

  it('isolates a file name in the log row, its download button and the upload progress', async () => {
    const { $ } = await showing();
    const file = $('[part~="file"]')!;
    expect(isolated(file.querySelector('span'), FILE)).toHaveLength(1);
    expect(isolated(file.querySelector('button'), FILE)).toHaveLength(1);
    expect(isolated($('label[for="progress"]'), FILE)).toHaveLength(1);
    expect($('label[for="progress"]')!.textContent).toBe(`Uploading ${FILE}`);
  });

  it('isolates a refused file name', async () => {
    const agent = { id: 'agent_1', name: 'Jane' };
    const client = new FakeClient(activeState([], { openUpload: { requestId: 'r1', agent, maxBytes: MAX_FILE_BYTES, seq: 2 } }));
    const { el, $ } = await mount({ opened: true }, client);
    const file = new File(['x'], FILE);
    Object.defineProperty(file, 'size', { value: MAX_FILE_BYTES + 1 });
    const input = $('input[type="file"]')!;
    Object.defineProperty(input, 'files', { value: [file] });
    input.dispatchEvent(new Event('change'));
    await settle(el);
    expect(isolated($('[role="alert"]'), FILE)).toHaveLength(1);
    expect($('[role="alert"]')!.textContent).toBe(`${FILE} is 5.1 MB; the limit is 5 MB`);
  });

  it('gives each message bubble its own direction (dir="auto" isolates it)', async () => {
    const { root } = await showing();
    const bubbles = [...root.querySelectorAll('.bubble')];
    expect(bubbles).toHaveLength(2);
    for (const b of bubbles) expect(b.getAttribute('dir')).toBe('auto');
  });
});
