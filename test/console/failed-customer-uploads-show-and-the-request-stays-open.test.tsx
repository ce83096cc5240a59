// @vitest-environment happy-dom
/**
 * A customer's upload that fails at the relay (`upload_failed`: too large, stalled, cut
 * off) shows as a notice in the transcript, and the open file request stops reading as
 * an endless wait: it says the last try failed, why, and that the customer may try
 * again, until the file arrives or the request ends.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { JANE } from '../fake-relay/model.js';
import { button, openOwnChat, type DomHarness } from './harness.js';

let h: DomHarness | undefined;
afterEach(() => {
  h?.destroy();
  h = undefined;
});

const pending = (root: HTMLElement) => root.querySelector('.upload-pending');
const notices = (root: HTMLElement) => [...root.querySelectorAll('.transcript .notice')].map((n) => n.textContent);

describe("A customer's failed upload", () => {
  it('shows as a notice, and the open request says the last try failed and the customer may try again', async () => {
    h = await openOwnChat();
    await h.step(() => h!.relay.append('c1', { type: 'upload_requested', requestId: 'req-1', agent: JANE, note: 'the receipt', maxBytes: 5242880 }));
    expect(pending(h.root)?.textContent).toContain('Waiting for a file from the customer: the receipt');

    await h.step(() => h!.relay.append('c1', { type: 'upload_failed', requestId: 'req-1', reason: 'too_large' }));
    expect(notices(h.root)).toContain("The customer's file did not arrive: it is larger than 5 MB; the request stays open");
    expect(pending(h.root)?.getAttribute('role')).toBe('status');
    expect(pending(h.root)?.textContent).toContain("The customer's last try failed (it is larger than 5 MB); they may try again. Asked for: the receipt");
    expect(pending(h.root)?.textContent).not.toContain('Waiting for a file');
    // Still open: the owner may withdraw it, and no second request can be made.
    expect(button(h.root, 'Cancel file request').disabled).toBe(false);
    expect(button(h.root, 'Request file').disabled).toBe(true);

    await h.step(() => h!.relay.append('c1', { type: 'upload_failed', requestId: 'req-1', reason: 'timeout' }));
    expect(pending(h.root)?.textContent).toContain("The customer's last try failed (the upload stalled); they may try again");

    await h.step(() => h!.relay.append('c1', { type: 'file', requestId: 'req-1', fileId: 'f1', name: 'receipt.jpg', size: 2048, mime: 'image/jpeg' }));
    expect(pending(h.root)).toBeNull();
    expect(h.root.querySelector('.transcript .file-name')?.textContent).toBe('receipt.jpg (2 KB)');
  });

  it("does not mark a new request with an earlier one's failure", async () => {
    h = await openOwnChat();
    await h.step(() => {
      h!.relay.append('c1', { type: 'upload_requested', requestId: 'req-1', agent: JANE, maxBytes: 5242880 });
      h!.relay.append('c1', { type: 'upload_failed', requestId: 'req-1', reason: 'interrupted' });
    });
    expect(pending(h.root)?.textContent).toContain("The customer's last try failed (the upload was cut off); they may try again");
    await h.step(() => button(h!.root, 'Cancel file request').click());
    await h.step(() => h!.relay.append('c1', { type: 'upload_requested', requestId: 'req-2', agent: JANE, maxBytes: 5242880 }));
    expect(pending(h.root)?.textContent).toContain('Waiting for a file from the customer');
    expect(pending(h.root)?.textContent).not.toContain('failed');
  });
});
