// `npm install parley-chat` in a front-end app brings the element and the client with
// lit and nothing native: no compiler runs, no binary lands in node_modules. The
// tarball holds the built files, their types and the Custom Elements Manifest.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packAndInstall, type Installed } from '../relay/npm-pack.js';

/** Every package folder under node_modules (scoped ones included). */
function packages(modules: string): string[] {
  if (!existsSync(modules)) return [];
  return readdirSync(modules).flatMap((name) => {
    if (name.startsWith('.')) return [];
    const p = join(modules, name);
    if (name.startsWith('@')) return packages(p);
    return [p, ...packages(join(p, 'node_modules'))];
  });
}

describe('the npm package parley-chat', () => {
  let app: Installed;
  beforeAll(async () => {
    app = await packAndInstall('parley-chat');
  }, 180_000);
  afterAll(() => app?.remove());

  it('holds the built element, client, types and custom-elements.json', () => {
    const files = app.files.map((f) => f.path);
    for (const f of ['package.json', 'dist/index.js', 'dist/client.js', 'dist/client.development.js', 'dist/types/index.d.ts', 'dist/types/client/index.d.ts', 'custom-elements.json']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => f.startsWith('src/') || f.includes('/relay/') || f.endsWith('cli.js'))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(app.dir, 'node_modules/parley-chat/custom-elements.json'), 'utf8')) as {
      modules: { declarations: { tagName?: string; attributes?: { name: string }[] }[] }[];
    };
    const element = manifest.modules.flatMap((m) => m.declarations).find((d) => d.tagName === 'parley-chat');
    expect(element?.attributes?.map((a) => a.name)).toContain('relay');
  });

  it('gives apps the client without developer messages, and with them under the development condition', async () => {
    // What a bundler resolves: `default` for a production build, `development` for a
    // development one (Vite's dev server, webpack in development mode).
    const message = async (conditions: string[]) => {
      const code = "import { ChatClient } from 'parley-chat/client'; try { new ChatClient({}); } catch (e) { console.log(JSON.stringify([e.name, e.message])); }";
      const { stdout } = await promisify(execFile)(process.execPath, [...conditions, '--input-type=module', '-e', code], { cwd: app.dir, timeout: 20_000 });
      return JSON.parse(stdout) as [string, string];
    };
    expect(await message([])).toEqual(['TypeError', '']);
    expect(await message(['--conditions=development'])).toEqual(['TypeError', 'options.relay must be a string']);
  });

  it('depends on lit alone, and installs nothing native', () => {
    const pkg = JSON.parse(readFileSync(join(app.dir, 'node_modules/parley-chat/package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).toEqual(['lit']);
    const installed = packages(join(app.dir, 'node_modules'));
    expect(installed.map((p) => p.split('node_modules/').pop())).toContain('lit');
    for (const p of installed) {
      const meta = JSON.parse(readFileSync(join(p, 'package.json'), 'utf8')) as { gypfile?: boolean; scripts?: Record<string, string> };
      expect({ p, gyp: meta.gypfile ?? existsSync(join(p, 'binding.gyp')), install: meta.scripts?.['install'] ?? meta.scripts?.['postinstall'] ?? null }).toEqual({ p, gyp: false, install: null });
    }
  });
});
