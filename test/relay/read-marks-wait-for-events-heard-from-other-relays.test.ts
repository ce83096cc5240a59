/**
 * With several relays, an agent message committed on one reaches the visitor's socket
 * on another as soon as that relay hears it, while its cache takes the event in the
 * conversation's turn. A `read` the visitor sends at once must wait for that turn, or
 * it would be checked against a cache without the message, not be stored, and the
 * answer the customer read would be told as `message.unseen`.
 */
import { expect, it } from 'vitest';
import type { AgentConversationState } from '../../src/protocol/index.js';
import { KeyedLock } from '../../src/relay/keyed-lock.js';
import { SideChannels } from '../../src/relay/side-channels.js';

it('stores a read of a message heard from another relay once the cache has taken it in', async () => {
  const lock = new KeyedLock();
  // The cache as this relay knows the chat: the customer's message only (seq 2).
  const entry = { state: { lastSeq: 2, agentMessageSeqs: [] as number[], owner: null } as unknown as AgentConversationState, visitorReadSeq: 0 };
  const stored: number[] = [];
  const channels = new SideChannels(
    { setVisitorReadSeq: async (_id: string, seq: number) => void stored.push(seq) } as never,
    { entry: async () => entry } as never,
    { publish: () => {}, at: () => new Date().toISOString() },
    {} as never,
    () => Date.now(),
    (id, fn) => lock.run(id, fn),
  );

  // Another relay's agent message (seq 3) is being taken in, in the chat's turn...
  let takeIn!: () => void;
  const heard = lock.run('c1', () => new Promise<void>((resolve) => (takeIn = resolve)).then(() => {
    entry.state = { ...entry.state, lastSeq: 3, agentMessageSeqs: [3] };
  }));
  // ...when the visitor, who already has it on screen, reads it.
  const read = channels.visitorRead('c1', 3);
  takeIn();
  await Promise.all([heard, read]);
  expect(stored).toEqual([3]);
});
