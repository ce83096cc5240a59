// Row group 1 of the bench: the shipped bundles' bytes, raw, gzip -9 and brotli at
// maximum quality, against the size budgets. A bundle that is not built is a row that
// says so, never a crash.
import { existsSync, readFileSync } from 'node:fs';
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
