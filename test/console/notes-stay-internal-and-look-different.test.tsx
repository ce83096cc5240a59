// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { BOB } from '../fake-relay/model.js';
import { openOwnChat, press, typeInto, type DomHarness } from './harness.js';

let h: DomHarness | undefined;
afterEach(() => {
  h?.destroy();
  h = undefined;
});

const ownChat = openOwnChat;

describe('Internal notes', () => {
  it('sends a note as a note frame, never as a message to the customer', async () => {
    h = await ownChat();
    const noteRadio = [...h.root.querySelectorAll<HTMLInputElement>('.composer-mode input')][1]!;
    await h.step(() => noteRadio.click());
    expect(h.root.querySelector('.composer')!.classList.contains('composer--note')).toBe(true);
    const field = h.root.querySelector('.composer textarea');
    await h.step(() => typeInto(field, 'Customer is on the gold plan'));
    await h.step(() => press(field, 'Enter'));
    expect(h.relay.socket.frames('note')).toEqual([expect.objectContaining({ conversationId: 'c1', text: 'Customer is on the gold plan' })]);
    expect(h.relay.socket.frames('send')).toHaveLength(0);
    expect(h.relay.conversations.get('c1')!.log.some((e) => e.type === 'message')).toBe(false);
    const note = h.root.querySelector('.transcript .note')!;
    expect(note.querySelector('.who')?.textContent).toBe('Internal note · You');
    expect(note.querySelector('.text')?.textContent).toBe('Customer is on the gold plan');
    expect(note.classList.contains('msg')).toBe(false);
    expect((field as HTMLTextAreaElement).value).toBe('');
  });

  it("places other agents' notes among the messages by time", async () => {
    h = await ownChat();
    const c = h.relay.conversations.get('c1')!;
    await h.step(() => {
      h!.relay.visitorSays('c1', 'first');
      h!.relay.socket.push({ t: 'note', conversationId: 'c1', note: { id: 'n1', conversationId: 'c1', agent: BOB, text: 'watch out', at: h!.relay.tick() } });
      h!.relay.visitorSays('c1', 'second');
    });
    const rows = [...h.root.querySelectorAll('.transcript li')].map((li) => li.className);
    expect(rows).toEqual(['notice', 'notice', 'msg msg--visitor', 'note', 'msg msg--visitor']);
    expect(h.root.querySelector('.note .who')?.textContent).toBe('Internal note · Bob Stone');
    expect(c.log).toHaveLength(4);
  });

  it('lets a reply go to the customer with Enter and shows it once acknowledged', async () => {
    h = await ownChat();
    const field = h.root.querySelector('.composer textarea');
    await h.step(() => typeInto(field, 'Hello Ann'));
    await h.step(() => press(field, 'Enter'));
    expect(h.relay.socket.frames('send')).toEqual([expect.objectContaining({ conversationId: 'c1', text: 'Hello Ann' })]);
    const msgs = [...h.root.querySelectorAll('.transcript .msg--agent')];
    expect(msgs).toHaveLength(1);
    expect(msgs[0]!.textContent).toContain('Hello Ann');
    expect(msgs[0]!.querySelector('.delivery')).toBeNull();
  });

  it('keeps Shift+Enter as a line break', async () => {
    h = await ownChat();
    const field = h.root.querySelector('.composer textarea');
    await h.step(() => typeInto(field, 'line one'));
    await h.step(() => press(field, 'Enter', { shiftKey: true }));
    expect(h.relay.socket.frames('send')).toHaveLength(0);
  });
});
