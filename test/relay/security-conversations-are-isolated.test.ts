/**
 * Security proof for conversation isolation (PROTOCOL.md sections 4 and 6): a visitor
 * token opens exactly one conversation; guessed ids, borrowed tokens, agent frames on
 * the visitor endpoint and agent frames before `hello` are refused, and none of them
 * leaks a byte of another conversation or changes its log.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Harness, TestSocket, cid, type Frame } from './helpers.js';

const SECRET = 'my card number is 4111 1111 1111 1111';

describe('conversation isolation', () => {
  let h: Harness;
  /** The victim's active chat, with one secret message in its log. */
  let victim: Awaited<ReturnType<Harness['activeChat']>>;
  let victimLog: string;

  const logOf = async (id: string) => JSON.stringify(await h.relay.store.readEvents(id, 0));
  /** Every frame a socket received, as text, must not mention the victim's chat. */
  const expectNothingLeaked = (s: TestSocket): void => {
    const seen = JSON.stringify(s.frames);
    expect(seen).not.toContain(SECRET);
    expect(seen).not.toContain(victim.visitor.conversationId);
    expect(seen).not.toContain(victim.visitor.token);
  };

  beforeEach(async () => {
    h = await Harness.start();
    victim = await h.activeChat();
    victim.visitor.s.send({ t: 'send', clientId: cid(), text: SECRET });
    await victim.visitor.s.next({ t: 'ack' });
    victimLog = await logOf(victim.visitor.conversationId);
  });
  afterEach(() => h.cleanup());

  it("refuses a visitor's own token on another conversation with unauthorized and close 4401", async () => {
    const mallory = await h.visitor('mallory@example.com');
    const s = await h.connect('/v1/visitor');
    s.send({ t: 'resume', id: 'r', token: mallory.token, conversationId: victim.visitor.conversationId, afterSeq: 0 });
    expect(await s.next()).toMatchObject({ t: 'error', id: 'r', code: 'unauthorized' });
    expect((await s.closed).code).toBe(4401);
    expectNothingLeaked(s);
    // The borrowed token still opens its own conversation, and only that one.
    const own = await h.connect('/v1/visitor');
    own.send({ t: 'resume', id: 'r', token: mallory.token, conversationId: mallory.conversationId, afterSeq: 0 });
    expect(await own.next()).toMatchObject({ t: 'welcome', conversation: { id: mallory.conversationId } });
    expectNothingLeaked(own);
  });

  it('refuses guessed conversation ids and guessed tokens, whatever their shape', async () => {
    const guesses: Frame[] = [
      { conversationId: victim.visitor.conversationId, token: randomBytes(32).toString('base64url') },
      { conversationId: victim.visitor.conversationId, token: victim.visitor.token.slice(0, -1) + (victim.visitor.token.endsWith('A') ? 'B' : 'A') },
      { conversationId: '1', token: victim.visitor.token.toUpperCase() },
      { conversationId: victim.visitor.conversationId.slice(0, -1) + 'x', token: victim.visitor.token },
      { conversationId: randomBytes(16).toString('base64url'), token: victim.visitor.token },
    ];
    for (const g of guesses) {
      const s = await h.connect('/v1/visitor');
      s.send({ t: 'resume', id: 'g', afterSeq: 0, ...g });
      expect(await s.next()).toMatchObject({ t: 'error', code: 'unauthorized' });
      expect((await s.closed).code).toBe(4401);
      expectNothingLeaked(s);
    }
    // Same answer for a real id with a wrong token as for an id that does not exist:
    // the error does not tell a guesser which ids are real.
    const answers: string[] = [];
    for (const id of [victim.visitor.conversationId, randomBytes(16).toString('base64url')]) {
      const s = await h.connect('/v1/visitor');
      s.send({ t: 'resume', id: 'g', afterSeq: 0, conversationId: id, token: randomBytes(32).toString('base64url') });
      const e = await s.next();
      answers.push(JSON.stringify({ ...e, id: undefined }));
    }
    expect(answers[0]).toBe(answers[1]);
    expect(await logOf(victim.visitor.conversationId)).toBe(victimLog);
  });

  it('issues visitor tokens of at least 128 bits that are never the same twice', async () => {
    const tokens = new Set<string>([victim.visitor.token]);
    for (let i = 0; i < 5; i++) tokens.add((await h.visitor(`v${i}@example.com`)).token);
    expect(tokens.size).toBe(6);
    for (const t of tokens) expect(t.replace(/=+$/, '').length * 6).toBeGreaterThanOrEqual(128);
  });

  it('answers agent frames on the visitor endpoint with bad_frame, before and after hello, and changes nothing', async () => {
    const agentFrames: Frame[] = [
      { t: 'claim', id: 'x1', conversationId: victim.visitor.conversationId },
      { t: 'watch', id: 'x2', conversationId: victim.visitor.conversationId, afterSeq: 0 },
      { t: 'request_upload', id: 'x3', conversationId: victim.visitor.conversationId },
      { t: 'transfer', id: 'x4', conversationId: victim.visitor.conversationId },
      { t: 'block', id: 'x5', conversationId: victim.visitor.conversationId },
      { t: 'note', id: 'x6', conversationId: victim.visitor.conversationId, text: 'hi' },
      { t: 'status', id: 'x7', value: 'online' },
    ];
    const fresh = await h.connect('/v1/visitor');
    for (const f of agentFrames) {
      fresh.send(f);
      expect(await fresh.next({ id: f['id'] })).toMatchObject({ t: 'error', code: 'bad_frame' });
    }
    const mallory = await h.visitor('mallory@example.com');
    for (const f of agentFrames) {
      mallory.s.send(f);
      expect(await mallory.s.next({ id: f['id'] })).toMatchObject({ t: 'error', code: 'bad_frame' });
    }
    // Agent-shaped fields on visitor frames are ignored: they act on the sender's own chat.
    mallory.s.send({ t: 'send', id: 's', clientId: cid(), text: 'where does this go', conversationId: victim.visitor.conversationId });
    expect(await mallory.s.next({ id: 's' })).toMatchObject({ t: 'ack' });
    mallory.s.send({ t: 'end', id: 'e', conversationId: victim.visitor.conversationId });
    expect(await mallory.s.next({ id: 'e' })).toEqual({ t: 'ok', id: 'e' });
    // Both were answered: what they caused would be ahead of each socket's pong.
    await mallory.s.barrier();
    await victim.visitor.s.barrier();
    expect(await logOf(victim.visitor.conversationId)).toBe(victimLog);
    expect(JSON.stringify(victim.visitor.s.frames)).not.toContain('where does this go');
    expect((await h.relay.store.readEvents(mallory.conversationId, 0)).map((e) => e.type)).toEqual(['requested', 'message', 'ended']);
    expectNothingLeaked(fresh);
    expectNothingLeaked(mallory.s);
  });

  it('refuses visitor frames that need a conversation before hello, and typing/read are dropped', async () => {
    const s = await h.connect('/v1/visitor');
    s.send({ t: 'send', id: 's', clientId: cid(), text: 'hi' });
    expect(await s.next({ id: 's' })).toMatchObject({ t: 'error', code: 'unauthorized' });
    s.send({ t: 'end', id: 'e' });
    expect(await s.next({ id: 'e' })).toMatchObject({ t: 'error', code: 'unauthorized' });
    s.send({ t: 'typing', on: true });
    s.send({ t: 'read', upToSeq: 99 });
    s.send({ t: 'ping', id: 'p' });
    expect(await s.next({ id: 'p' })).toEqual({ t: 'pong', id: 'p' });
    expect(s.frames.map((f) => f.t)).toEqual(['error', 'error', 'pong']);
    expect(victim.agent.s.frames.some((f) => f.t === 'typing' || (f.t === 'read' && f.upToSeq === 99))).toBe(false);
    expect(await logOf(victim.visitor.conversationId)).toBe(victimLog);
  });

  it('closes the agent endpoint with 4401 on any first frame but hello, and on a visitor token', async () => {
    const firsts: Frame[] = [
      { t: 'watch', id: 'w', conversationId: victim.visitor.conversationId, afterSeq: 0 },
      { t: 'claim', id: 'c', conversationId: victim.visitor.conversationId },
      { t: 'send', id: 's', conversationId: victim.visitor.conversationId, clientId: cid(), text: 'x' },
      { t: 'ping', id: 'p' },
      { t: 'hello', id: 'h', token: victim.visitor.token },
      { t: 'hello', id: 'h', token: 'A'.repeat(43) },
    ];
    for (const f of firsts) {
      const s = await h.connect('/v1/agent');
      s.send(f);
      const closed = await s.closed;
      expect(closed.code).toBe(4401);
      expect(s.frames.every((x) => x.t === 'error' && (x.code === 'unauthorized' || x.code === 'bad_frame'))).toBe(true);
      expectNothingLeaked(s);
    }
    // An agent token is no visitor token either.
    const s = await h.connect('/v1/visitor');
    s.send({ t: 'resume', id: 'r', token: victim.agent.token, conversationId: victim.visitor.conversationId, afterSeq: 0 });
    expect((await s.closed).code).toBe(4401);
    expectNothingLeaked(s);
    expect(await logOf(victim.visitor.conversationId)).toBe(victimLog);
  });

  it("lets another agent read the chat but not act as its owner: forbidden, and the visitor hears nothing", async () => {
    const other = await h.agent('Other Agent');
    const id = victim.visitor.conversationId;
    const acts: Frame[] = [
      { t: 'send', id: 'o1', conversationId: id, clientId: cid(), text: 'hijack' },
      { t: 'request_upload', id: 'o2', conversationId: id },
      { t: 'transfer', id: 'o3', conversationId: id, toAgentId: other.id },
      { t: 'end', id: 'o4', conversationId: id },
      { t: 'block', id: 'o5', conversationId: id },
      { t: 'claim', id: 'o6', conversationId: id },
    ];
    for (const f of acts) {
      other.s.send(f);
      expect(await other.s.next({ id: f['id'] })).toMatchObject({ t: 'error', code: f.t === 'claim' ? 'conflict' : 'forbidden' });
    }
    other.s.send({ t: 'typing', conversationId: id, on: true });
    expect(await other.s.next({ t: 'error' })).toMatchObject({ code: 'forbidden' });
    // Every act was answered: what it caused for the visitor would be ahead of the visitor's pong.
    await victim.visitor.s.barrier();
    expect(await logOf(id)).toBe(victimLog);
    expect(victim.visitor.s.frames.some((f) => f.t === 'typing' || JSON.stringify(f).includes('hijack'))).toBe(false);
  });

  it('keeps internal notes away from the visitor', async () => {
    victim.agent.s.send({ t: 'note', id: 'n', conversationId: victim.visitor.conversationId, text: 'internal: VIP, refund approved' });
    expect(await victim.agent.s.next({ id: 'n' })).toEqual({ t: 'ok', id: 'n' });
    const again = await h.connect('/v1/visitor');
    again.send({ t: 'resume', id: 'r', token: victim.visitor.token, conversationId: victim.visitor.conversationId, afterSeq: 0 });
    await again.next({ t: 'welcome' });
    // The note and the resume were answered: what they caused would be ahead of each visitor socket's pong.
    await victim.visitor.s.barrier();
    await again.barrier();
    for (const s of [victim.visitor.s, again]) expect(JSON.stringify(s.frames)).not.toContain('refund approved');
    expect(await logOf(victim.visitor.conversationId)).toBe(victimLog);
  });
});
