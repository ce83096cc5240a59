/**
 * Automatic routing (`--routing auto`), the choice alone: which online agent a queued
 * chat is offered to. The agent with the most free places (capacity, less the chats
 * they own and the offers waiting for them); between equals, the one offered a chat
 * longest ago. An agent who turned this chat down is passed over while anyone else can
 * take it, and offered it again only a minute after their answer. Pure, so that the
 * rule can be read and tested apart from the timers that apply it (`routing.ts`).
 */

/** An online agent as the router sees them. */
export interface Candidate {
  id: string;
  name: string;
  /** Places left: capacity less owned chats less waiting offers. */
  free: number;
  /** When this relay last offered them a chat (ms), or 0 for never. */
  lastOffered: number;
}

/** A decliner is offered the same chat again only this long after their answer. */
export const REOFFER_AFTER_MS = 60_000;

/**
 * The agent to offer a chat to, or null: among candidates with a free place, those who
 * never declined it, else those whose decline is older than `REOFFER_AFTER_MS`; the
 * most free places first, then the longest since their last offer, then by id.
 */
export function chooseAgent(candidates: readonly Candidate[], declinedBy: readonly { agentId: string; at: string }[], now: number): Candidate | null {
  const lastDecline = new Map<string, number>();
  for (const d of declinedBy) lastDecline.set(d.agentId, Math.max(lastDecline.get(d.agentId) ?? 0, Date.parse(d.at)));
  const open = candidates.filter((c) => c.free > 0);
  const fresh = open.filter((c) => !lastDecline.has(c.id));
  const pool = fresh.length > 0 ? fresh : open.filter((c) => now - lastDecline.get(c.id)! >= REOFFER_AFTER_MS);
  const best = [...pool].sort((a, b) => b.free - a.free || a.lastOffered - b.lastOffered || (a.id < b.id ? -1 : 1));
  return best[0] ?? null;
}
