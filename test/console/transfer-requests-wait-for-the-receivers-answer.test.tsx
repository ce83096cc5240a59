// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { BOB, JANE } from '../fake-relay/model.js';
import { button, mountConsole, openOwnChat, type DomHarness } from './harness.js';

let h: DomHarness | undefined;
afterEach(() => {
  h?.destroy();
  h = undefined;
});

const dialog = (root: HTMLElement) => root.querySelector<HTMLElement>('[role="dialog"]')!;
const notices = (root: HTMLElement) => [...root.querySelectorAll('.transcript .notice')].map((n) => n.textContent);
const cards = (root: HTMLElement) => [...root.querySelectorAll<HTMLElement>('.incoming .asked')];

async function askBob(harness: DomHarness): Promise<void> {
  await harness.step(() => button(harness.root, 'Transfer').click());
  const select = dialog(harness.root).querySelector('select')!;
  await harness.step(() => {
    select.value = BOB.id;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await harness.step(() => button(dialog(harness.root), 'Transfer').click());
}

describe('Transfer requests, on the sender\'s side', () => {
  it('lists only online agents as pickable: away and offline ones show, disabled', async () => {
    h = await openOwnChat();
    await h.step(() => {
      h!.relay.setPresence(BOB, 'away');
      h!.relay.setPresence({ id: 'agent-cy', name: 'Cy Park' }, 'offline');
      h!.relay.setPresence({ id: 'agent-di', name: 'Di Okafor' }, 'online');
    });
    await h.step(() => button(h!.root, 'Transfer').click());
    const options = [...dialog(h.root).querySelectorAll('option')].map((o) => [o.textContent, o.disabled]);
    expect(options).toEqual([
      ['Back to the queue', false],
      ['Di Okafor (Online)', false],
      ['Bob Stone (Away)', true],
      ['Cy Park (Offline)', true],
    ]);
  });

  it('withdraws a waiting request with Withdraw; the transcript says so', async () => {
    h = await openOwnChat();
    await askBob(h);
    expect(h.root.querySelector('.outgoing')?.textContent).toContain('Waiting for Bob Stone to accept');
    await h.step(() => button(h!.root, 'Withdraw').click());
    expect(h.relay.socket.frames('withdraw')).toEqual([expect.objectContaining({ conversationId: 'c1' })]);
    expect(h.root.querySelector('.outgoing')).toBeNull();
    expect(notices(h.root)).toContain('You withdrew the transfer to Bob Stone');
    expect(button(h.root, 'Transfer').disabled).toBe(false);
  });

  it('keeps the chat when the receiver declines or does not answer, with a notice', async () => {
    h = await openOwnChat();
    await askBob(h);
    await h.step(() => h!.relay.append('c1', { type: 'transfer_declined', from: JANE, to: BOB, reason: 'declined' }));
    expect(notices(h.root)).toContain('Bob Stone declined the transfer');
    expect(h.root.querySelector('.outgoing')).toBeNull();
    await askBob(h);
    await h.step(() => h!.relay.append('c1', { type: 'transfer_declined', from: JANE, to: BOB, reason: 'timeout' }));
    expect(notices(h.root)).toContain('Bob Stone did not answer the transfer in time');
    expect(h.root.querySelector('.tile')!.classList.contains('tile--own')).toBe(true);
    expect(h.root.querySelector('.standing')?.textContent).toBe('You are chatting with this customer');
  });

  it('words a refusal about the other agent as theirs, in the dialog, which stays open', async () => {
    h = await openOwnChat();
    h.relay.refuseNext('transfer', 'unavailable');
    await askBob(h);
    expect(dialog(h.root).querySelector('[role="alert"]')?.textContent).toBe(
      'That agent is not online (away or signed out) and cannot take chats now.',
    );
    h.relay.refuseNext('transfer', 'at_capacity');
    await h.step(() => button(dialog(h!.root), 'Transfer').click());
    expect(dialog(h.root).querySelector('[role="alert"]')?.textContent).toBe('That agent already has as many chats as they can take.');
    // Not twice: the header behind the dialog does not repeat it.
    expect(h.root.querySelectorAll('[role="alert"]')).toHaveLength(1);
  });
});

describe('Transfer requests, on the receiver\'s side', () => {
  async function askedByBob(): Promise<DomHarness> {
    const harness = await mountConsole();
    await harness.step(() => {
      harness.relay.request('c1', { email: 'ann@example.com', name: 'Ann Lee' }, { url: 'https://shop.example/returns', title: 'Returns' });
      harness.relay.append('c1', { type: 'claimed', agent: BOB });
      harness.relay.visitorSays('c1', 'I want to return a mug');
    });
    expect(harness.root.querySelector('.tile')).toBeNull();
    await harness.step(() =>
      harness.relay.append('c1', { type: 'transfer_requested', from: BOB, to: JANE, note: 'refund over 100 EUR', until: harness.relay.tick() }),
    );
    return harness;
  }

  it('shows who asks, the customer, their page and the note, with Accept and Decline', async () => {
    h = await askedByBob();
    const [card] = cards(h.root);
    expect(card!.querySelector('h3')?.textContent).toBe('Bob Stone asks you to take over the chat with Ann Lee');
    const details = card!.querySelector('dl')!.textContent;
    expect(details).toContain('ann@example.com');
    expect(details).toContain('Returns');
    expect(details).toContain('refund over 100 EUR');
    expect(button(card!, 'Accept')).toBeTruthy();
    expect(button(card!, 'Decline')).toBeTruthy();
  });

  it('takes the chat over with Accept: it opens as this agent\'s, with its history and the note', async () => {
    h = await askedByBob();
    await h.step(() => button(cards(h!.root)[0]!, 'Accept').click());
    expect(h.relay.socket.frames('accept')).toEqual([expect.objectContaining({ conversationId: 'c1' })]);
    expect(cards(h.root)).toHaveLength(0);
    expect(h.root.querySelector('.tile')!.classList.contains('tile--own')).toBe(true);
    expect(notices(h.root)).toContain('Bob Stone transferred the chat to You: refund over 100 EUR');
    expect(h.root.querySelector('.transcript')?.textContent).toContain('I want to return a mug');
  });

  it('leaves the chat with its owner on Decline', async () => {
    h = await askedByBob();
    await h.step(() => button(cards(h!.root)[0]!, 'Decline').click());
    expect(h.relay.socket.frames('decline')).toEqual([expect.objectContaining({ conversationId: 'c1' })]);
    expect(cards(h.root)).toHaveLength(0);
    expect(h.root.querySelector('.tile')).toBeNull();
  });

  it('lets the receiver read the chat before answering', async () => {
    h = await askedByBob();
    await h.step(() => button(cards(h!.root)[0]!, 'Read the chat').click());
    expect(h.root.querySelector('.standing')?.textContent).toBe('Bob Stone asks you to take over the chat with Ann Lee');
    expect(h.root.querySelector('.transcript')?.textContent).toContain('I want to return a mug');
    expect(h.root.querySelector('.chat-actions')).toBeNull();
  });
});
