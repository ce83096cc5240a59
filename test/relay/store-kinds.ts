/**
 * Test helper: every kind of store a suite runs against (a SQLite file, SQLite in memory,
 * PostgreSQL), each made fresh by its function. Call `storeKinds` at a test file's top
 * level: it registers the hooks that make a temp folder and start the file's one private
 * PostgreSQL server on first use (while the SQLite suites run), and stop both at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { PostgresStore } from '../../src/relay/store-postgres.js';
import { SqliteStore } from '../../src/relay/store-sqlite.js';
import type { Store } from '../../src/relay/store.js';
import { freshDatabase, startPostgres, type PostgresServer } from './postgres-server.js';

/** A store kind's name and how to make a new, empty store of it. */
export type StoreKind = [name: string, open: () => Promise<Store>];

/** The three kinds, for `describe.each`; `prefix` names the temp folder. */
export function storeKinds(prefix: string): StoreKind[] {
  let server: Promise<PostgresServer> | null = null;
  const postgres = (): Promise<PostgresServer> => (server ??= startPostgres());
  let dir = '';
  let files = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), `parley-${prefix}-`));
    // Started while the SQLite suites run; a failure is reported where it is awaited.
    postgres().catch(() => {});
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    const s = await server?.catch(() => null);
    await s?.stop();
  });
  return [
    ['SQLite file', async () => new SqliteStore(join(dir, `store-${++files}.db`))],
    ['SQLite :memory:', async () => new SqliteStore(':memory:')],
    ['PostgreSQL', async () => PostgresStore.open(await freshDatabase((await postgres()).url), { poolSize: 4 })],
  ];
}
