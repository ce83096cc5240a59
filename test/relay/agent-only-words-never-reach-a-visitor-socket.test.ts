/**
 * The leak of a transfer note to the customer, closed for every event type: a chat
 * goes through each kind of event with agent-only words at every place an agent can
 * type them (transfer notes, internal notes, block comments), and no frame any visitor
 * socket receives (live, or in `welcome` after `resume`) carries them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventType } from '../../src/protocol/index.js';
import { cid, Harness, type Frame } from './helpers.js';

const SECRET = 'AGENTS-ONLY';

describe("agents' words never reach a visitor socket", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(() => h.cleanup());

  it('over every event type, live', async () => {
    const { visitor, agent } = await h.activeChat();
    const conversationId = visitor.conversationId;
    const bo = await h.agent('Bo Stone');
    const ask = async (s: Frame['s'], frame: Frame) => {
      const id = `r${Math.random()}`;
      s.send({ ...frame, id, conversationId });
      const reply = await s.next({ id });
      expect(reply.t).not.toBe('error');
      return reply;
    };
    visitor.s.send({ t: 'send', id: 'v1', clientId: cid(), text: 'hello' });
    await visitor.s.next({ id: 'v1' });
    await ask(agent.s, { t: 'send', clientId: cid(), text: 'hi there' });
    await ask(agent.s, { t: 'note', text: `${SECRET} internal note` });
    const first = await ask(agent.s, { t: 'request_upload', note: 'a photo of the label, please' });
    await ask(agent.s, { t: 'cancel_upload', requestId: first.requestId });
    const second = await ask(agent.s, { t: 'request_upload' });
    const up = await fetch(`${h.relay.url}/v1/uploads/${second.requestId}?name=label.png`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${visitor.token}`, 'Content-Type': 'image/png' },
      body: new Uint8Array([1, 2, 3]),
    });
    expect(up.status).toBe(201);
    await ask(agent.s, { t: 'transfer', toAgentId: bo.id, note: `${SECRET} transfer note` });
    await ask(bo.s, { t: 'accept' });
    await bo.s.next((f) => f.t === 'event' && f.event.type === 'claimed');
    // A conference: Bo invites Jane, who joins and leaves.
    await ask(bo.s, { t: 'invite', toAgentId: agent.id });
    await ask(agent.s, { t: 'accept' });
    await ask(agent.s, { t: 'leave' });
    await ask(bo.s, { t: 'transfer', note: `${SECRET} back to the queue` });
    await ask(agent.s, { t: 'claim' });
    await ask(agent.s, { t: 'block', comment: `${SECRET} block comment` });
    await visitor.s.closed;

    // Agents did hear their words (so the check below is not vacuous).
    expect(JSON.stringify(bo.s.frames)).toContain(`${SECRET} transfer note`);

    // Every kind of event reached the visitor live.
    const live = visitor.s.frames.filter((f) => f.t === 'event').map((f) => f.event.type as EventType);
    const all: (EventType | 'internal')[] = ['requested', 'message', 'claimed', 'transferred', 'joined', 'left', 'internal', 'upload_requested', 'upload_canceled', 'file', 'ended'];
    for (const type of all.filter((t) => t !== 'requested')) expect(live).toContain(type);

    // Everything that socket got: the welcome, acks, live events, the close reason.
    expect(JSON.stringify(visitor.s.frames)).not.toContain(SECRET);
  });

  it('the log a visitor reads on resume carries no transfer note', async () => {
    const { visitor, agent } = await h.activeChat();
    const bo = await h.agent('Bo Stone');
    agent.s.send({ t: 'transfer', id: 't', conversationId: visitor.conversationId, toAgentId: bo.id, note: `${SECRET} for Bo` });
    await agent.s.next({ id: 't' });
    bo.s.send({ t: 'accept', id: 'y', conversationId: visitor.conversationId });
    await bo.s.next({ id: 'y' });
    const again = await h.connect('/v1/visitor');
    again.send({ t: 'resume', id: 'r', token: visitor.token, conversationId: visitor.conversationId, afterSeq: 0 });
    const welcome = await again.next({ id: 'r' });
    expect(welcome.events.map((e: Frame) => e.type)).toContain('transferred');
    expect(JSON.stringify([...again.frames, ...visitor.s.frames])).not.toContain(SECRET);
  });
});
