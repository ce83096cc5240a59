// One build for every output of ARCHITECTURE.md:
//   dist/parley.js   script tag: IIFE, everything inlined, minified
//   dist/index.js    npm ESM: the element and the client (lit left to the app's bundler)
//   dist/client.js   npm ESM: the headless client alone, minified, no Lit
//   dist/console/    the agent console (Preact), served by the relay at /console
//   dist/relay/      the Node relay and its `parley-relay` bin
// Entries whose source does not exist yet are skipped, so the build works as parts land.
import { existsSync, mkdirSync, copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import typescript from '@rollup/plugin-typescript';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const ts = () =>
  typescript({
    tsconfig: './tsconfig.json',
    include: ['src/**/*.ts', 'src/**/*.tsx'],
    compilerOptions: { noEmit: false, declaration: false, sourceMap: false, outDir: undefined },
    noEmitOnError: true,
  });

// DEV_MODE warnings are compiled out of the minified builds.
const replaceDevMode = () => ({
  name: 'dev-mode',
  transform(code) {
    return code.includes('DEV_MODE') ? code.replace(/\bDEV_MODE\b(?!\s*[=:])/g, 'false') : null;
  },
});

const min = () =>
  terser({
    ecma: 2020,
    module: true,
    compress: { passes: 3, unsafe_arrows: true },
    format: { comments: false },
  });

const copyDir = (from, to) => ({
  name: 'copy-static',
  writeBundle() {
    if (!existsSync(from)) return;
    mkdirSync(to, { recursive: true });
    for (const f of readdirSync(from)) if (!f.endsWith('.ts') && !f.endsWith('.tsx')) copyFileSync(join(from, f), join(to, f));
  },
});

const nodeExternal = (id) => id.startsWith('node:') || ['ws', 'better-sqlite3'].includes(id);

const configs = [];

if (existsSync('src/embed/index.ts')) {
  configs.push({
    input: 'src/embed/index.ts',
    output: { file: 'dist/parley.js', format: 'iife', sourcemap: false },
    plugins: [replaceDevMode(), resolve({ browser: true }), ts(), min()],
  });
}
if (existsSync('src/index.ts')) {
  configs.push({
    input: 'src/index.ts',
    output: { file: 'dist/index.js', format: 'es', sourcemap: false },
    external: (id) => id === 'lit' || id.startsWith('lit/') || id.startsWith('@lit/'),
    plugins: [resolve({ browser: true }), ts()],
  });
}
if (existsSync('src/client/index.ts')) {
  configs.push({
    input: 'src/client/index.ts',
    output: { file: 'dist/client.js', format: 'es', sourcemap: false },
    plugins: [replaceDevMode(), resolve({ browser: true }), ts(), min()],
  });
}
if (existsSync('src/console/main.tsx')) {
  configs.push({
    input: 'src/console/main.tsx',
    output: { file: 'dist/console/console.js', format: 'iife', sourcemap: false },
    plugins: [replaceDevMode(), resolve({ browser: true }), ts(), min(), copyDir('src/console/static', 'dist/console')],
  });
}
if (existsSync('src/relay/cli.ts')) {
  configs.push({
    input: { cli: 'src/relay/cli.ts', index: 'src/relay/index.ts' },
    output: { dir: 'dist/relay', format: 'es', sourcemap: false, banner: (c) => (c.name === 'cli' ? '#!/usr/bin/env node' : '') },
    external: nodeExternal,
    plugins: [resolve({ preferBuiltins: true }), ts()],
  });
}

export default configs;
