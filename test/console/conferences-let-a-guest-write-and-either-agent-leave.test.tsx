// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { BOB, JANE } from '../fake-relay/model.js';
import { button, mountConsole, openOwnChat, press, typeInto, type DomHarness } from './harness.js';

let h: DomHarness | undefined;
afterEach(() => {
  h?.destroy();
  h = undefined;
});

const dialog = (root: HTMLElement) => root.querySelector<HTMLElement>('[role="dialog"]')!;
const actions = (root: HTMLElement) => [...root.querySelectorAll('.chat-actions button')].map((b) => b.textContent);
const cards = (root: HTMLElement) => [...root.querySelectorAll<HTMLElement>('.incoming .asked')];

describe('Conference, as the owner', () => {
  it('invites an online agent, waits for them with Withdraw, then chats beside them and can leave the chat to them', async () => {
    h = await openOwnChat();
    await h.step(() => h!.relay.setPresence({ id: 'agent-cy', name: 'Cy Park' }, 'away'));
    await h.step(() => button(h!.root, 'Invite').click());
    const options = [...dialog(h.root).querySelectorAll('option')].map((o) => [o.textContent, o.disabled]);
    expect(options).toEqual([
      ['Bob Stone (Online)', false],
      ['Cy Park (Away)', true],
    ]);
    await h.step(() => button(dialog(h!.root), 'Invite').click());
    expect(h.relay.socket.frames('invite')).toEqual([expect.objectContaining({ conversationId: 'c1', toAgentId: BOB.id })]);
    expect(h.root.querySelector('.outgoing [role="status"]')?.textContent).toBe('Waiting for Bob Stone to join');
    expect(button(h.root, 'Invite').disabled).toBe(true);

    await h.step(() => h!.relay.append('c1', { type: 'joined', agent: BOB }));
    expect(h.root.querySelector('.outgoing')).toBeNull();
    expect(h.root.querySelector('.standing')?.textContent).toBe('You are chatting with this customer together with Bob Stone');
    expect(h.root.querySelector('.transcript')?.textContent).toContain('Bob Stone joined the chat');

    await h.step(() => button(h!.root, 'Leave chat').click());
    expect(dialog(h.root).textContent).toContain('Bob Stone will own the chat');
    await h.step(() => button(dialog(h!.root), 'Leave chat').click());
    expect(h.relay.socket.frames('leave')).toEqual([expect.objectContaining({ conversationId: 'c1' })]);
    expect(h.root.querySelector('.tile')).toBeNull();
    expect(h.root.querySelector('.chat')).toBeNull();
  });

  it('offers Leave only while a guest is in the chat', async () => {
    h = await openOwnChat();
    expect(actions(h.root)).not.toContain('Leave chat');
    await h.step(() => h!.relay.append('c1', { type: 'joined', agent: BOB }));
    expect(actions(h.root)).toContain('Leave chat');
    await h.step(() => h!.relay.append('c1', { type: 'left', agent: BOB }));
    expect(actions(h.root)).not.toContain('Leave chat');
  });

  it("names each agent's messages; this agent's own are grey, everyone else's blue", async () => {
    h = await openOwnChat();
    await h.step(() => {
      h!.relay.append('c1', { type: 'joined', agent: BOB });
      h!.relay.visitorSays('c1', 'hello');
      h!.relay.append('c1', { type: 'message', from: 'agent', agent: BOB, text: 'Bob here', clientId: crypto.randomUUID() });
    });
    const field = h.root.querySelector('.composer textarea');
    await h.step(() => typeInto(field, 'Jane here'));
    await h.step(() => press(field, 'Enter'));
    const msgs = [...h.root.querySelectorAll('.transcript .msg')].map((m) => [m.querySelector('.who')?.textContent, m.classList.contains('msg--mine')]);
    expect(msgs).toEqual([
      ['ann@example.com', false],
      ['Bob Stone', false],
      ['Jane Doe (you)', true],
    ]);
  });
});

describe('Conference, as the invited agent', () => {
  async function invitedByBob(): Promise<DomHarness> {
    const harness = await mountConsole();
    await harness.step(() => {
      harness.relay.request('c1', { email: 'ann@example.com', name: 'Ann Lee' });
      harness.relay.append('c1', { type: 'claimed', agent: BOB });
      harness.relay.append('c1', { type: 'invited', from: BOB, to: JANE, until: harness.relay.tick() });
    });
    return harness;
  }

  it('answers an invitation: Accept joins the chat as a guest, who can write but not end, transfer, block or invite', async () => {
    h = await invitedByBob();
    expect(cards(h.root)[0]!.querySelector('h3')?.textContent).toBe('Bob Stone invites you into the chat with Ann Lee');
    await h.step(() => button(cards(h!.root)[0]!, 'Accept').click());
    expect(h.relay.socket.frames('accept')).toEqual([expect.objectContaining({ conversationId: 'c1' })]);
    const tile = h.root.querySelector('.tile')!;
    expect(tile.classList.contains('tile--guest')).toBe(true);
    expect(tile.querySelector('.tile-status')?.textContent).toMatch(/^Guest · /);
    expect(h.root.querySelector('.standing')?.textContent).toBe('You are a guest in this chat; Bob Stone owns it');
    expect(actions(h.root)).toEqual(['Leave chat']);
    expect(h.root.querySelector('.composer textarea')?.getAttribute('placeholder')).toMatch(/^Reply/);
    const field = h.root.querySelector('.composer textarea');
    await h.step(() => typeInto(field, 'Jane from billing here'));
    await h.step(() => press(field, 'Enter'));
    expect(h.relay.socket.frames('send')).toEqual([expect.objectContaining({ conversationId: 'c1', text: 'Jane from billing here' })]);
    // A guest neither types for the customer nor marks their messages read: those are the owner's.
    await h.step(() => h!.relay.visitorSays('c1', 'thanks'));
    expect(h.relay.socket.frames('typing')).toHaveLength(0);
    expect(h.relay.socket.frames('read')).toHaveLength(0);
  });

  it('leaves as a guest with Leave chat: the chat goes from this console', async () => {
    h = await invitedByBob();
    await h.step(() => button(cards(h!.root)[0]!, 'Accept').click());
    await h.step(() => button(h!.root, 'Leave chat').click());
    expect(h.relay.socket.frames('leave')).toEqual([expect.objectContaining({ conversationId: 'c1' })]);
    expect(h.root.querySelector('.tile')).toBeNull();
    expect(h.root.querySelector('.chat')).toBeNull();
  });

  it('declines an invitation: nothing joins', async () => {
    h = await invitedByBob();
    await h.step(() => button(cards(h!.root)[0]!, 'Decline').click());
    expect(h.relay.socket.frames('decline')).toHaveLength(1);
    expect(cards(h.root)).toHaveLength(0);
    expect(h.root.querySelector('.tile')).toBeNull();
  });
});
