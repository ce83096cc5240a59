/**
 * The relay as a child process for the chaos proof: the built relay package started by
 * a two-line Node script (so the test can set the rate limits the CLI does not expose),
 * on a SQLite data folder, killable with SIGKILL and restartable on the same port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import type { RelayOptions } from '../../src/relay/index.js';
import { RELAY_MODULE } from '../../scripts/built-paths.mjs';
import { ensureRelayBuilt, ROOT } from './build-relay.js';

/** A running child relay. */
export interface ChildRelay {
  child: ChildProcess;
  url: string;
  port: number;
  /** SIGKILL, resolved once the process is gone. */
  kill(): Promise<void>;
}

const SCRIPT = `
const { startRelay } = await import(process.argv[1]);
const relay = await startRelay(JSON.parse(process.argv[2]));
console.log('listening on ' + relay.url);
`;

/**
 * Starts the built relay (building it when stale) with these options, on 127.0.0.1,
 * resolving once it listens. Retries briefly when the port is still taken.
 */
export async function spawnRelay(options: RelayOptions & { dataDir: string }): Promise<ChildRelay> {
  ensureRelayBuilt();
  const entry = pathToFileURL(RELAY_MODULE).href;
  for (let attempt = 0; ; attempt++) {
    try {
      return await once(entry, { host: '127.0.0.1', ...options });
    } catch (err) {
      if (attempt >= 20 || !String(err).includes('EADDRINUSE')) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function once(entry: string, options: RelayOptions): Promise<ChildRelay> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', SCRIPT, entry, JSON.stringify(options)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`relay did not start: ${out}`));
    }, 15_000);
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)\n/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      const url = m[1]!;
      resolve({
        child,
        url,
        port: Number(new URL(url).port),
        kill: () =>
          new Promise<void>((r) => {
            if (child.exitCode !== null || child.signalCode !== null) return r();
            child.once('exit', () => r());
            child.kill('SIGKILL');
          }),
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`relay exited ${code}: ${out}`));
    });
  });
}
