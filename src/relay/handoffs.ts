/**
 * The agent verbs that move a conversation between hands at once: claim (from the
 * queue), transfer back to the queue, and block (ended, with a block on the customer
 * and their other open chats). Hand-offs that wait for an answer are in `requests.ts`. Each decides on the state as cached and
 * commits; a write that finds the log moved on throws `StaleState`, and the service
 * (`conversations.ts`, which runs these one at a time per conversation) decides again.
 */
import { CloseCode, type AgentRef } from '../protocol/index.js';
import type { BlockChoice, Blocks } from './blocks.js';
import type { Bus } from './bus.js';
import type { ConversationCache } from './conversation-cache.js';
import type { ConversationLog } from './conversation-log.js';
import { done, fail, type Outcome } from './errors.js';
import type { ConversationRecord, Store } from './store.js';

/** Runs a verb on one conversation after the others there, deciding again when it went stale. */
export type Serially = <T>(id: string, verb: () => Promise<Outcome<T>>) => Promise<Outcome<T>>;

/** What the hand-offs read and write. */
export interface HandoffParts {
  store: Store;
  cache: ConversationCache;
  log: () => ConversationLog;
  blocks: Blocks;
  bus: Bus;
  serially: Serially;
}

/** Claim, transfer to the queue, and block. */
export class Handoffs {
  constructor(private readonly p: HandoffParts) {}

  /** Claims a queued conversation (run serially): others get `conflict`; past `capacity`, `at_capacity`. */
  async claim(agent: AgentRef, id: string, capacity?: number): Promise<Outcome<void>> {
    const e = await this.p.cache.entry(id);
    if (!e) return fail('not_found', 'no such conversation');
    if (e.state.status === 'ended') return fail('ended', 'this conversation has ended');
    if (e.state.status !== 'queued') return fail('conflict', 'this conversation is already claimed');
    const out = await this.p.log().commit(id, [{ type: 'claimed', agent }], capacity);
    return out.ok ? done(undefined) : out;
  }

  /** Hands the conversation (run serially) back to the queue, at its place. */
  async transferToQueue(agent: AgentRef, id: string, note?: string): Promise<Outcome<void>> {
    const e = await this.p.cache.owned(agent, id);
    if (!e.ok) return e;
    const out = await this.p.log().commit(id, [{ type: 'transferred', from: agent, to: { queue: true }, ...(note ? { note } : {}) }]);
    return out.ok ? done(undefined) : out;
  }

  /**
   * Ends the conversation as blocked and records a block (see `blocks.ts`): this email
   * from this address, or the whole address when the agent chose so, until it expires.
   * Takes each conversation's turn itself (it touches several).
   */
  async block(agent: AgentRef, id: string, choice: BlockChoice): Promise<Outcome<{ blockId: string }>> {
    const { cache, serially, blocks } = this.p;
    let blocked: { record: ConversationRecord; verified: boolean } | null = null;
    const out = await serially(id, async () => {
      const e = await cache.owned(agent, id);
      if (!e.ok) return e;
      const ended = await this.p.log().commit(id, [{ type: 'ended', by: 'agent', agent, reason: 'blocked' }]);
      if (!ended.ok) return ended;
      blocked = { record: e.value.record, verified: e.value.state.visitor?.verified === true };
      return done(undefined);
    });
    if (!out.ok) return out;
    if (blocked === null) return fail('not_found', 'no such conversation');
    const { record, verified } = blocked;
    const block = await blocks.add(record, agent.id, choice, verified);
    // The same person's other chats end too, by the system: a block is not escaped by
    // keeping a second tab open. "The same person" is the same email from the same
    // address, or, when the site vouched for it in both chats, from any address: a typed
    // email alone never ends someone else's chat.
    const others = new Set<string>();
    for (const c of await blocks.sameEmail(block)) {
      await serially(c.id, async (): Promise<Outcome<unknown>> => {
        const e = await cache.entry(c.id);
        if (!e || !blocks.samePerson(block, e.record, e.state.visitor?.verified === true)) return done(undefined);
        others.add(c.id);
        return e.state.status === 'ended' ? done(undefined) : this.p.log().commit(c.id, [{ type: 'ended', by: 'system', reason: 'blocked' }]);
      });
    }
    // A block of the whole address also ends the messages left there that wait for an
    // agent: they never end by themselves. Live chats there go on (an office's address).
    for (const c of await blocks.leftAt(block)) {
      await serially(c.id, async (): Promise<Outcome<unknown>> => {
        const e = await cache.entry(c.id);
        if (!e || e.state.status !== 'queued' || !e.state.offline) return done(undefined);
        others.add(c.id);
        return this.p.log().commit(c.id, [{ type: 'ended', by: 'system', reason: 'blocked' }]);
      });
    }
    this.p.bus.publish({ kind: 'close_visitors', conversationIds: [id, ...others], code: CloseCode.BLOCKED, reason: 'blocked' });
    return done({ blockId: block.id });
  }
}
