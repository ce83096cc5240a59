// Small numeric helpers shared by the bench processes: a wall clock that is comparable
// across processes on one machine, percentiles, and number formatting for the table.
// No I/O here; every process imports it.

/** Milliseconds since the epoch with sub-millisecond precision, comparable across processes. */
export function now() {
  return performance.timeOrigin + performance.now();
}

/**
 * Summarises latency samples (milliseconds).
 * @param {number[]} samples
 * @returns {{count: number, p50: number, p95: number, p99: number, max: number}}
 */
export function summarize(samples) {
  if (samples.length === 0) return { count: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN };
  const s = Float64Array.from(samples).sort();
  const at = (q) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { count: s.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: s[s.length - 1] };
}

/** Formats a number with thousands separators and at most `digits` decimals. */
export function fmt(n, digits = 0) {
  if (n === undefined || n === null || Number.isNaN(n)) return 'n/a';
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** Formats milliseconds for the table. */
export function ms(n) {
  if (Number.isNaN(n)) return 'n/a';
  return `${fmt(n, n < 10 ? 2 : 1)} ms`;
}

/** Resolves after `t` milliseconds. */
export function sleep(t) {
  return new Promise((r) => setTimeout(r, t));
}
