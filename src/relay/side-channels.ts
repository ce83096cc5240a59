/**
 * What agents and visitors tell each other beside the log: internal notes (stored,
 * shown to agents only), typing and read marks (relayed; the agents' read mark is
 * stored, as it counts for unread, and so is the customer's when it covers an agent
 * message, for `message.unseen`). None of it is an event, so none of it goes through
 * `commit`; what is stored is published once it is committed.
 */
import { VISITOR_CHATTER_RATE, type AgentNote, type AgentRef } from '../protocol/index.js';
import type { ConversationCache } from './conversation-cache.js';
import type { ConversationLog } from './conversation-log.js';
import { done, fail, type Outcome } from './errors.js';
import { newId } from './ids.js';
import { RateLimiter } from './rate-limit.js';
import type { Store } from './store.js';
import type { Summaries } from './summaries.js';

/** Notes, typing and read marks of conversations. */
export class SideChannels {
  /** Visitor typing and read marks relayed per conversation (`VISITOR_CHATTER_RATE`). */
  private readonly chatter: RateLimiter;

  constructor(
    private readonly store: Store,
    private readonly cache: ConversationCache,
    /** Publishing and the clock of the log (`ConversationLog`). */
    private readonly log: Pick<ConversationLog, 'publish' | 'at'>,
    private readonly summaries: Summaries,
    now: () => number,
    /**
     * Runs `fn` after what is queued for conversation `id` here, such as events heard
     * from other relays (the conversation's lock).
     */
    private readonly inTurn: (id: string, fn: () => Promise<void>) => Promise<void>,
  ) {
    this.chatter = new RateLimiter(VISITOR_CHATTER_RATE, now);
  }

  /** Forgets rate counts of quiet conversations. */
  sweep(): void {
    this.chatter.sweep();
  }

  /** Stores an internal note and tells agents; the visitor never sees it. */
  async addNote(agent: AgentRef, id: string, text: string): Promise<Outcome<AgentNote>> {
    const e = await this.cache.entry(id);
    if (!e) return fail('not_found', 'no such conversation');
    const note: AgentNote = { id: newId(), conversationId: id, agent, text, at: this.log.at() };
    await this.store.addNote(note);
    this.log.publish({ kind: 'note', note, agentIds: [...new Set([agent.id, ...(e.state.owner ? [e.state.owner.id] : [])])] });
    return done(note);
  }

  /** The notes of a conversation, oldest first. */
  notes(id: string): Promise<AgentNote[]> {
    return this.store.listNotes(id);
  }

  /** The visitor is typing: relayed to the agents who hear this conversation. */
  async visitorTyping(id: string, on: boolean): Promise<void> {
    const e = await this.cache.entry(id);
    if (!e || e.state.status === 'ended' || !this.chatter.hit(id)) return;
    this.log.publish({ kind: 'typing', conversationId: id, side: 'visitor', on, agentIds: e.state.owner ? [e.state.owner.id] : [] });
  }

  /** The visitor read up to a seq: stored when it reads an agent message further, and relayed to agents. */
  async visitorRead(id: string, upToSeq: number): Promise<void> {
    // In turn: an agent message from another relay reaches the visitor's socket as soon
    // as it is heard, and the cache takes it in its turn; a read of it waits for that.
    return this.inTurn(id, () => this.storeRead(id, upToSeq));
  }

  /** `visitorRead` in the conversation's turn. */
  private async storeRead(id: string, upToSeq: number): Promise<void> {
    const e = await this.cache.entry(id);
    if (!e) return;
    // Stored whatever the rate of read frames, at most once per agent message read: the
    // last one read must not be reported unseen (`message.unseen`).
    const seq = Math.min(upToSeq, e.state.lastSeq);
    const before = e.visitorReadSeq ?? 0;
    if (e.state.agentMessageSeqs.some((q) => q > before && q <= seq)) {
      e.visitorReadSeq = seq;
      await this.store.setVisitorReadSeq(id, seq);
    }
    if (!this.chatter.hit(id)) return;
    this.log.publish({ kind: 'read', conversationId: id, side: 'visitor', upToSeq, agentIds: e.state.owner ? [e.state.owner.id] : [] });
  }

  /** The owner is typing: relayed to the visitor. */
  async agentTyping(agent: AgentRef, id: string, on: boolean): Promise<Outcome<void>> {
    const e = await this.cache.owned(agent, id);
    if (!e.ok) return e;
    this.log.publish({ kind: 'typing', conversationId: id, side: 'agent', on, name: agent.name });
    return done(undefined);
  }

  /** An agent read up to a seq: counts for unread; relayed to the visitor when it is the owner. */
  async agentRead(agent: AgentRef, id: string, upToSeq: number): Promise<Outcome<void>> {
    const e = await this.cache.entry(id);
    if (!e) return fail('not_found', 'no such conversation');
    const isOwner = e.state.owner?.id === agent.id;
    if (!isOwner && e.state.status !== 'queued') return fail('forbidden', 'only the agent who owns this conversation may mark it read');
    const seq = Math.min(upToSeq, e.state.lastSeq);
    if (seq > e.record.agentReadSeq) {
      await this.store.setAgentReadSeq(id, seq);
      e.record = { ...e.record, agentReadSeq: seq };
      this.summaries.publishSummary(id);
    }
    if (isOwner) this.log.publish({ kind: 'read', conversationId: id, side: 'agent', upToSeq: seq });
    return done(undefined);
  }
}
