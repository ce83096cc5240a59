// @vitest-environment happy-dom
// The upload prompt is a module of its own, loaded when a request first shows. Until it
// arrives the request stays a notice in the log, and `updateComplete` resolves only
// once the prompt has rendered.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_FILE_BYTES } from '../../src/protocol/index.js';
import { defineParleyChat } from '../../src/widget/define.js';
import { activeState, AGENT, event, FakeClient, row, text } from './helpers.js';

const gate = vi.hoisted(() => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
});

vi.mock('../../src/widget/file-parts.js', async (importOriginal) => {
  await gate.opened;
  return importOriginal();
});

afterEach(() => document.body.replaceChildren());

describe('<parley-chat> parts loaded on first use', () => {
  it('shows an open request as a notice until its prompt arrives, and updateComplete waits for the prompt', async () => {
    const asked = event({ type: 'upload_requested', requestId: 'req_1', agent: AGENT, maxBytes: MAX_FILE_BYTES });
    const client = new FakeClient(
      activeState([row(asked)], { openUpload: { requestId: 'req_1', agent: AGENT, maxBytes: MAX_FILE_BYTES, seq: asked.seq } }),
    );
    defineParleyChat();
    const el = document.createElement('parley-chat');
    el.client = client;
    el.opened = true;
    document.body.append(el);
    let complete = false;
    void el.updateComplete.then(() => (complete = true));
    await vi.waitFor(() => expect(el.shadowRoot!.querySelector('[role="log"]')).not.toBeNull());
    const root = el.shadowRoot!;
    const notices = () => [...root.querySelectorAll('[role="log"] [part~="notice"]')].map(text);
    await vi.waitFor(() => expect(notices()).toContain('Jane Doe asked for a file'));
    expect(root.querySelector('[part~="upload"]')).toBeNull();
    expect(complete).toBe(false);

    gate.open();
    await el.updateComplete;
    expect(text(root.querySelector('[part~="upload"]'))).toContain('Jane Doe asked for a file');
    expect(notices()).not.toContain('Jane Doe asked for a file');
  });
});
