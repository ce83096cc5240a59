// Row group 1 of the bench: the shipped bundles' bytes, raw, gzip -9 and brotli at
// maximum quality, against the size budgets. A bundle that is not built is a row that
// says so, never a crash.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

/**
 * Measures one file.
 * @param {string} path
 * @returns {{ raw: number, gzip: number, brotli: number } | null} null when the file does not exist
 */
export function measure(path) {
  if (!existsSync(path)) return null;
  const buf = readFileSync(path);
  return {
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
      },
    }).length,
  };
}

/** The byte budgets (gzip -9) that the bench prints and the size test checks. */
export const BUDGETS = {
  /** parley.js, the loader every page view pays for. */
  loader: 1_500,
  /** Everything the script tag loads by the time the chat is open: the hard limit. */
  scriptTagOpen: 20_000,
  /** The same, as the goal. */
  scriptTagOpenGoal: 15_000,
  /** client.js, the headless client. */
  client: 6_000,
};

/**
 * The script tag's files in `dist` (the relay's widget folder): the loader, what the
 * widget's entry loads at once (from widget-entry.json, written by the build) and the chunks that load later.
 * @param {string} dist
 * @returns {{ loader: string, eager: string[], lazy: string[] } | null} file names; null when not built
 */
export function scriptTagFiles(dist) {
  const manifest = join(dist, 'widget-entry.json');
  if (!existsSync(manifest) || !existsSync(join(dist, 'parley.js'))) return null;
  const { file, imports } = JSON.parse(readFileSync(manifest, 'utf8'));
  const eager = [file, ...imports];
  const lazy = readdirSync(dist).filter((f) => /^parley-[\w-]+\.js$/.test(f) && !eager.includes(f));
  return { loader: 'parley.js', eager, lazy };
}

/**
 * The bench's rows for the shipped bundles: the loader, what the script tag loads at
 * once and later, the total once the chat is open (against the hard limit and the
 * goal), and the headless client.
 * @param {{ widgetDir: string, clientFile: string }} where
 * @param {(name: string, value: string, o?: { target?: string, status?: string }) => void} row
 */
export function sizeRows({ widgetDir: dist, clientFile }, row) {
  const verdict = (ok) => (ok ? 'met' : 'MISSED');
  const fmt = (n) => n.toLocaleString('en-US');
  const tag = scriptTagFiles(dist);
  if (!tag) row('script tag parley.js', 'not built', { target: `gzip ≤ ${fmt(BUDGETS.loader)} B`, status: 'MISSED (not built)' });
  else {
    const loader = measure(join(dist, tag.loader));
    row('script tag: loader parley.js gzip -9', `${fmt(loader.gzip)} B`, { target: `≤ ${fmt(BUDGETS.loader)} B`, status: verdict(loader.gzip <= BUDGETS.loader) });
    const eager = tag.eager.map((f) => measure(join(dist, f)).gzip);
    const sum = eager.reduce((a, b) => a + b, 0);
    row(`script tag: widget, loaded on first use (${tag.eager.length} file${tag.eager.length === 1 ? '' : 's'}) gzip -9`, `${fmt(sum)} B`);
    const lazy = tag.lazy.map((f) => measure(join(dist, f)).gzip);
    row(`script tag: chunks loaded only when needed (${tag.lazy.length}) gzip -9`, `${fmt(lazy.reduce((a, b) => a + b, 0))} B`);
    const open = loader.gzip + sum;
    row('script tag: loader + widget, all a chat needs, gzip -9', `${fmt(open)} B`, { target: `≤ ${fmt(BUDGETS.scriptTagOpen)} B`, status: verdict(open <= BUDGETS.scriptTagOpen) });
    row('script tag: loader + widget, gzip -9 (goal)', `${fmt(open)} B`, { target: `≤ ${fmt(BUDGETS.scriptTagOpenGoal)} B`, status: verdict(open <= BUDGETS.scriptTagOpenGoal) });
  }
  const client = measure(clientFile);
  if (!client) row('client parley-chat/dist/client.js', 'not built', { target: `gzip ≤ ${fmt(BUDGETS.client)} B`, status: 'MISSED (not built)' });
  else {
    row('client parley-chat/dist/client.js gzip -9', `${fmt(client.gzip)} B`, { target: `≤ ${fmt(BUDGETS.client)} B`, status: verdict(client.gzip <= BUDGETS.client) });
    row('client parley-chat/dist/client.js brotli (q 11)', `${fmt(client.brotli)} B`);
  }
}
