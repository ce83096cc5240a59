/**
 * The `relays` table of a shared PostgreSQL database: each relay registers there at
 * start and renews its row every few seconds, so that a relay starting can tell whether
 * others are running, and refuse to share the database when any of them (or itself)
 * has no shared bus: relays that cannot hear each other would serve stale queues.
 */
import type { Pool } from 'pg';

/** How often a registered relay tells the database it is still there. */
const HEARTBEAT_MS = 5_000;
/** A relay seen this recently is taken to be running. */
const RELAY_ALIVE_SECONDS = 15;
/** Key of the advisory lock under which relays register ("rlay" in ASCII). */
const REGISTER_LOCK = 0x726c6179;

/**
 * Records relay `relayId` (with or without a shared bus), in one transaction under an
 * advisory lock, so two relays starting together cannot miss each other.
 * @throws Error with code `store_shared_without_bus`.
 */
export async function registerRelay(pool: Pool, relayId: string, shared: boolean): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [REGISTER_LOCK]);
    const others = await client.query<{ shared: boolean }>(`SELECT shared FROM relays WHERE id <> $1 AND seen_at > now() - $2 * interval '1 second'`, [
      relayId,
      RELAY_ALIVE_SECONDS,
    ]);
    if (others.rows.some((r) => !shared || !r.shared)) {
      throw Object.assign(
        new Error('another relay is using this PostgreSQL database; several relays need a shared bus: start each with --bus redis://HOST:PORT'),
        { code: 'store_shared_without_bus' },
      );
    }
    await client.query(`DELETE FROM relays WHERE seen_at < now() - interval '1 day'`);
    await client.query(
      `INSERT INTO relays (id, shared, seen_at) VALUES ($1, $2, now())
       ON CONFLICT (id) DO UPDATE SET shared = excluded.shared, seen_at = excluded.seen_at`,
      [relayId, shared],
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** Renews the relay's row every few seconds; clear the timer to stop. */
export function keepRegistered(pool: Pool, relayId: string): NodeJS.Timeout {
  const timer = setInterval(() => {
    // A missed beat is harmless: the next one, 5 s later, is well within the 15 s.
    pool.query('UPDATE relays SET seen_at = now() WHERE id = $1', [relayId]).catch(() => {});
  }, HEARTBEAT_MS);
  timer.unref();
  return timer;
}
