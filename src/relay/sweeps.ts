/**
 * The endings that come with time, not with a frame (docs/protocol.md, "Limits"): a
 * queued chat whose visitor has been gone `abandonedAfterMs` ends `abandoned`, an
 * active one without activity for `idleAfterMs` ends `idle`. Time before this process
 * started does not count: a restarted relay never ends chats for its own downtime.
 * A sweep also drops ended chats nobody is connected to from the cache.
 */
import type { ConversationCache } from './conversation-cache.js';
import type { Presence } from './presence.js';
import type { Store } from './store.js';

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
  /** Appends `ended {by: "system", reason}`; true when it was written. */
  end: (id: string, reason: 'abandoned' | 'idle') => boolean;
}

/**
 * Ends abandoned queued conversations and idle active ones, then drops ended ones
 * nobody is connected to from the cache. Returns how many ended.
 */
export function sweep(p: SweepParts): number {
  const t = p.now();
  let ended = 0;
  for (const c of p.store.listConversations(['queued', 'active'])) {
    const e = p.cache.entry(c.id);
    if (!e) continue;
    if (e.state.status === 'queued' && !p.presence.visitorOnline(c.id)) {
      const seen = p.presence.visitorLastSeenAt(c.id) ?? p.startedAt;
      if (t - seen >= p.abandonedAfterMs) {
        if (p.end(c.id, 'abandoned')) ended++;
      }
    } else if (e.state.status === 'active') {
      const last = Date.parse(e.state.lastActivityAt ?? e.record.createdAt);
      if (t - Math.max(last, p.startedAt) >= p.idleAfterMs) {
        if (p.end(c.id, 'idle')) ended++;
      }
    }
  }
  // Ended conversations nobody is connected to are read from the store again if needed.
  for (const id of p.cache.dropEnded((c) => p.presence.visitorOnline(c))) p.presence.forgetVisitor(id);
  return ended;
}
