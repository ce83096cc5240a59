// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { JANE } from '../fake-relay/model.js';
import { button, openOwnChat, typeInto, type DomHarness } from './harness.js';

let h: DomHarness | undefined;
afterEach(() => {
  h?.destroy();
  h = undefined;
});

const ownChat = openOwnChat;

describe('File requests', () => {
  it('requests a file with a note and shows the request pending', async () => {
    h = await ownChat();
    await h.step(() => button(h!.root, 'Request file').click());
    const dialog = h.root.querySelector('[role="dialog"]')!;
    expect(dialog.querySelector('h2')?.textContent).toBe('Ask the customer for a file');
    await h.step(() => typeInto(dialog.querySelector('textarea'), 'A photo of the receipt, please'));
    await h.step(() => button(dialog, 'Request file').click());
    expect(h.relay.socket.frames('request_upload')).toEqual([
      expect.objectContaining({ conversationId: 'c1', note: 'A photo of the receipt, please' }),
    ]);
    expect(h.root.querySelector('[role="dialog"]')).toBeNull();
    expect(h.root.querySelector('.upload-pending')?.textContent).toContain('Waiting for a file from the customer: A photo of the receipt, please');
    // One open request at a time.
    expect(button(h.root, 'Request file').disabled).toBe(true);
  });

  it('cancels a pending request', async () => {
    h = await ownChat();
    await h.step(() => h!.relay.append('c1', { type: 'upload_requested', requestId: 'req-9', agent: JANE, maxBytes: 5242880 }));
    await h.step(() => button(h!.root, 'Cancel file request').click());
    expect(h.relay.socket.frames('cancel_upload')).toEqual([expect.objectContaining({ conversationId: 'c1', requestId: 'req-9' })]);
    expect(h.root.querySelector('.upload-pending')).toBeNull();
    expect(h.root.querySelector('.transcript')?.textContent).toContain('The file request was canceled');
    expect(button(h.root, 'Request file').disabled).toBe(false);
  });

  it('replaces the pending request with the file, its name and size', async () => {
    h = await ownChat();
    await h.step(() => h!.relay.append('c1', { type: 'upload_requested', requestId: 'req-1', agent: JANE, note: 'receipt', maxBytes: 5242880 }));
    expect(h.root.querySelector('.upload-pending')).not.toBeNull();
    await h.step(() => h!.relay.append('c1', { type: 'file', requestId: 'req-1', fileId: 'f1', name: 'receipt.jpg', size: 2 * 1048576, mime: 'image/jpeg' }));
    expect(h.root.querySelector('.upload-pending')).toBeNull();
    expect(h.root.querySelector('.file-name')?.textContent).toBe('receipt.jpg (2 MB)');
  });

  it('shows a refusal from the relay', async () => {
    h = await ownChat();
    h.relay.intercept = () => true;
    await h.step(() => button(h!.root, 'Request file').click());
    await h.step(() => button(h!.root.querySelector('[role="dialog"]')!, 'Request file').click());
    const f = h.relay.socket.frames('request_upload')[0]!;
    await h.step(() => h!.relay.socket.push({ t: 'error', id: f.id, code: 'conflict', message: 'one request is open' }));
    expect(h.root.querySelector('.chat-header [role="alert"]')?.textContent).toBe('Someone else got there first.');
    expect(h.root.querySelector('[role="dialog"]')).not.toBeNull();
  });
});
