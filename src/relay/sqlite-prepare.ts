/**
 * How the SQLite store's query modules (deliveries, files, erasure, the capacity guard)
 * get statements: from the store, which prepares each SQL text once and runs them in
 * its open transaction.
 */
import type Database from 'better-sqlite3';

/** Gives a prepared statement for an SQL text (the store prepares each once). */
export type Prepare = (text: string) => Database.Statement;
