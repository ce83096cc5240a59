/**
 * Makes sure the relay package's built `cli.js` exists and is newer than every file of src/relay and
 * src/protocol, building it with the project's rollup config (relay output only) when not.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RELAY_CLI, ROOT } from '../../scripts/built-paths.mjs';

export { ROOT };
export const CLI = RELAY_CLI;

function newest(dir: string): number {
  let t = 0;
  for (const f of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, f.name);
    t = Math.max(t, f.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds the relay when it is missing or older than its sources. */
export function ensureRelayBuilt(): void {
  const src = Math.max(newest(join(ROOT, 'src', 'relay')), newest(join(ROOT, 'src', 'protocol')));
  if (existsSync(CLI) && statSync(CLI).mtimeMs >= src) return;
  execFileSync('npx', ['rollup', '-c', 'test/relay/rollup.relay.mjs', '--silent'], { cwd: ROOT, stdio: 'pipe', timeout: 120_000 });
}
