/**
 * `GET /v1/availability`: available while an agent is online with a free place and the
 * opening hours (when set) are open; `busy` when nobody online has room; `closed`, with
 * when the hours open next, outside them.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { Harness } from './helpers.js';

let h: Harness;
afterEach(() => h.cleanup());

const ask = async () => (await fetch(`${h.relay.url}/v1/availability`)).json();

it('is busy with nobody online or nobody with room, and available with an online agent who has room', async () => {
  h = await Harness.start();
  expect(await ask()).toEqual({ available: false, reason: 'busy' });
  const jane = await h.agent('Jane Doe');
  // Answers are reused for two seconds: wait for a fresh one.
  await vi.waitFor(async () => expect(await ask()).toEqual({ available: true }), { timeout: 5_000, interval: 500 });
  await h.relay.store.setAgentCapacity(jane.id, 1);
  const v = await h.visitor();
  jane.s.send({ t: 'claim', id: 'c', conversationId: v.conversationId });
  await jane.s.next({ id: 'c' });
  await vi.waitFor(async () => expect(await ask()).toEqual({ available: false, reason: 'busy' }), { timeout: 5_000, interval: 500 });
});

it('is closed outside the opening hours and says when they open', async () => {
  // Open half an hour a week, three days from now: closed now, whoever is online.
  const later = new Date(Date.now() + 3 * 24 * 3600_000);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][later.getUTCDay()];
  const hh = String(later.getUTCHours()).padStart(2, '0');
  h = await Harness.start({ hours: `${day} ${hh}:00-${hh}:30`, timezone: 'UTC' });
  await h.agent('Jane Doe');
  const answer = await ask();
  expect(answer).toMatchObject({ available: false, reason: 'closed' });
  expect(answer.opensAt).toBe(`${later.toISOString().slice(0, 13)}:00:00.000Z`);
  await expect(Harness.start({ hours: 'weekdays 9 to 5' })).rejects.toThrow(/not a range/);
});
