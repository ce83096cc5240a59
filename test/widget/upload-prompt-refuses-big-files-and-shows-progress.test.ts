// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { ParleyError } from '../../src/client/index.js';
import { formatBytes, MAX_FILE_BYTES } from '../../src/protocol/index.js';
import { activeState, AGENT, event, FakeClient, mount, row, settle, text, uploading } from './helpers.js';

afterEach(() => document.body.replaceChildren());

const REQUEST = { requestId: 'req_1', agent: AGENT, note: 'A photo of the shipping label, please', maxBytes: MAX_FILE_BYTES, seq: 3 };

/** A File of `size` bytes without allocating them. */
function fileOf(name: string, size: number): File {
  const f = new File(['x'], name, { type: 'image/jpeg' });
  Object.defineProperty(f, 'size', { value: size });
  return f;
}

function choose(input: HTMLElement | null, file: File): void {
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  input!.dispatchEvent(new Event('change', { bubbles: true }));
}

describe('<parley-chat> upload prompt', () => {
  it('has no file control while no request is open', async () => {
    const { root } = await mount({ opened: true }, new FakeClient(activeState()));
    expect(root.querySelector('input[type="file"]')).toBeNull();
    expect(root.querySelector('[part~="upload"]')).toBeNull();
  });

  it("shows the agent's note, a Choose file control and the limit", async () => {
    const { $, root } = await mount({ opened: true }, new FakeClient(activeState([], { openUpload: REQUEST })));
    const prompt = $('[part~="upload"]')!;
    expect(text(prompt)).toContain('Jane Doe asked for a file');
    expect(text(prompt)).toContain('A photo of the shipping label, please');
    const input = root.querySelector('input[type="file"]')!;
    expect(text(root.querySelector(`label[for="${input.id}"]`))).toBe('Choose file');
    expect(text($(`#${input.getAttribute('aria-describedby')}`))).toBe('up to 5 MB');
  });

  it('refuses a 6.2 MB file at once, in words, and sends nothing', async () => {
    const client = new FakeClient(activeState([], { openUpload: REQUEST }));
    const { el, $ } = await mount({ opened: true }, client);
    const size = 6_500_000;
    choose($('input[type="file"]'), fileOf('label.jpg', size));
    await settle(el);
    const alert = $('[part~="upload"] [role="alert"]')!;
    expect(text(alert)).toBe('label.jpg is 6.2 MB; the limit is 5 MB');
    expect(text(alert)).toBe(`label.jpg is ${formatBytes(size)}; the limit is ${formatBytes(MAX_FILE_BYTES)}`);
    expect(client.upload).not.toHaveBeenCalled();
  });

  it('accepts a file of exactly 5 MB and hands it to the client', async () => {
    const client = new FakeClient(activeState([], { openUpload: REQUEST }));
    const { el, $ } = await mount({ opened: true }, client);
    const file = fileOf('label.jpg', MAX_FILE_BYTES);
    choose($('input[type="file"]'), file);
    await settle(el);
    expect(client.upload).toHaveBeenCalledTimes(1);
    expect(client.upload.mock.calls[0]![0]).toBe(file);
    expect($('[part~="upload"] [role="alert"]')).toBeNull();
  });

  it('refuses an empty file', async () => {
    const client = new FakeClient(activeState([], { openUpload: REQUEST }));
    const { el, $ } = await mount({ opened: true }, client);
    choose($('input[type="file"]'), fileOf('empty.txt', 0));
    await settle(el);
    expect(text($('[role="alert"]'))).toBe('empty.txt is empty');
    expect(client.upload).not.toHaveBeenCalled();
  });

  it('shows progress with a percentage as it updates, and Cancel', async () => {
    const client = new FakeClient(activeState([], { openUpload: REQUEST, upload: uploading('req_1', 0, 2_000_000) }));
    const { el, $, root } = await mount({ opened: true }, client);
    const progress = () => $('progress') as HTMLProgressElement;
    expect(progress().value).toBe(0);
    expect(text(root.querySelector('label[for="progress"]'))).toBe('Uploading label.jpg');
    for (const [loaded, pct] of [
      [500_000, 25],
      [1_000_000, 50],
      [2_000_000, 100],
    ]) {
      client.set({ upload: uploading('req_1', loaded!, 2_000_000) });
      await settle(el);
      expect(progress().value).toBe(pct);
      expect(text($('.pct'))).toBe(`${pct}%`);
    }
    expect(root.querySelector('input[type="file"]')).toBeNull();
    $('[data-action="cancel-upload"]')!.click();
    expect(client.cancelUpload).toHaveBeenCalledTimes(1);
  });

  it('offers Retry after a failure and uploads the same file again', async () => {
    const client = new FakeClient(activeState([], { openUpload: REQUEST }));
    const { el, $ } = await mount({ opened: true }, client);
    const file = fileOf('label.jpg', 1000);
    choose($('input[type="file"]'), file);
    client.set({ upload: uploading('req_1', 200, 1000, { status: 'failed', error: new ParleyError('network', 'x') }) });
    await settle(el);
    expect(text($('[role="alert"]'))).toBe('label.jpg could not be uploaded. Could not reach the chat service. Please try again.');
    $('[data-action="retry-upload"]')!.click();
    expect(client.upload).toHaveBeenCalledTimes(2);
    expect(client.upload.mock.calls[1]![0]).toBe(file);
  });

  it('shows the open request once, as the prompt, and keeps it in the log afterwards', async () => {
    const asked = event({ type: 'upload_requested', requestId: 'req_1', agent: AGENT, maxBytes: MAX_FILE_BYTES });
    const client = new FakeClient(activeState([row(asked)], { openUpload: REQUEST }));
    const { el, $, root } = await mount({ opened: true }, client);
    const notices = () => [...root.querySelectorAll('[role="log"] [part~="notice"]')].map(text);
    expect(notices()).not.toContain('Jane Doe asked for a file');
    expect(text($('[part~="upload"]'))).toContain('Jane Doe asked for a file');
    client.set({ openUpload: null });
    await settle(el);
    expect(notices()).toContain('Jane Doe asked for a file');
  });

  it('goes away when the request closes', async () => {
    const client = new FakeClient(activeState([], { openUpload: REQUEST }));
    const { el, $ } = await mount({ opened: true }, client);
    client.set({ openUpload: null });
    await settle(el);
    expect($('[part~="upload"]')).toBeNull();
  });
});
