// @vitest-environment happy-dom
// On opening before a chat, the widget asks the client whether someone can answer now
// and says so under the title: "Usually replies in a few minutes" or "We're away right
// now". When the answer does not come (the relay cannot say), the usual form shows
// without any line.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatClient, ParleyError } from '../../src/client/index.js';
import type { AvailabilityAnswer } from '../../src/protocol/index.js';
import { activeState, FakeClient, mount, settle, text } from './helpers.js';
import { RELAY } from '../fake-relay/visitor-endpoint.js';
import { useVisitorRelay, WAIT } from '../fake-relay/visitor-harness.js';

/** A client whose availability answer the test gives when it wants. */
function askedClient() {
  const client = new FakeClient();
  let answer!: (a: AvailabilityAnswer) => void;
  let refuse!: (e: unknown) => void;
  const asked = new Promise<AvailabilityAnswer>((resolve, reject) => {
    answer = resolve;
    refuse = reject;
  });
  client.availability.mockImplementation(() => asked);
  return { client, answer, refuse, asked };
}

describe('<parley-chat> availability line (fake client)', () => {
  afterEach(() => document.body.replaceChildren());

  it.each([
    [{ available: true }, 'Usually replies in a few minutes'],
    [{ available: false, reason: 'closed', opensAt: null }, "We're away right now"],
    [{ available: false, reason: 'busy' }, "We're away right now"],
  ] as const)('says %j under the title once the answer comes', async (answer, words) => {
    const c = askedClient();
    const { el, $ } = await mount({ opened: true }, c.client);
    expect(c.client.availability).toHaveBeenCalledTimes(1);
    // No line before the answer.
    expect($('[part~="availability"]')).toBeNull();
    c.answer(answer);
    await settle(el);
    const line = $('[part~="availability"]');
    expect(text(line)).toBe(words);
    // Under the title, in the header.
    expect(line!.closest('[part~="header"]')).not.toBeNull();
  });

  it('shows no line and the usual form when availability fails', async () => {
    const c = askedClient();
    const { el, $ } = await mount({ opened: true }, c.client);
    expect(c.client.availability).toHaveBeenCalledTimes(1);
    c.refuse(new ParleyError('network', 'Availability unknown'));
    await c.asked.catch(() => {});
    await settle(el);
    expect($('[part~="availability"]')).toBeNull();
    expect($('form.prechat')).not.toBeNull();
    expect($('#leave')).toBeNull();
    expect(text($('form.prechat button[type="submit"]'))).toBe('Start chat');
    expect($('[role="alert"]')).toBeNull();
  });

  it('asks only on opening, and not while a chat is going on', async () => {
    const idle = new FakeClient();
    const { el } = await mount({}, idle);
    expect(idle.availability).not.toHaveBeenCalled();
    el.open();
    await settle(el);
    expect(idle.availability).toHaveBeenCalledTimes(1);

    document.body.replaceChildren();
    const live = new FakeClient(activeState());
    const { $ } = await mount({ opened: true }, live);
    expect(live.availability).not.toHaveBeenCalled();
    // The agent's name holds the place of the line.
    expect(text($('[part~="agent"]'))).toBe('Jane Doe');
    expect($('[part~="availability"]')).toBeNull();
  });
});

describe('<parley-chat> availability line (real client over msw)', () => {
  const env = useVisitorRelay();
  afterEach(() => {
    document.body.replaceChildren();
    localStorage.clear();
  });

  async function openReal(availability: AvailabilityAnswer | null) {
    env.relay.availability = availability;
    const m = await mount({ relay: RELAY, opened: true }, null);
    await settle(m.el);
    return m;
  }

  it('says "Usually replies in a few minutes" when the relay has someone', async () => {
    const { el, $ } = await openReal({ available: true });
    await vi.waitFor(() => expect(text($('[part~="availability"]'))).toBe('Usually replies in a few minutes'), WAIT);
    await settle(el);
    expect($('#leave')).toBeNull();
    expect(env.relay.sockets).toHaveLength(0);
  });

  it('says "We\'re away right now" and offers to leave a message when nobody is', async () => {
    const { el, $ } = await openReal({ available: false, reason: 'closed', opensAt: null });
    await vi.waitFor(() => expect(text($('[part~="availability"]'))).toBe("We're away right now"), WAIT);
    await vi.waitFor(() => expect($('#leave')).not.toBeNull(), WAIT);
    await settle(el);
    expect(env.relay.sockets).toHaveLength(0);
  });

  it('shows no line when the relay cannot say (500)', async () => {
    env.relay.availability = null;
    const client = new ChatClient({ relay: RELAY });
    const asked = vi.spyOn(client, 'availability');
    try {
      const { el, $ } = await mount({ opened: true, client }, null);
      expect(asked).toHaveBeenCalledTimes(1);
      // The client's answer has settled (either way): the widget has had it.
      await (asked.mock.results[0]!.value as Promise<unknown>).catch(() => {});
      await settle(el);
      expect($('[part~="availability"]')).toBeNull();
      expect($('form.prechat')).not.toBeNull();
      expect($('#leave')).toBeNull();
    } finally {
      client.destroy();
    }
  });
});
