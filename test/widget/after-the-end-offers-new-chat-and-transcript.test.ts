// @vitest-environment happy-dom
import { enLater } from '../../src/widget/locales/en-later.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveLocale } from '../../src/widget/strings.js';
import { transcriptText } from '../../src/widget/transcript.js';
import { activeState, AGENT, event, FakeClient, msg, mount, row, settle, text } from './helpers.js';

afterEach(() => {
  document.body.replaceChildren();
  vi.restoreAllMocks();
});

function endedChat() {
  return activeState(
    [
      row(event({ type: 'claimed', agent: AGENT })),
      msg('My parcel is late'),
      msg('It ships today.\nSorry!', { from: 'agent', agent: AGENT }),
      row(event({ type: 'file', requestId: 'r1', fileId: 'f1', name: 'label.jpg', size: 2048, mime: 'image/jpeg' })),
      row(event({ type: 'ended', by: 'agent', agent: AGENT })),
    ],
    { phase: 'ended', connection: 'offline' },
  );
}

describe('<parley-chat> after the end', () => {
  it('offers "Start a new chat", which clears back to the form', async () => {
    const client = new FakeClient(endedChat());
    const { el, $, root } = await mount({ opened: true }, client);
    expect(text($('[role="log"]'))).toContain('Jane Doe ended the chat');
    const again = $('[data-action="new-chat"]')!;
    expect(text(again)).toBe('Start a new chat');
    again.click();
    await settle(el);
    expect(client.newChat).toHaveBeenCalledTimes(1);
    expect($('form.prechat')).not.toBeNull();
    expect(root.activeElement).toBe($('#email'));
  });

  it('downloads a plain-text transcript made in the browser', async () => {
    const made: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => (made.push(b as Blob), 'blob:transcript'));
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    const clicks: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this);
    });
    const { $ } = await mount({ opened: true }, new FakeClient(endedChat()));
    const button = $('[data-action="transcript"]')!;
    expect(text(button)).toBe('Download transcript');
    button.click();
    expect(clicks).toHaveLength(1);
    expect(clicks[0]!.download).toBe('chat-2026-03-02.txt');
    expect(made[0]!.type).toBe('text/plain;charset=utf-8');
    const body = await made[0]!.text();
    expect(body).toContain('You: My parcel is late');
    expect(body).toContain('Jane Doe: It ships today.\n    Sorry!');
    expect(body).toContain('Jane Doe joined the chat');
    expect(body).toContain('label.jpg (2 KB)');
    expect(body).toContain('Jane Doe ended the chat');
  });

  it('writes the transcript in the order of the log', () => {
    const s = { ...enLater, ...resolveLocale('en').strings };
    const lines = transcriptText(endedChat().timeline, s, 'Support').split('\n');
    expect(lines[0]).toBe('Support');
    expect(lines.slice(2, 7).map((l) => l.replace(/^\[[^\]]+\] /, ''))).toEqual([
      'Jane Doe joined the chat',
      'You: My parcel is late',
      'Jane Doe: It ships today.',
      '    Sorry!',
      'label.jpg (2 KB)',
    ]);
  });

  it('offers no new chat to a blocked visitor', async () => {
    const { $ } = await mount({ opened: true }, new FakeClient(activeState([], { phase: 'blocked' })));
    expect($('[data-action="new-chat"]')).toBeNull();
    expect(text($('[role="log"]'))).toContain('You cannot start a chat right now.');
  });
});
