// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { activeState, FakeClient, makeState, mount, settle, text } from './helpers.js';

afterEach(() => document.body.replaceChildren());

describe('ClientController (through <parley-chat>)', () => {
  it('subscribes to an injected client and never destroys it', async () => {
    const client = new FakeClient(makeState());
    const { el } = await mount({ opened: true }, client);
    el.remove();
    expect(client.destroy).not.toHaveBeenCalled();
    // Unsubscribed while detached: new snapshots cause no render.
    client.set(activeState());
    document.body.append(el);
    await settle(el);
    expect(el.shadowRoot!.querySelector('form.prechat')).toBeNull();
    expect(text(el.shadowRoot!.querySelector('[part~="agent"]'))).toBe('Jane Doe');
  });

  it('switches to a new injected client and lets go of the old one', async () => {
    const first = new FakeClient(makeState({ phase: 'queued', connection: 'online', queuePosition: 5 }));
    const { el, $ } = await mount({ opened: true }, first);
    expect(text($('[role="log"]'))).toContain("You're 5th in line");
    const second = new FakeClient(makeState({ phase: 'queued', connection: 'online', queuePosition: 7 }));
    el.client = second;
    await settle(el);
    expect(text($('[role="log"]'))).toContain("You're 7th in line");
    first.set({ queuePosition: 9 });
    await settle(el);
    expect(text($('[role="log"]'))).toContain("You're 7th in line");
    expect(first.destroy).not.toHaveBeenCalled();
  });

  it('makes no client without a relay, and says so when the customer starts', async () => {
    const { el, $ } = await mount({ opened: true }, null);
    expect(el.chatState).toBeNull();
    const email = $('#email') as HTMLInputElement;
    email.value = 'ann@example.com';
    email.dispatchEvent(new Event('input'));
    $('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle(el);
    await settle(el);
    expect(text($('[role="alert"]'))).toBe('Something went wrong. Please try again.');
  });
});
