/**
 * Packs one of the repository's npm packages (`npm pack --workspace`) into a fresh
 * folder outside the repository and installs the tarball there the way an app would,
 * with npm, from the tarball and the registry (or npm's cache). Tests of what a user
 * of the published packages gets: the files, the dependencies, the bin.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../../scripts/built-paths.mjs';

const run = promisify(execFile);

/** One file of a packed tarball, as `npm pack --json` lists it. */
export interface PackedFile {
  path: string;
  size: number;
}

/** A packed and installed package, in its own folder. */
export interface Installed {
  /** The folder of the app that installed it (has package.json and node_modules). */
  dir: string;
  /** The files the tarball holds. */
  files: PackedFile[];
  /** Runs npm in `dir`. */
  npm(args: string[], timeoutMs?: number): Promise<string>;
  /** Removes the folder. */
  remove(): void;
}

/**
 * Packs workspace `name` and installs it in a new app folder. `extra` are more install
 * arguments (other packages, flags).
 */
export async function packAndInstall(name: string, extra: string[] = []): Promise<Installed> {
  const dir = mkdtempSync(join(tmpdir(), `${name}-packed-`));
  const npm = async (args: string[], timeoutMs = 120_000) =>
    (await run('npm', args, { cwd: dir, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: 'false' } })).stdout;
  try {
    const packed = JSON.parse((await run('npm', ['pack', '--workspace', name, '--pack-destination', dir, '--json'], { cwd: ROOT, timeout: 60_000 })).stdout) as {
      filename: string;
      files: PackedFile[];
    }[];
    const [p] = packed;
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'an-app', private: true }));
    await npm(['install', '--prefer-offline', '--no-audit', '--no-fund', `./${p!.filename}`, ...extra]);
    return { dir, files: p!.files, npm, remove: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
