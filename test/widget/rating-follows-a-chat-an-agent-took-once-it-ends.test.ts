// @vitest-environment happy-dom
// After a chat that an agent claimed has ended, the widget asks "How was this chat?":
// thumbs up or down, an optional comment, Send or Skip, then thanks. It calls the
// client's `rate(value, comment)` once, is not asked after a chat nobody claimed, and
// not again once the log holds `rated`. Rated already elsewhere (`conflict`): thanks.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ParleyError } from '../../src/client/index.js';
import type { LogEvent } from '../../src/protocol/index.js';
import { activeState, AGENT, event, FakeClient, msg, mount, row, settle, text, type } from './helpers.js';
import { RELAY } from '../fake-relay/visitor-endpoint.js';
import { useVisitorRelay, WAIT } from '../fake-relay/visitor-harness.js';

const THANKS = 'Thanks for your feedback!';

/** A chat that ended, with `events` (notice rows) around a message each way. */
function ended(events: LogEvent[], phase: 'ended' | 'blocked' = 'ended') {
  return activeState([msg('My parcel is late'), msg('It ships today.', { from: 'agent', agent: AGENT }), ...events.map(row)], {
    phase,
    connection: 'offline',
  });
}
const claimedThenEnded = () => ended([event({ type: 'claimed', agent: AGENT }), event({ type: 'ended', by: 'agent', agent: AGENT })]);

async function showing(client: FakeClient) {
  return mount({ opened: true }, client);
}

function submit(m: { $: (s: string) => HTMLElement | null }): void {
  m.$('form[part~="rating"]')!.dispatchEvent(new Event('submit', { cancelable: true }));
}

describe('<parley-chat> rating step (fake client)', () => {
  afterEach(() => document.body.replaceChildren());

  it('asks after a claimed chat ended: the question, two thumbs, a comment, Send and Skip', async () => {
    const { $ } = await showing(new FakeClient(claimedThenEnded()));
    const form = $('form[part~="rating"]')!;
    expect(form).not.toBeNull();
    expect(text(form.querySelector('#rate-q'))).toBe('How was this chat?');
    const up = $('[data-action="rate-up"]')!;
    const down = $('[data-action="rate-down"]')!;
    expect(up.getAttribute('aria-label')).toBe('Good');
    expect(down.getAttribute('aria-label')).toBe('Not good');
    expect(up.getAttribute('aria-pressed')).toBe('false');
    expect($('textarea#rate-note')!.getAttribute('aria-label')).toBe('Anything to add? (optional)');
    // Nothing to send before a thumb is chosen.
    expect(($('[data-action="rate-send"]') as HTMLButtonElement).disabled).toBe(true);
    expect(text($('[data-action="rate-skip"]'))).toBe('Skip');
    // The after-the-end actions stay.
    expect($('[data-action="new-chat"]')).not.toBeNull();
  });

  it('sends thumbs down with the comment, then thanks', async () => {
    const client = new FakeClient(claimedThenEnded());
    const m = await showing(client);
    m.$('[data-action="rate-down"]')!.click();
    await settle(m.el);
    expect(m.$('[data-action="rate-down"]')!.getAttribute('aria-pressed')).toBe('true');
    expect(m.$('[data-action="rate-up"]')!.getAttribute('aria-pressed')).toBe('false');
    expect((m.$('[data-action="rate-send"]') as HTMLButtonElement).disabled).toBe(false);
    type(m.$('#rate-note'), '  Took too long  ');
    submit(m);
    await settle(m.el);
    expect(client.rate).toHaveBeenCalledTimes(1);
    expect(client.rate).toHaveBeenCalledWith('down', 'Took too long');
    expect(m.$('form[part~="rating"]')).toBeNull();
    expect(text(m.$('[role="status"]'))).toBe(THANKS);
  });

  it('sends thumbs up without a comment as no comment', async () => {
    const client = new FakeClient(claimedThenEnded());
    const m = await showing(client);
    m.$('[data-action="rate-up"]')!.click();
    await settle(m.el);
    type(m.$('#rate-note'), '   ');
    submit(m);
    await settle(m.el);
    expect(client.rate).toHaveBeenCalledWith('up', undefined);
    expect(text(m.$('[role="status"]'))).toBe(THANKS);
  });

  it('sends nothing before a thumb is chosen', async () => {
    const client = new FakeClient(claimedThenEnded());
    const m = await showing(client);
    type(m.$('#rate-note'), 'Nice');
    submit(m);
    await settle(m.el);
    expect(client.rate).not.toHaveBeenCalled();
    expect(m.$('form[part~="rating"]')).not.toBeNull();
  });

  it('sends once, however often Send is pressed while it goes', async () => {
    const client = new FakeClient(claimedThenEnded());
    let finish!: () => void;
    client.rate.mockImplementation(() => new Promise<void>((r) => (finish = r)));
    const m = await showing(client);
    m.$('[data-action="rate-up"]')!.click();
    await settle(m.el);
    submit(m);
    submit(m);
    await settle(m.el);
    expect(client.rate).toHaveBeenCalledTimes(1);
    finish();
    await settle(m.el);
    expect(text(m.$('[role="status"]'))).toBe(THANKS);
  });

  it('hides the step on Skip, without rating', async () => {
    const client = new FakeClient(claimedThenEnded());
    const m = await showing(client);
    m.$('[data-action="rate-skip"]')!.click();
    await settle(m.el);
    expect(m.$('form[part~="rating"]')).toBeNull();
    expect(text(m.el.shadowRoot!.querySelector('.body'))).not.toContain(THANKS);
    expect(client.rate).not.toHaveBeenCalled();
    expect(m.$('[data-action="new-chat"]')).not.toBeNull();
  });

  it('rates nothing on Skip after a thumb was chosen', async () => {
    const client = new FakeClient(claimedThenEnded());
    const m = await showing(client);
    m.$('[data-action="rate-up"]')!.click();
    await settle(m.el);
    // Skip sits inside the rating's form: pressing it must not submit the thumb chosen.
    m.$('[data-action="rate-skip"]')!.click();
    await settle(m.el);
    expect(client.rate).not.toHaveBeenCalled();
    expect(m.$('form[part~="rating"]')).toBeNull();
    expect(text(m.el.shadowRoot!.querySelector('.body'))).not.toContain(THANKS);
  });

  it('thanks when the chat was rated already (the client rejects with conflict)', async () => {
    const client = new FakeClient(claimedThenEnded());
    client.rate.mockRejectedValue(new ParleyError('conflict', 'rated already'));
    const m = await showing(client);
    m.$('[data-action="rate-up"]')!.click();
    await settle(m.el);
    submit(m);
    await settle(m.el);
    expect(client.rate).toHaveBeenCalledTimes(1);
    expect(m.$('form[part~="rating"]')).toBeNull();
    expect(text(m.$('[role="status"]'))).toBe(THANKS);
    expect(m.$('[role="alert"]')).toBeNull();
  });

  it('says a failure in words and keeps the step to try again', async () => {
    const client = new FakeClient(claimedThenEnded());
    client.rate.mockRejectedValueOnce(new ParleyError('network', 'Request failed'));
    const m = await showing(client);
    m.$('[data-action="rate-up"]')!.click();
    await settle(m.el);
    type(m.$('#rate-note'), 'Great help');
    submit(m);
    await settle(m.el);
    expect(text(m.$('[role="alert"]'))).toBe('Could not reach the chat service. Please try again.');
    expect(m.$('form[part~="rating"]')).not.toBeNull();
    expect((m.$('#rate-note') as HTMLTextAreaElement).value).toBe('Great help');
    submit(m);
    await settle(m.el);
    expect(client.rate).toHaveBeenCalledTimes(2);
    expect(client.rate).toHaveBeenLastCalledWith('up', 'Great help');
    expect(text(m.$('[role="status"]'))).toBe(THANKS);
    expect(m.$('[role="alert"]')).toBeNull();
  });

  it.each([
    ['a chat nobody claimed', () => ended([event({ type: 'ended', by: 'visitor' })])],
    [
      'a chat rated already (rated in the log)',
      () =>
        ended([
          event({ type: 'claimed', agent: AGENT }),
          event({ type: 'ended', by: 'agent', agent: AGENT }),
          event({ type: 'rated', value: 'up' }),
        ]),
    ],
    ['a blocked visitor', () => ended([event({ type: 'claimed', agent: AGENT }), event({ type: 'ended', by: 'agent', agent: AGENT, reason: 'blocked' })], 'blocked')],
    ['a chat still going on', () => activeState([row(event({ type: 'claimed', agent: AGENT }))])],
  ])('is not asked after %s', async (_what, state) => {
    const client = new FakeClient(state());
    const { $ } = await showing(client);
    // What shows in its place has rendered: the after-the-end actions, or the composer.
    expect($('[data-action="transcript"]') ?? $('#message')).not.toBeNull();
    expect($('form[part~="rating"]')).toBeNull();
    expect($('[data-action="rate-up"]')).toBeNull();
  });

  it('goes away for the next chat, and is asked again when that one ends', async () => {
    const client = new FakeClient(claimedThenEnded());
    const m = await showing(client);
    m.$('[data-action="rate-up"]')!.click();
    await settle(m.el);
    submit(m);
    await settle(m.el);
    expect(text(m.$('[role="status"]'))).toBe(THANKS);
    m.$('[data-action="new-chat"]')!.click();
    await settle(m.el);
    expect(m.$('form.prechat')).not.toBeNull();
    expect(text(m.el.shadowRoot!.querySelector('.body'))).not.toContain(THANKS);
    // The next chat (a new conversation) ends too: it is asked about afresh.
    client.set({ ...claimedThenEnded(), conversationId: 'conv_2' });
    await settle(m.el);
    expect(m.$('form[part~="rating"]')).not.toBeNull();
    expect(m.$('[data-action="rate-up"]')!.getAttribute('aria-pressed')).toBe('false');
  });
  it('asks afresh about another chat that ended, however it began (another tab, another customer)', async () => {
    const client = new FakeClient(claimedThenEnded());
    const m = await showing(client);
    m.$('[data-action="rate-skip"]')!.click();
    await settle(m.el);
    expect(m.$('form[part~="rating"]')).toBeNull();
    // No "Start a new chat" here: the next chat arrives as the client's state.
    client.set({ ...claimedThenEnded(), conversationId: 'conv_other_tab' });
    await settle(m.el);
    expect(m.$('form[part~="rating"]')).not.toBeNull();
    expect(m.$('[data-action="rate-up"]')!.getAttribute('aria-pressed')).toBe('false');
  });

  it('moves focus to Start a new chat once the step is sent or skipped', async () => {
    const sent = await showing(new FakeClient(claimedThenEnded()));
    sent.$('[data-action="rate-up"]')!.click();
    await settle(sent.el);
    submit(sent);
    await vi.waitFor(() => expect(sent.el.shadowRoot!.activeElement?.getAttribute('data-action')).toBe('new-chat'));
    document.body.replaceChildren();

    const skipped = await showing(new FakeClient(claimedThenEnded()));
    skipped.$('[data-action="rate-skip"]')!.click();
    await vi.waitFor(() => expect(skipped.el.shadowRoot!.activeElement?.getAttribute('data-action')).toBe('new-chat'));
  });
});

describe('<parley-chat> rating step (real client over msw)', () => {
  const env = useVisitorRelay();
  afterEach(() => {
    document.body.replaceChildren();
    localStorage.clear();
  });

  async function chatEndedByAgent() {
    const { el, $ } = await mount({ relay: RELAY, opened: true }, null);
    await settle(el);
    type($('#email'), 'ann@example.com');
    $('form.prechat')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(el.chatState?.phase).toBe('queued'), WAIT);
    env.relay.append({ type: 'claimed', agent: AGENT });
    env.relay.append({ type: 'ended', by: 'agent', agent: AGENT });
    await vi.waitFor(() => expect(el.chatState?.phase).toBe('ended'), WAIT);
    await vi.waitFor(() => expect($('form[part~="rating"]')).not.toBeNull(), WAIT);
    return { el, $ };
  }

  it('posts the rating with the visitor token, then thanks', async () => {
    const { el, $ } = await chatEndedByAgent();
    $('[data-action="rate-up"]')!.click();
    await settle(el);
    type($('#rate-note'), 'Quick and kind');
    $('form[part~="rating"]')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(text($('[role="status"]'))).toBe(THANKS), WAIT);
    expect(env.relay.ratings).toEqual([{ value: 'up', comment: 'Quick and kind', token: env.relay.token }]);
  });

  it('thanks when the relay says it was rated already (409)', async () => {
    const { el, $ } = await chatEndedByAgent();
    // Rated in another tab: its post reached the relay first.
    const other = await fetch(`${RELAY}/v1/rating`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${env.relay.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ value: 'down' }),
    });
    expect(other.status).toBe(204);
    $('[data-action="rate-up"]')!.click();
    await settle(el);
    $('form[part~="rating"]')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(text($('[role="status"]'))).toBe(THANKS), WAIT);
    expect($('[role="alert"]')).toBeNull();
    expect(env.relay.ratings).toEqual([{ value: 'down', token: env.relay.token }]);
  });
});
