/**
 * Uploaded files in the SQLite store: metadata in `files`, bytes in `file_data`, or, for
 * a file stored by a version from before the database kept bytes, in `files/` beside the
 * database file (its `path`). Kept apart from the store's other queries; each function
 * runs inside the store's open transaction, except the reads and removals on disk.
 */
import { readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Prepare } from './sqlite-prepare.js';
import { toFile, type FileRow } from './store-rows.js';
import type { FileRecord } from './store.js';

const FILE_COLUMNS = 'id, conversation_id, request_id, name, size, mime, at';

/** Stores a file's row and bytes; false, storing nothing, when its request has a file already. */
export function insertFile(sql: Prepare, rec: FileRecord, data: Buffer): boolean {
  // path '' (the bytes are in file_data); an older file's column is NOT NULL without default.
  const added = sql(`INSERT INTO files (${FILE_COLUMNS}, path) VALUES (?, ?, ?, ?, ?, ?, ?, '') ON CONFLICT (request_id) DO NOTHING`).run(
    rec.fileId,
    rec.conversationId,
    rec.requestId,
    rec.name,
    rec.size,
    rec.mime,
    rec.at,
  );
  if (added.changes !== 1) return false;
  sql('INSERT INTO file_data (id, data) VALUES (?, ?)').run(rec.fileId, data);
  return true;
}

export function fileRecord(sql: Prepare, fileId: string): FileRecord | null {
  const r = sql(`SELECT ${FILE_COLUMNS} FROM files WHERE id = ?`).get(fileId) as FileRow | undefined;
  return r ? toFile(r) : null;
}

/** Where a file's bytes are: in the row, or at an older version's `path` (empty when none). */
export function fileBytes(sql: Prepare, fileId: string): { data: Buffer | null; path: string } | undefined {
  return sql('SELECT d.data AS data, f.path AS path FROM files f LEFT JOIN file_data d ON d.id = f.id WHERE f.id = ?').get(fileId) as
    | { data: Buffer | null; path: string }
    | undefined;
}

/** The bytes an older version kept on disk for the database `dbFile`, or null. */
export function readOlderFile(dbFile: string, path: string): Promise<Buffer | null> {
  return readFile(join(dirname(dbFile), 'files', basename(path))).catch(() => null);
}

/** Removes the files an older version kept on disk (their rows are gone). */
export async function removeOlderFiles(dbFile: string, paths: readonly string[]): Promise<void> {
  await Promise.all(paths.map((p) => rm(join(dirname(dbFile), 'files', basename(p)), { force: true })));
}
