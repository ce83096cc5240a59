/**
 * `--routing auto`: the relay offers each waiting chat, oldest first, to the online agent
 * with the most free places (ties: the one offered a chat longest ago); a decline or a
 * timeout offers it to the next agent; an accept makes it theirs. Away agents get no
 * offers. The log records each offer and answer for agents; the customer's log shows
 * them as `internal` and then who joined. Also the choice itself (`chooseAgent`).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LogEvent } from '../../src/protocol/index.js';
import { chooseAgent, REOFFER_AFTER_MS } from '../../src/relay/offers.js';
import { Harness, type Frame } from './helpers.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.cleanup();
  h = null;
});

const offerTo = (agentId: string, id: string) => (f: Frame) => f.t === 'conversation' && f.summary.id === id && f.summary.offer?.agentId === agentId;

describe('auto routing', () => {
  it('offers to the freest agent; a decline goes to the next; an accept makes it theirs', async () => {
    h = await Harness.start({ routing: 'auto', routingTickMs: 50 });
    const jane = await h.agent('Jane Doe');
    const bo = await h.agent('Bo Stone');
    await h.relay.store.setAgentCapacity(bo.id, 5);
    const v = await h.visitor();
    const id = v.conversationId;
    // Bo has 5 free places, Jane 3: Bo first.
    await bo.s.next(offerTo(bo.id, id), 5_000);
    bo.s.send({ t: 'decline', id: 'n', conversationId: id });
    expect(await bo.s.next({ id: 'n' })).toEqual({ t: 'ok', id: 'n' });
    await jane.s.next(offerTo(jane.id, id), 5_000);
    // Bo cannot take an offer made to Jane.
    bo.s.send({ t: 'accept', id: 'x', conversationId: id });
    expect(await bo.s.next({ id: 'x' })).toMatchObject({ t: 'error', code: 'not_found' });
    jane.s.send({ t: 'accept', id: 'y', conversationId: id });
    expect(await jane.s.next({ id: 'y' })).toEqual({ t: 'ok', id: 'y' });
    const claimed = await v.s.next((f) => f.t === 'event' && f.event.type === 'claimed');
    expect(claimed.event).toMatchObject({ agent: { id: jane.id, name: 'Jane Doe' }, via: 'offer' });
    const types = (await h.relay.store.readEvents(id, 0)).map((e) => (e.type === 'offer_declined' ? `${e.type}:${e.reason}` : e.type));
    expect(types).toEqual(['requested', 'offered', 'offer_declined:declined', 'offered', 'claimed']);
    expect(v.s.frames.filter((f) => f.t === 'event' && f.event.type === 'internal')).toHaveLength(3);
    // A second accept of the same offer (another tab) finds nothing waiting.
    jane.s.send({ t: 'accept', id: 'y2', conversationId: id });
    expect(await jane.s.next({ id: 'y2' })).toMatchObject({ t: 'error', code: 'not_found' });
  });

  it('offers to the next agent when one lets the offer run out, and never to an away agent', async () => {
    h = await Harness.start({ routing: 'auto', routingTickMs: 50, offerTimeoutMs: 300 });
    const jane = await h.agent('Jane Doe');
    const bo = await h.agent('Bo Stone');
    const cy = await h.agent('Cy Away');
    cy.s.send({ t: 'status', id: 's', value: 'away' });
    await cy.s.next({ id: 's' });
    const v = await h.visitor();
    const id = v.conversationId;
    const offers = async () => (await h!.relay.store.readEvents(id, 0)).filter((e) => e.type === 'offered' || e.type === 'offer_declined');
    await vi.waitFor(async () => expect((await offers()).map((e) => e.type)).toEqual(['offered', 'offer_declined', 'offered']), { timeout: 5_000 });
    const [offered, declined, next] = (await offers()) as Extract<LogEvent, { type: 'offered' }>[];
    expect(declined).toMatchObject({ agent: { id: offered!.agent.id }, reason: 'timeout' });
    expect(next!.agent.id).not.toBe(offered!.agent.id);
    expect([offered!.agent.id, next!.agent.id].sort()).toEqual([jane.id, bo.id].sort());
    const firstOffer = offered!.agent.id === jane.id ? jane : bo;
    expect((await h.relay.store.readEvents(id, 0)).some((e) => e.type === 'offered' && e.agent.id === cy.id)).toBe(false);
    // Accepting a run-out offer is refused.
    firstOffer.s.send({ t: 'accept', id: 'late', conversationId: id });
    expect(await firstOffer.s.next({ id: 'late' })).toMatchObject({ t: 'error', code: 'not_found' });
  });

  it('leaves chats in the queue in manual routing', async () => {
    h = await Harness.start({ routingTickMs: 50 });
    const jane = await h.agent('Jane Doe');
    const v = await h.visitor();
    await jane.s.barrier();
    await new Promise((r) => setTimeout(r, 200));
    expect((await h.relay.store.readEvents(v.conversationId, 0)).map((e) => e.type)).toEqual(['requested']);
  });
});

describe('chooseAgent', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');
  const c = (id: string, free: number, lastOffered = 0) => ({ id, name: id, free, lastOffered });
  it('picks the most free places, then the longest since an offer, and never one without a place', () => {
    expect(chooseAgent([c('a', 1), c('b', 2)], [], now)?.id).toBe('b');
    expect(chooseAgent([c('a', 2, 500), c('b', 2, 100)], [], now)?.id).toBe('b');
    expect(chooseAgent([c('a', 0), c('b', -1)], [], now)).toBeNull();
  });
  it('passes over decliners while anyone else can take it, and asks them again a minute later', () => {
    const declined = [{ agentId: 'b', at: new Date(now - 1000).toISOString() }];
    expect(chooseAgent([c('a', 1), c('b', 3)], declined, now)?.id).toBe('a');
    expect(chooseAgent([c('b', 3)], declined, now)).toBeNull();
    expect(chooseAgent([c('b', 3)], declined, now + REOFFER_AFTER_MS)?.id).toBe('b');
  });
});
