// One build for every output of ARCHITECTURE.md, each with its source map, written into
// the two npm packages of packages/ (paths in scripts/built-paths.mjs):
//   parley-chat/dist/index.js     npm ESM: the element and the client (lit left to the
//                                 app's bundler; parts the script tag loads lazily are inlined)
//   parley-chat/dist/client.js    npm ESM: the headless client alone, minified, no Lit (and
//                                 client.development.js, the same with developer messages)
//   parley-relay/dist/cli.js, index.js  the Node relay and its `parley-relay` bin
//   parley-relay/dist/widget/     the script tag: parley.js, a small loader (IIFE) that
//                                 draws the launcher; parley-widget-*.js, the widget it
//                                 imports on first use (ES modules, hashed names); and
//                                 parley.es.js, … the locale tables it adds
//   parley-relay/dist/console/    the agent console (Preact), served at /console
//   parley-relay/dist/demo/       the demo page `--demo` serves
//
// TypeScript goes through @rollup/plugin-typescript; Lit's html`` and css`` templates
// (and the loader's plain `launcherCss`) are minified by
// @lit-labs/rollup-plugin-minify-html-literals, its CSS by lightningcss. No plugin here
// edits source text: the script-tag build drops its English developer messages by
// resolving `dev-mode.js` to a module whose DEV_MODE is false, and terser removes the
// branches that need it.
import { existsSync, mkdirSync, copyFileSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHAT_DIST, CONSOLE_DIR, RELAY_DIST, WIDGET_DIR } from './scripts/built-paths.mjs';
import typescript from '@rollup/plugin-typescript';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import minifyHTML from '@lit-labs/rollup-plugin-minify-html-literals';
import alias from '@rollup/plugin-alias';

const WIDGET_MANIFEST = join(WIDGET_DIR, 'widget-entry.json');
const browser = () => resolve({ browser: true, extensions: ['.mjs', '.js', '.ts', '.tsx', '.json'] });
// Types are checked by `npm run typecheck` over the whole tree; here the plugin compiles.
const ts = () => typescript({ tsconfig: 'tsconfig.build.json', noEmitOnError: false, outputToFilesystem: false });
const templates = () => minifyHTML({ include: ['src/**/*.ts'], failOnError: true, options: { minifyOptions: { removeAttributeQuotes: true } } });

// The browsers Parley supports run ES2022 (the source uses private class fields).
// `unsafe*` and `pure_getters` assume built-ins are not replaced and property reads have
// no side effects, which holds for this code and for Lit; `keep_fargs: false` drops
// unused parameters (nothing reads a function's `length`).
// With `members`, properties named `_…` are shortened as `#private` names are, which is
// Lit's own practice: they are shared between the files of one class (ClientCore and
// ChatClient). Terser renames them per output file, so such a member is never read by a
// lazily loaded chunk: those only use public names. No wire field, stored key or option
// starts with `_`. Only the widget and client builds ask for it.
const min = ({ members = false } = {}) =>
  terser({
    ecma: 2022,
    module: true,
    compress: { passes: 4, unsafe: true, unsafe_arrows: true, unsafe_methods: true, unsafe_comps: true, pure_getters: true, keep_fargs: false },
    mangle: members ? { properties: { regex: /^_[a-z]/ } } : true,
    format: { comments: false },
  });

/** The script tag's widget takes the launcher's rules from the loader's sheet (launcher-look-loaded.ts). */
const loaderLook = () => alias({ entries: [{ find: './launcher-look.js', replacement: './launcher-look-loaded.js' }] });

/**
 * The script tag's widget makes its client from `relay` alone, so the checks of the
 * other client options (option-hooks.ts) give way to option-hooks-none.ts there.
 */
const relayOnlyClient = () => alias({ entries: [{ find: './option-hooks.js', replacement: './option-hooks-none.js' }] });

/** Resolves `dev-mode.js` to `dev-mode-off.js` (DEV_MODE = false) for the script tag. */
const productionMode = () => alias({ entries: [{ find: './dev-mode.js', replacement: './dev-mode-off.js' }] });

/**
 * The widget's entry file name changes with its content; the loader learns it from a
 * virtual module, `virtual:widget-entry`, written by the widget's build just before.
 */
const recordEntry = () => ({
  name: 'record-entry',
  generateBundle(_, bundle) {
    const entry = Object.values(bundle).find((c) => c.type === 'chunk' && c.isEntry);
    // What loading the entry fetches at once (its static imports, transitively); chunks
    // behind a dynamic import() load later, when a customer needs them.
    const eager = new Set();
    const visit = (name) => bundle[name].imports.forEach((i) => eager.has(i) || (eager.add(i), visit(i)));
    visit(entry.fileName);
    mkdirSync(WIDGET_DIR, { recursive: true });
    writeFileSync(WIDGET_MANIFEST, JSON.stringify({ file: entry.fileName, imports: [...eager] }, null, 2));
  },
});
const widgetEntry = () => ({
  name: 'widget-entry',
  resolveId: (id) => (id === 'virtual:widget-entry' ? '\0widget-entry' : null),
  load: (id) => (id === '\0widget-entry' ? `export default ${JSON.stringify(JSON.parse(readFileSync(WIDGET_MANIFEST, 'utf8')).file)};` : null),
});

/** Removes the hashed widget files of earlier builds, so the folder holds one set. */
const cleanHashed = () => ({
  name: 'clean-hashed',
  buildStart() {
    if (!existsSync(WIDGET_DIR)) return;
    for (const f of readdirSync(WIDGET_DIR)) if (f.startsWith('parley-') && (f.endsWith('.js') || f.endsWith('.js.map'))) rmSync(join(WIDGET_DIR, f));
  },
});

/** Copies a folder's static files (not sources, nor the `.mjs` tools that run beside them). */
const copyDir = (from, to) => ({
  name: 'copy-static',
  writeBundle() {
    if (!existsSync(from)) return;
    mkdirSync(to, { recursive: true });
    for (const f of readdirSync(from)) if (!/\.(ts|tsx|mjs)$/.test(f)) copyFileSync(join(from, f), join(to, f));
  },
});

const nodeExternal = (id) => id.startsWith('node:') || ['ws', 'better-sqlite3', 'pg', 'ioredis'].includes(id);
const litExternal = (id) => id === 'lit' || id.startsWith('lit/') || id.startsWith('@lit/');

export default [
  // The script tag: first the widget (its entry's name feeds the loader), then the loader.
  {
    input: { 'parley-widget': 'src/embed/widget.ts' },
    // The lazy chunks import what they share from the entry itself, not from a third file.
    preserveEntrySignatures: 'allow-extension',
    // Maps are named by the relay's `SourceMap` header, as for the loader below.
    output: { dir: WIDGET_DIR, format: 'es', sourcemap: 'hidden', entryFileNames: '[name]-[hash].js', chunkFileNames: 'parley-[name]-[hash].js' },
    plugins: [cleanHashed(), productionMode(), loaderLook(), relayOnlyClient(), templates(), browser(), ts(), min({ members: true }), recordEntry()],
  },
  {
    input: 'src/embed/index.ts',
    // Its map is named by the relay's `SourceMap` header: every page view is spared the comment.
    output: { file: join(WIDGET_DIR, 'parley.js'), format: 'iife', sourcemap: 'hidden' },
    plugins: [widgetEntry(), productionMode(), templates(), browser(), ts(), min()],
  },
  // Languages other than English load beside parley.js on demand (parley.es.js, …).
  ...['es', 'de', 'ar'].map((lang) => ({
    input: `src/embed/locale-${lang}.ts`,
    output: { file: join(WIDGET_DIR, `parley.${lang}.js`), format: 'iife', sourcemap: true },
    plugins: [browser(), ts(), min()],
  })),
  {
    input: 'src/index.ts',
    output: { file: join(CHAT_DIST, 'index.js'), format: 'es', sourcemap: true, inlineDynamicImports: true },
    external: litExternal,
    plugins: [templates(), browser(), ts()],
  },
  // The headless client: uploads and downloads stay a file of their own (client-transfers.js),
  // loaded on first use, as in the script tag: an app that never sends a file never loads it.
  // As Lit does, it comes twice: client.js without the English developer messages (what an
  // app ships), and client.development.js with them, which bundlers pick under the
  // `development` export condition (package.json).
  ...[
    { name: 'client', mode: [productionMode()] },
    { name: 'client.development', mode: [] },
  ].map(({ name, mode }) => ({
    input: { [name]: 'src/client/index.ts' },
    // The lazy chunk imports what it shares from the entry itself, not from a third file.
    preserveEntrySignatures: 'allow-extension',
    output: { dir: CHAT_DIST, format: 'es', sourcemap: true, chunkFileNames: `${name.replace('client', 'client-[name]')}.js` },
    plugins: [...mode, browser(), ts(), min({ members: true })],
  })),
  {
    input: 'src/console/main.tsx',
    output: { file: join(CONSOLE_DIR, 'console.js'), format: 'iife', sourcemap: true },
    plugins: [browser(), ts(), min(), copyDir('src/console/static', CONSOLE_DIR)],
  },
  {
    input: { cli: 'src/relay/cli.ts', index: 'src/relay/index.ts' },
    output: { dir: RELAY_DIST, format: 'es', sourcemap: true, chunkFileNames: '[name].js', banner: (c) => (c.name === 'cli' ? '#!/usr/bin/env node' : '') },
    external: nodeExternal,
    plugins: [resolve({ preferBuiltins: true, extensions: ['.mjs', '.js', '.ts', '.json'] }), ts(), copyDir('demo', join(RELAY_DIST, 'demo'))],
  },
];
