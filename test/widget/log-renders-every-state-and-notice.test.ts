// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { ParleyError } from '../../src/client/index.js';
import { activeState, AGENT, event, FakeClient, makeState, msg, mount, row, settle, text } from './helpers.js';

afterEach(() => document.body.replaceChildren());

const BOB = { id: 'agent_2', name: 'Bob Stone' };

async function showing(state: ReturnType<typeof makeState>) {
  const client = new FakeClient(state);
  return mount({ opened: true }, client);
}

describe('<parley-chat> message log', () => {
  it('is a polite live log', async () => {
    const { $ } = await showing(activeState());
    const log = $('[role="log"]')!;
    expect(log.getAttribute('aria-live')).toBe('polite');
    expect(log.getAttribute('aria-label')).toBe('Support');
  });

  it('shows visitor and agent messages with their times and the agent name', async () => {
    const { $, root } = await showing(
      activeState([msg('Hello, my parcel is late'), msg('Let me check that for you', { from: 'agent', agent: AGENT })]),
    );
    const rows = root.querySelectorAll('[part~="message"]');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.getAttribute('part')).toContain('message-visitor');
    expect(text(rows[0]!.querySelector('.bubble'))).toBe('Hello, my parcel is late');
    expect(text(rows[0])).toContain('You:');
    expect(rows[1]!.getAttribute('part')).toContain('message-agent');
    expect(text(rows[1])).toContain('Jane Doe');
    const time = rows[1]!.querySelector('time')!;
    expect(time.getAttribute('datetime')).toBe('2026-03-02T14:05:00.000Z');
    expect(time.textContent).toMatch(/\d/);
    expect(text($('[part~="agent"]'))).toBe('Jane Doe');
  });

  it.each([
    ['queued', 'Waiting'],
    ['sending', 'Sending'],
    ['sent', 'Sent'],
    ['failed', 'Not sent'],
  ] as const)('says a %s message is "%s" in text', async (delivery, words) => {
    const { root } = await showing(activeState([msg('hi', { delivery })]));
    expect(text(root.querySelector('.delivery'))).toBe(words);
  });

  it('offers Retry on a failed message and hands its clientId to the client', async () => {
    const failed = msg('lost one', { delivery: 'failed' });
    const { client, $ } = await showing(activeState([failed]));
    const retry = $('[data-action="retry"]')!;
    expect(text(retry)).toBe('Retry');
    retry.click();
    expect(client.retry).toHaveBeenCalledWith((failed as { message: { clientId: string } }).message.clientId);
  });

  it('makes http(s) links clickable in a new tab without opener or referrer', async () => {
    const { root } = await showing(activeState([msg('Track it at https://shop.example/track?id=7. Thanks', { from: 'agent', agent: AGENT })]));
    const a = root.querySelector('.bubble a')!;
    expect(a.getAttribute('href')).toBe('https://shop.example/track?id=7');
    expect(a.getAttribute('target')).toBe('_blank');
    expect(a.getAttribute('rel')).toBe('noopener noreferrer');
    expect(text(root.querySelector('.bubble'))).toBe('Track it at https://shop.example/track?id=7. Thanks');
  });

  it.each([
    [{ phase: 'queued', queuePosition: 2 }, "You're 2nd in line"],
    [{ phase: 'queued', queuePosition: 1 }, "You're 1st in line"],
    [{ phase: 'queued', queuePosition: null }, 'Waiting for an agent…'],
    [{ phase: 'connecting' }, 'Connecting…'],
  ] as const)('shows the waiting notice for %j', async (patch, words) => {
    const { $ } = await showing(makeState({ connection: 'online', ...patch }));
    expect(text($('[role="log"]'))).toContain(words);
  });

  it.each([
    [event({ type: 'claimed', agent: AGENT }), 'Jane Doe joined the chat'],
    [event({ type: 'transferred', from: AGENT, to: { queue: true } }), 'You are being transferred to the next available agent'],
    [event({ type: 'joined', agent: BOB }), 'Bob Stone joined the chat'],
    [event({ type: 'left', agent: BOB }), 'Bob Stone left the chat'],
    [event({ type: 'upload_canceled', requestId: 'r1', by: 'agent' }), 'The file request was withdrawn'],
    [event({ type: 'ended', by: 'agent', agent: AGENT }), 'Jane Doe ended the chat'],
    [event({ type: 'ended', by: 'visitor' }), 'You ended the chat'],
    [event({ type: 'ended', by: 'system', reason: 'idle' }), 'The chat ended after a period of inactivity'],
    [event({ type: 'ended', by: 'agent', agent: AGENT, reason: 'blocked' }), 'You cannot start a chat right now.'],
  ])('puts %j into words in the log', async (e, words) => {
    const ended = e.type === 'ended';
    const { root } = await showing(activeState([row(e)], ended ? { phase: e.reason === 'blocked' ? 'blocked' : 'ended' } : {}));
    const notices = [...root.querySelectorAll('[part~="notice"]')].map(text);
    expect(notices).toContain(words);
  });

  it('names who sent a file the agent sent', async () => {
    const { el, root } = await showing(
      activeState([
        row(event({ type: 'claimed', agent: AGENT })),
        row(event({ type: 'file', requestId: 'a1', fileId: 'f1', name: 'return-label.pdf', size: 4, mime: 'application/pdf', from: 'agent', agent: AGENT })),
      ]),
    );
    await settle(el);
    await new Promise((r) => setTimeout(r, 0));
    await settle(el);
    expect([...root.querySelectorAll('[part~="notice"]')].map(text)).toEqual(['Jane Doe joined the chat']);
    const file = root.querySelector('[part~="file"]');
    expect(text(file)).toContain('return-label.pdf');
    expect(text(file)).toContain('Sent by Jane Doe');
  });

  it('shows a "Reconnecting…" bar while the socket is down, and none when online', async () => {
    const client = new FakeClient(activeState([], { connection: 'reconnecting' }));
    const { el, $ } = await mount({ opened: true }, client);
    const bar = $('[part~="status"]')!;
    expect(bar.getAttribute('role')).toBe('status');
    expect(text(bar)).toBe('Reconnecting…');
    client.set({ connection: 'online' });
    await settle(el);
    expect($('[part~="status"]')).toBeNull();
  });

  it('updates as new snapshots arrive', async () => {
    const client = new FakeClient(makeState({ phase: 'queued', connection: 'online', queuePosition: 3 }));
    const { el, $ } = await mount({ opened: true }, client);
    expect(text($('[role="log"]'))).toContain("You're 3rd in line");
    client.set(activeState([row(event({ type: 'claimed', agent: AGENT })), msg('Hi! How can I help?', { from: 'agent', agent: AGENT })]));
    await settle(el);
    const log = text($('[role="log"]'));
    expect(log).not.toContain('in line');
    expect(log).toContain('Jane Doe joined the chat');
    expect(log).toContain('Hi! How can I help?');
  });

  it("puts the client's last error into words while the chat goes on, but not a lost socket", async () => {
    const client = new FakeClient(activeState([], { error: new ParleyError('rate_limited', 'slow down') }));
    const { el, $ } = await mount({ opened: true }, client);
    expect(text($('[role="alert"]'))).toBe('Too many messages at once. Please wait a moment.');
    client.set({ error: new ParleyError('network', 'gone'), connection: 'reconnecting' });
    await settle(el);
    expect($('[role="alert"]')).toBeNull();
    expect(text($('[role="status"]'))).toBe('Reconnecting…');
  });

  it('says when the agent is typing', async () => {
    const { $ } = await showing(activeState([], { agentTyping: true }));
    expect(text($('.typing'))).toBe('Jane Doe is typing…');
  });

  it('lists a file with its name, size and a Download button', async () => {
    const f = event({ type: 'file', requestId: 'r1', fileId: 'file_1', name: 'label.jpg', size: 1536, mime: 'image/jpeg' });
    const { client, root } = await showing(activeState([row(f)]));
    const file = root.querySelector('[part~="file"]')!;
    expect(text(file)).toContain('label.jpg (1.5 KB)');
    (file.querySelector('button') as HTMLElement).click();
    expect(client.download).toHaveBeenCalledWith('file_1');
  });

  it('forwards claimed, message and ended as composed parley events', async () => {
    const client = new FakeClient(activeState());
    const { el } = await mount({}, client);
    const seen: string[] = [];
    for (const t of ['parley:claimed', 'parley:message', 'parley:ended'] as const)
      document.addEventListener(t, (e) => seen.push(`${e.type}:${JSON.stringify(e.detail)}`));
    client.emit('claimed', { type: 'claimed', agent: AGENT });
    client.emit('message', { text: 'hi' });
    client.emit('ended', { type: 'ended', by: 'agent' });
    expect(seen).toEqual([
      'parley:claimed:{"type":"claimed","agent":{"id":"agent_1","name":"Jane Doe"}}',
      'parley:message:{"text":"hi"}',
      'parley:ended:{"type":"ended","by":"agent"}',
    ]);
    expect(el).toBeTruthy();
  });
});
