// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { BOB } from '../fake-relay/model.js';
import { button, openOwnChat, press, typeInto, type DomHarness } from './harness.js';

let h: DomHarness | undefined;
afterEach(() => {
  h?.destroy();
  h = undefined;
});

const ownChat = openOwnChat;

const dialog = (root: HTMLElement) => root.querySelector<HTMLElement>('[role="dialog"]');

describe('Chat actions', () => {
  it('ends a chat only after confirmation, then offers to close it', async () => {
    h = await ownChat();
    const endButton = button(h.root, 'End chat');
    await h.step(() => endButton.click());
    const d = dialog(h.root)!;
    expect(d.getAttribute('aria-modal')).toBe('true');
    expect(document.getElementById(d.getAttribute('aria-labelledby')!)?.textContent).toBe('End this chat?');
    expect(h.relay.socket.frames('end')).toHaveLength(0);
    await h.step(() => button(d, 'End chat').click());
    expect(h.relay.socket.frames('end')).toEqual([expect.objectContaining({ conversationId: 'c1' })]);
    expect(dialog(h.root)).toBeNull();
    expect(h.root.querySelector('.standing')?.textContent).toBe('This chat has ended.');
    expect(h.root.querySelector('.transcript')?.textContent).toContain('You ended the chat');
    expect(h.root.querySelector('.composer')).toBeNull();
    expect(h.root.querySelector('.tile')!.classList.contains('tile--ended')).toBe(true);
    await h.step(() => button(h!.root, 'Close chat').click());
    expect(h.root.querySelector('.tile')).toBeNull();
  });

  it('cancels with Escape and sends nothing, returning focus', async () => {
    h = await ownChat();
    const blockButton = button(h.root, 'Block');
    blockButton.focus();
    await h.step(() => blockButton.click());
    expect(document.activeElement?.tagName).toBe('TEXTAREA');
    expect(dialog(h.root)!.contains(document.activeElement)).toBe(true);
    await h.step(() => press(dialog(h!.root), 'Escape'));
    expect(dialog(h.root)).toBeNull();
    expect(h.relay.socket.frames('block')).toHaveLength(0);
    expect(document.activeElement).toBe(blockButton);
  });

  it('blocks the customer with a comment after confirmation', async () => {
    h = await ownChat();
    await h.step(() => button(h!.root, 'Block').click());
    const d = dialog(h.root)!;
    expect(d.querySelector('h2')?.textContent).toBe('Block this customer?');
    await h.step(() => typeInto(d.querySelector('textarea'), 'abusive language'));
    // Blocking everyone at the address is a choice, off by default.
    const everyone = d.querySelector<HTMLInputElement>('input[type="checkbox"]')!;
    expect(everyone.checked).toBe(false);
    expect(everyone.closest('label')?.textContent).toMatch(/everyone at this network address/);
    await h.step(() => button(d, 'Block customer').click());
    const [frame] = h.relay.socket.frames('block');
    expect(frame).toEqual(expect.objectContaining({ conversationId: 'c1', comment: 'abusive language' }));
    expect(frame!.byAddress).toBeUndefined();
    expect(h.root.querySelector('.transcript')?.textContent).toContain('You ended the chat and blocked the customer');
  });

  it('blocks everyone at the address only when the agent ticks it', async () => {
    h = await ownChat();
    await h.step(() => button(h!.root, 'Block').click());
    const d = dialog(h.root)!;
    await h.step(() => d.querySelector<HTMLInputElement>('input[type="checkbox"]')!.click());
    await h.step(() => button(d, 'Block customer').click());
    expect(h.relay.socket.frames('block')).toEqual([expect.objectContaining({ conversationId: 'c1', byAddress: true })]);
  });

  it('asks another agent to take the chat with a note; the chat stays here until they accept', async () => {
    h = await ownChat();
    await h.step(() => button(h!.root, 'Transfer').click());
    const d = dialog(h.root)!;
    const select = d.querySelector('select')!;
    expect([...select.options].map((o) => o.textContent)).toEqual(['Back to the queue', 'Bob Stone (Online)']);
    await h.step(() => {
      select.value = BOB.id;
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await h.step(() => typeInto(d.querySelector('textarea'), 'billing question'));
    await h.step(() => button(d, 'Transfer').click());
    expect(h.relay.socket.frames('transfer')).toEqual([expect.objectContaining({ conversationId: 'c1', toAgentId: BOB.id, note: 'billing question' })]);
    expect(dialog(h.root)).toBeNull();
    expect(h.root.querySelector('.tile')!.classList.contains('tile--own')).toBe(true);
    expect(h.root.querySelector('.outgoing [role="status"]')?.textContent).toBe('Waiting for Bob Stone to accept');
    expect(button(h.root, 'Transfer').disabled).toBe(true);
    await h.step(() => h!.relay.acceptTransfer('c1'));
    expect(h.root.querySelector('.tile')).toBeNull();
    expect(h.root.querySelector('.outgoing')).toBeNull();
  });

  it('transfers back to the queue, where it shows as unassigned again', async () => {
    h = await ownChat();
    await h.step(() => button(h!.root, 'Transfer').click());
    await h.step(() => button(dialog(h!.root)!, 'Transfer').click());
    const f = h.relay.socket.frames('transfer')[0]!;
    expect(f.toAgentId).toBeUndefined();
    expect(h.root.querySelector('.tile')!.classList.contains('tile--unassigned')).toBe(true);
  });
});
