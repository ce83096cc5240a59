// One build for every output of ARCHITECTURE.md:
//   dist/parley.js   script tag: IIFE, everything inlined, minified
//   dist/index.js    npm ESM: the element and the client (lit left to the app's bundler)
//   dist/client.js   npm ESM: the headless client alone, minified, no Lit
//   dist/console/    the agent console (Preact), served by the relay at /console
//   dist/relay/      the Node relay and its `parley-relay` bin
// Entries whose source does not exist yet are skipped, so the build works as parts land.
import { existsSync, mkdirSync, copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import typescript from 'typescript';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

// TypeScript is transpiled file by file here (fast, no type information needed);
// `npm run typecheck` and the declaration build check the types of the whole tree.
const tsOptions = JSON.parse(readFileSync('tsconfig.json', 'utf8')).compilerOptions;
const ts = () => ({
  name: 'ts-transpile',
  transform(code, id) {
    if (!/\.tsx?$/.test(id) || id.includes('node_modules')) return null;
    const out = typescript.transpileModule(code, {
      fileName: id,
      compilerOptions: {
        ...tsOptions,
        target: typescript.ScriptTarget.ES2022,
        module: typescript.ModuleKind.ESNext,
        moduleResolution: undefined,
        jsx: typescript.JsxEmit.ReactJSX,
        lib: undefined,
        types: undefined,
        noEmit: false,
        sourceMap: false,
      },
    });
    return { code: out.outputText, map: null };
  },
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

// After terser the only raw line breaks left are inside template literals (Lit's
// html`` and css``), where a run of white space means the same as one space.
const squeezeTemplates = () => ({
  name: 'squeeze-templates',
  renderChunk: (code) => ({ code: code.replace(/\n\s*/g, ' '), map: null }),
});

// The widget's stylesheet is written one rule per line (src/widget/styles.ts); in CSS
// a line break after '{', ';', '}' or ',' means nothing, so the build drops them.
const compactStyles = () => ({
  name: 'compact-styles',
  transform(code, id) {
    if (!id.endsWith('src/widget/styles.ts')) return null;
    return { code: code.replace(/String\.raw`([\s\S]*?)`/, (_, css) => `String.raw\`${css.replace(/([{};,])\s*\n\s*/g, '$1').trim()}\``), map: null };
  },
});

// The script-tag build words every client error by its code (src/widget/strings.ts),
// so the client's English developer messages would be dead weight there: they are
// emptied in dist/parley.js only, and so are the option checks' messages (the element
// makes its own client; an app developer meets them in dist/client.js and
// dist/index.js, which keep them all).
const dropClientErrorTexts = () => ({
  name: 'drop-client-error-texts',
  transform(code, id) {
    if (!/src[\\/]client[\\/][^\\/]+\.ts$/.test(id)) return null;
    return {
      code: code
        .replace(/chatError\(([^,()]+), (['`])(?:(?!\2)[^\\])*\2/g, "chatError($1, ''")
        .replace(/new (TypeError|RangeError)\((['`])(?:(?!\2)[^\\])*\2\)/g, 'new $1()'),
      map: null,
    };
  },
});

const copyDir = (from, to) => ({
  name: 'copy-static',
  writeBundle() {
    if (!existsSync(from)) return;
    mkdirSync(to, { recursive: true });
    for (const f of readdirSync(from)) if (!f.endsWith('.ts') && !f.endsWith('.tsx')) copyFileSync(join(from, f), join(to, f));
  },
});

const nodeExternal = (id) => id.startsWith('node:') || ['ws', 'better-sqlite3', 'pg', 'ioredis'].includes(id);

const configs = [];

if (existsSync('src/embed/index.ts')) {
  configs.push({
    input: 'src/embed/index.ts',
    output: { file: 'dist/parley.js', format: 'iife', sourcemap: false },
    plugins: [compactStyles(), dropClientErrorTexts(), replaceDevMode(), resolve({ browser: true, extensions: ['.mjs', '.js', '.ts', '.tsx', '.json'] }), ts(), min(), squeezeTemplates()],
  });
  // Languages other than English load beside parley.js on demand (dist/parley.es.js, …).
  for (const lang of ['es', 'de', 'ar']) {
    if (!existsSync(`src/embed/locale-${lang}.ts`)) continue;
    configs.push({
      input: `src/embed/locale-${lang}.ts`,
      output: { file: `dist/parley.${lang}.js`, format: 'iife', sourcemap: false },
      plugins: [resolve({ browser: true, extensions: ['.mjs', '.js', '.ts', '.tsx', '.json'] }), ts(), min(), squeezeTemplates()],
    });
  }
}
if (existsSync('src/index.ts')) {
  configs.push({
    input: 'src/index.ts',
    output: { file: 'dist/index.js', format: 'es', sourcemap: false },
    external: (id) => id === 'lit' || id.startsWith('lit/') || id.startsWith('@lit/'),
    plugins: [resolve({ browser: true, extensions: ['.mjs', '.js', '.ts', '.tsx', '.json'] }), ts()],
  });
}
if (existsSync('src/client/index.ts')) {
  configs.push({
    input: 'src/client/index.ts',
    output: { file: 'dist/client.js', format: 'es', sourcemap: false },
    plugins: [replaceDevMode(), resolve({ browser: true, extensions: ['.mjs', '.js', '.ts', '.tsx', '.json'] }), ts(), min()],
  });
}
if (existsSync('src/console/main.tsx')) {
  configs.push({
    input: 'src/console/main.tsx',
    output: { file: 'dist/console/console.js', format: 'iife', sourcemap: false },
    plugins: [replaceDevMode(), resolve({ browser: true, extensions: ['.mjs', '.js', '.ts', '.tsx', '.json'] }), ts(), min(), copyDir('src/console/static', 'dist/console')],
  });
}
if (existsSync('src/relay/cli.ts')) {
  configs.push({
    input: { cli: 'src/relay/cli.ts', index: 'src/relay/index.ts' },
    output: { dir: 'dist/relay', format: 'es', sourcemap: false, chunkFileNames: '[name].js', banner: (c) => (c.name === 'cli' ? '#!/usr/bin/env node' : '') },
    external: nodeExternal,
    plugins: [resolve({ preferBuiltins: true, extensions: ['.mjs', '.js', '.ts', '.json'] }), ts()],
  });
}

export default configs;
