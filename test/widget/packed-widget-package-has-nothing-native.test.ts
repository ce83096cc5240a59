// `npm install parley-chat` in a front-end app brings the element and the client with
// lit and nothing native: no compiler runs, no binary lands in node_modules. The
// tarball holds the built files, their types and the Custom Elements Manifest.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
    for (const f of ['package.json', 'dist/index.js', 'dist/client.js', 'dist/types/index.d.ts', 'dist/types/client/index.d.ts', 'custom-elements.json']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => f.startsWith('src/') || f.includes('/relay/') || f.endsWith('cli.js'))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(app.dir, 'node_modules/parley-chat/custom-elements.json'), 'utf8')) as {
      modules: { declarations: { tagName?: string; attributes?: { name: string }[] }[] }[];
    };
    const element = manifest.modules.flatMap((m) => m.declarations).find((d) => d.tagName === 'parley-chat');
    expect(element?.attributes?.map((a) => a.name)).toContain('relay');
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
