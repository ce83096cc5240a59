/**
 * Finds the folder of the installed `parley-relay` package by walking up from this
 * module, so the relay finds the files it serves (`dist/widget/`, `dist/console/`,
 * `dist/demo/`) whether it runs from its built `dist/` (an installed package) or from
 * `src/relay` in the repository, where the package is `packages/parley-relay`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NAME = 'parley-relay';

function named(file: string): boolean {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === NAME;
  } catch {
    return false; // absent or not ours; keep walking
  }
}

/** The package's folder, or the current directory when none is found. */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    if (named(join(dir, 'package.json'))) return dir;
    const inRepo = join(dir, 'packages', NAME);
    if (existsSync(inRepo) && named(join(inRepo, 'package.json'))) return inRepo;
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

/** The version in the package's package.json (empty when it cannot be read). */
export function packageVersion(root: string = packageRoot()): string {
  try {
    return String((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown }).version ?? '');
  } catch {
    return '';
  }
}
