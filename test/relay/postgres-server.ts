/**
 * Test helper: a private PostgreSQL server for the store tests, started from the
 * system's binaries by scripts/local-servers.mjs (shared with the bench) with `fsync=off`
 * and `initdb --no-sync` (fine for tests: nothing has to survive a power cut) and a
 * short `deadlock_timeout` (so that a test of a deadlock does not wait a second). Tests
 * share one server per file and take a fresh database each (`freshDatabase`). Every
 * server is stopped by `stop()`, and, as a last resort, when the process exits.
 */
import { createDatabase, startPostgres as startLocalPostgres } from '../../scripts/local-servers.mjs';

export interface PostgresServer {
  /** `postgres://parley@127.0.0.1:PORT/parley` */
  url: string;
  stop(): Promise<void>;
}

/** Starts a private server with a database `parley` that user `parley` may use without a password. */
export async function startPostgres(): Promise<PostgresServer> {
  const server = await startLocalPostgres({ fsync: false, settings: ['deadlock_timeout=100ms'] });
  return {
    url: server.url,
    stop() {
      spares.delete(server.url);
      return server.stop();
    },
  };
}

let databases = 0;
/** Per server, the next database, made while a test runs (CREATE DATABASE takes ~150 ms). */
const spares = new Map<string, Promise<string>>();

/** A new empty database on the server of `url`; returns its URL. */
export function freshDatabase(url: string): Promise<string> {
  const make = () => createDatabase(url, `parley_${process.pid}_${++databases}`);
  const next = spares.get(url) ?? make();
  const spare = next.then(make);
  // A spare still being made when the server stops is simply never used.
  spare.catch(() => {});
  spares.set(url, spare);
  return next;
}
