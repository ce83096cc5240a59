// The relay is its own npm package, parley-relay: installed from its tarball, its bin
// runs with `npx parley-relay --demo` and serves the demo page, the script tag and the
// console it carries. better-sqlite3's native build is the one slow step of such an
// install (about a minute); the test installs with --ignore-scripts and puts in the
// binary this repository already built for the same version and Node, which is what
// the package's prebuilt download does on a machine with internet access.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/built-paths.mjs';
import { packAndInstall, type Installed } from './npm-pack.js';

const SQLITE = join(ROOT, 'node_modules/better-sqlite3');
const sqliteVersion = (JSON.parse(readFileSync(join(SQLITE, 'package.json'), 'utf8')) as { version: string }).version;

describe('the npm package parley-relay', () => {
  let app: Installed;
  let relay: ChildProcess | undefined;
  let url = '';

  beforeAll(async () => {
    app = await packAndInstall('parley-relay', ['--ignore-scripts', `better-sqlite3@${sqliteVersion}`]);
    const release = join(app.dir, 'node_modules/better-sqlite3/build/Release');
    mkdirSync(release, { recursive: true });
    copyFileSync(join(SQLITE, 'build/Release/better_sqlite3.node'), join(release, 'better_sqlite3.node'));
  }, 180_000);

  afterAll(async () => {
    if (relay?.pid !== undefined && relay.exitCode === null) {
      const exited = new Promise((r) => relay!.once('exit', r));
      process.kill(-relay.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      try {
        process.kill(-relay.pid, 'SIGKILL');
      } catch {
        // the whole group has already gone
      }
    }
    app?.remove();
  });

  it('holds the relay, the script tag, the console and the demo page, and no sources', () => {
    const files = app.files.map((f) => f.path);
    for (const f of ['dist/cli.js', 'dist/index.js', 'dist/widget/parley.js', 'dist/console/index.html', 'dist/console/console.js', 'dist/demo/index.html']) {
      expect(files).toContain(f);
    }
    expect(files.some((f) => /^dist\/widget\/parley-widget-[\w-]+\.js$/.test(f))).toBe(true);
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
  });

  it('runs with `npx parley-relay --demo` and serves the demo, the script tag and the console', async () => {
    // Its own process group: npx runs the bin through a shell, and all of them must stop.
    relay = spawn('npx', ['--no-install', 'parley-relay', '--demo', '--port', '0', '--data', join(app.dir, 'data')], { cwd: app.dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "listening on" within 20 s: ${out}`)), 20_000);
      const read = (b: Buffer) => {
        out += String(b);
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      relay!.stdout!.on('data', read);
      relay!.stderr!.on('data', read);
      relay!.on('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
    });
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('parley.js');
    const loader = await fetch(`${url}/parley.js`);
    expect(loader.status).toBe(200);
    expect(loader.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const widget = /parley-widget-[\w-]+\.js/.exec(await loader.text())?.[0];
    expect((await fetch(`${url}/${widget}`)).status).toBe(200);
    expect((await fetch(`${url}/console/`)).status).toBe(200);
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ ok: true });
  }, 30_000);
});
