/**
 * The capacity guard of an append: a claim or a hand-over that would give its new owner
 * more active chats than `ConversationChange.ownerCapacity` writes nothing and throws
 * `CapacityReached`. It is checked inside the append's transaction (on PostgreSQL with
 * the agent's row locked), so two relays handing one agent a chat at once cannot both
 * take the last place; the service's earlier check only words the refusal sooner.
 */
import type { PoolClient } from 'pg';
import type { Prepare } from './sqlite-prepare.js';
import type { ConversationChange } from './store.js';

/** Thrown by `Store.append` when the new owner has no room (nothing was written). */
export class CapacityReached extends Error {
  readonly code = 'at_capacity';
  constructor(readonly agentId: string) {
    super('the agent owns as many chats as they may');
  }
}

/** The owner the guard is for, when the append asks for it. */
const guarded = (change: ConversationChange): string | null =>
  change.ownerCapacity !== undefined && change.ownerId !== null && change.status === 'active' ? change.ownerId : null;

/** SQLite: throws `CapacityReached` when the change's owner already owns `ownerCapacity` other active chats. */
export function assertRoom(sql: Prepare, id: string, change: ConversationChange): void {
  const owner = guarded(change);
  if (owner === null) return;
  const { n } = sql("SELECT count(*) AS n FROM conversations WHERE owner_id = ? AND status = 'active' AND id <> ?").get(owner, id) as { n: number };
  if (n >= change.ownerCapacity!) throw new CapacityReached(owner);
}

/** PostgreSQL: the same, with the agent's row locked until the transaction ends. */
export async function assertRoomLocked(c: PoolClient, id: string, change: ConversationChange): Promise<void> {
  const owner = guarded(change);
  if (owner === null) return;
  await c.query('SELECT 1 FROM agents WHERE id = $1 FOR UPDATE', [owner]);
  const r = await c.query<{ n: string }>("SELECT count(*) AS n FROM conversations WHERE owner_id = $1 AND status = 'active' AND id <> $2", [owner, id]);
  if (Number(r.rows[0]!.n) >= change.ownerCapacity!) throw new CapacityReached(owner);
}
