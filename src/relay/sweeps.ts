/**
 * The endings that come with time, not with a frame (docs/protocol.md, "Limits"): a
 * queued chat whose visitor has been gone `abandonedAfterMs` ends `abandoned` (never a
 * message left while nobody could answer, `offline`: its customer is gone by design,
 * and it waits for an agent however long that takes), an active one without activity
 * for `idleAfterMs` ends `idle`. Time before this process
 * started does not count: a restarted relay never ends chats for its own downtime.
 * Every relay sweeps; when two end one chat at once, the store lets one of them. A
 * sweep also sets the queue right from the store (news from other relays can be lost).
 * A sweep also drops ended chats nobody is connected to from the cache.
 */
import type { ConversationCache, Entry } from './conversation-cache.js';
import type { Presence } from './presence.js';
import type { ConversationRecord, Store } from './store.js';

/** What a sweep reads, and how it ends a conversation. */
export interface SweepParts {
  store: Store;
  cache: ConversationCache;
  presence: Presence;
  now: () => number;
  /** When this process started. */
  startedAt: number;
  abandonedAfterMs: number;
  idleAfterMs: number;
  /**
   * Appends `ended {by: "system", reason}` when `due` still gives a reason on the state
   * as stored (another relay may have written meanwhile); true when it was written.
   */
  end: (id: string, due: (e: Entry) => EndReasonOfTime | null) => Promise<boolean>;
  /** Brings the queue and open chats in line with the open conversations as stored at `asOf` (ISO). */
  reconcile: (open: readonly ConversationRecord[], asOf: string) => void;
}

/** The endings that come with time. */
export type EndReasonOfTime = 'abandoned' | 'idle';

/** Why a conversation should end now, if it should. */
function due(p: SweepParts, e: Entry): EndReasonOfTime | null {
  const t = p.now();
  // Time before this process started does not count, nor before the chat's last activity
  // (a visitor on another relay may not have been heard of here yet).
  const since = Math.max(p.startedAt, Date.parse(e.state.lastActivityAt ?? e.record.createdAt));
  if (e.state.status === 'queued' && !e.state.offline && !p.presence.visitorOnline(e.record.id)) {
    const seen = Math.max(p.presence.visitorLastSeenAt(e.record.id) ?? 0, since);
    return t - seen >= p.abandonedAfterMs ? 'abandoned' : null;
  }
  if (e.state.status === 'active') return t - since >= p.idleAfterMs ? 'idle' : null;
  return null;
}

/**
 * Ends abandoned queued conversations and idle active ones, then drops ended ones
 * nobody is connected to from the cache. Returns how many ended.
 */
export async function sweep(p: SweepParts): Promise<number> {
  let ended = 0;
  const asOf = new Date(p.now()).toISOString();
  const open = await p.store.listConversations(['queued', 'active']);
  // News between relays can be lost: the queue is set right from what is stored.
  p.reconcile(open, asOf);
  for (const c of open) {
    const e = await p.cache.entry(c.id);
    if (!e || due(p, e) === null) continue;
    if (await p.end(c.id, (fresh) => due(p, fresh))) ended++;
  }
  // Ended conversations nobody is connected to are read from the store again if needed.
  for (const id of p.cache.dropEnded((c) => p.presence.visitorOnline(c))) p.presence.forgetVisitor(id);
  // Past twice the abandon time, when a visitor was last seen no longer matters: a chat
  // still queued by then was ended by this sweep or another relay's.
  p.presence.forgetSeenBefore(p.now() - 2 * p.abandonedAfterMs);
  return ended;
}
