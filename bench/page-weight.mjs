// Row group "page weight, measured in Chromium": what Parley costs the page it is
// embedded in, seen from a real browser rather than from the built files. The bundle
// sizes of sizes.mjs say how big parley.js is; they cannot say how much script a visitor
// downloads (a loader may import more files from beside itself, now or after a click),
// nor how long that script keeps the page's main thread busy. So this file:
//   - runs Parley's built relay in a child (server.mjs, in-memory SQLite store), which
//     serves /parley.js and the files beside it, with one agent signed in (so the widget
//     offers a live chat, not "leave a message");
//   - serves a plain host page from a second loopback server (another port, so another
//     origin), once with Parley's script tag and once without (the baseline);
//   - drives Debian's Chromium through playwright-core, each load in a fresh context, and
//     counts every script response (any origin, any name, module chunks included) by the
//     gzip -9 size of its body (the measure of sizes.mjs; the relay does not compress),
//     before any interaction and again once a chat is open with one message sent;
//   - times Parley's own script on the main thread with a CPU profile (self time of the
//     functions whose script came from the relay's origin), next to the page's whole
//     ScriptDuration and TaskDuration (Performance.getMetrics) with and without Parley.
// Chromium is /usr/bin/chromium or $PARLEY_CHROMIUM (as in test/e2e/browser.ts); when it
// (or playwright-core) is missing the rows say "not run". Loopback only; every wait is
// bounded; about 20 s.
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import WebSocket from 'ws';
import { spawnWorker } from './ipc.mjs';
import { fmt, ms, sleep } from './stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const CHROMIUM = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium';
const LAUNCH_ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const LOADS = 5; // page loads per variant for the main-thread figures (median)
// "Network idle": this long with no request in flight or started, never waiting more than
// IDLE_CAP_MS. The byte counts wait QUIET_MS; the five timed loads of each variant wait
// Playwright's `networkidle` 500 ms, which keeps the group near 20 s.
const QUIET_MS = 1_000;
const TIMED_QUIET_MS = 500;
const IDLE_CAP_MS = 10_000;
const SAMPLING_US = 100; // CPU profile sampling interval
const EMAIL = 'bench@example.com';
const TEXT = 'Hello from the page-weight bench';
const P = 'page weight (Chromium)';

// ---- pure helpers (checked by selftest.mjs) --------------------------------------------

/** The median of `values` (mean of the middle two for an even count); NaN when empty. */
export function median(values) {
  const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Sums the script responses a page received: `{ url, status, gzip }` each, or `{ url, error }`.
 * Only 2xx bodies count; the others are listed in `failed` so a missing chunk is seen, not summed.
 * @returns {{ bytes: number, files: number, list: { url: string, gzip: number }[], failed: string[] }}
 */
export function tallyScripts(responses) {
  const ok = responses.filter((r) => !r.error && r.status >= 200 && r.status < 300);
  const failed = responses.filter((r) => !ok.includes(r)).map((r) => `${r.url} (${r.error ?? `HTTP ${r.status}`})`);
  return { bytes: ok.reduce((a, r) => a + r.gzip, 0), files: ok.length, list: ok.map(({ url, gzip }) => ({ url, gzip })), failed };
}

/**
 * Self time (ms) in a V8 CPU profile (`Profiler.stop`'s `profile`) of the functions whose
 * script URL starts with `prefix`. A sample's time is the gap to the next sample (the
 * last one runs to `endTime`), as DevTools counts it.
 */
export function selfTimeByUrl(profile, prefix) {
  const mine = new Set(profile.nodes.filter((n) => n.callFrame.url.startsWith(prefix)).map((n) => n.id));
  const { samples = [], timeDeltas = [] } = profile;
  let t = profile.startTime;
  let us = 0;
  for (let i = 0; i < samples.length; i++) {
    t += timeDeltas[i];
    const next = i + 1 < samples.length ? t + timeDeltas[i + 1] : profile.endTime;
    if (mine.has(samples[i])) us += Math.max(0, next - t);
  }
  return us / 1000;
}

/** The host page: a paragraph, and Parley's script tag when `relay` is given. */
export function hostPage(relay) {
  const tag = relay ? `\n<script src="${relay}/parley.js" data-relay="${relay}" async></script>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Host page</title><link rel="icon" href="data:,">${tag}</head>
<body><p>A plain page that a site might have: one paragraph of text, no script of its own. The bench loads it with Parley's script tag and without, and compares what the browser downloads and runs.</p></body></html>
`;
}

// ---- servers ----------------------------------------------------------------------------

/** Serves `/` (with Parley) and `/bare` (without) on 127.0.0.1 port 0. */
async function startHostServer(relay) {
  const pages = { '/': hostPage(relay), '/bare': hostPage(null) };
  const server = createServer((req, res) => {
    const body = pages[new URL(req.url, 'http://x').pathname];
    res.writeHead(body ? 200 : 404, { 'Content-Type': body ? 'text/html; charset=utf-8' : 'text/plain', 'Cache-Control': 'no-store' });
    res.end(body ?? 'not found');
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))) };
}

// ---- one page in Chromium ---------------------------------------------------------------

/**
 * A fresh context and page that records every script response and can wait for the
 * network to go quiet. WebSockets are not requests here, so an open chat does not count as busy.
 */
async function openPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const scripts = [];
  const errors = [];
  let inflight = 0;
  let last = Date.now();
  page.on('request', () => (inflight++, (last = Date.now())));
  const done = () => ((inflight = Math.max(0, inflight - 1)), (last = Date.now()));
  page.on('requestfinished', done);
  page.on('requestfailed', (r) => {
    done();
    if (r.resourceType() === 'script') scripts.push(Promise.resolve({ url: r.url(), error: r.failure()?.errorText ?? 'failed' }));
  });
  page.on('response', (r) => {
    if (r.request().resourceType() !== 'script') return;
    const base = { url: r.url(), status: r.status() };
    scripts.push(r.body().then((b) => ({ ...base, gzip: gzipSync(b, { level: 9 }).length }), (e) => ({ ...base, error: String(e.message).split('\n')[0] })));
  });
  page.on('pageerror', (e) => errors.push(String(e.message).split('\n')[0]));
  const said = []; // console errors
  page.on('console', (m) => m.type() === 'error' && said.push(m.text().split('\n')[0]));
  /** Resolves true once nothing was in flight for `quietMs`, false when IDLE_CAP_MS passed first. */
  const idle = async (quietMs) => {
    const until = Date.now() + IDLE_CAP_MS;
    while (Date.now() < until) {
      if (inflight === 0 && Date.now() - last >= quietMs) return true;
      await sleep(50);
    }
    return false;
  };
  return { context, page, errors, said, idle, scripts: async () => tallyScripts(await Promise.all(scripts)) };
}

/**
 * Loads `url` once, profiled from before navigation until the network is idle; returns
 * its scripts, Parley's self time (scripts from `relayOrigin`) and the page's metrics.
 */
async function profiledLoad(browser, url, relayOrigin) {
  const p = await openPage(browser);
  try {
    const cdp = await p.context.newCDPSession(p.page);
    await cdp.send('Performance.enable');
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: SAMPLING_US });
    await cdp.send('Profiler.start');
    await p.page.goto(url, { waitUntil: 'load', timeout: IDLE_CAP_MS });
    const quiet = await p.idle(TIMED_QUIET_MS);
    const { profile } = await cdp.send('Profiler.stop');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const metric = (name) => (metrics.find((m) => m.name === name)?.value ?? NaN) * 1000;
    return {
      quiet,
      errors: p.errors,
      said: p.said,
      scripts: await p.scripts(),
      parleyMs: selfTimeByUrl(profile, `${relayOrigin}/`),
      scriptMs: metric('ScriptDuration'),
      taskMs: metric('TaskDuration'),
    };
  } finally {
    await p.context.close().catch(() => {});
  }
}

/**
 * Loads the Parley page and counts its scripts once the network is idle (`before`); then
 * opens the chat as a visitor would (the first visible launcher, again if a loader's
 * launcher was replaced under the click), starts a chat with an email, sends one message,
 * waits for it to show and the network to go quiet, and counts every script loaded so
 * far (`open`). A step that fails leaves `error` and no `open`.
 */
async function chatOpened(browser, url) {
  const p = await openPage(browser);
  const out = { errors: p.errors, said: p.said, quiet: true };
  try {
    await p.page.goto(url, { waitUntil: 'load', timeout: IDLE_CAP_MS });
    out.quiet = await p.idle(QUIET_MS);
    out.before = await p.scripts();
    await visitorSteps(p.page);
    out.quiet = (await p.idle(QUIET_MS)) && out.quiet;
    out.open = await p.scripts();
  } catch (err) {
    out.after = await p.scripts(); // what was loaded when the step failed, for the notes
    out.error = String(err.message ?? err).split('\n')[0]; // what the page logged goes to the notes
  } finally {
    await p.context.close().catch(() => {});
  }
  return out;
}

/** Launcher, pre-chat form, one message: by the widget's parts and field types, not its words. */
async function visitorSteps(page) {
  const email = page.locator('input[type="email"]').filter({ visible: true }).first();
  for (let i = 0; i < 2 && !(await email.isVisible()); i++) {
    await page.locator('[part~="launcher"]').filter({ visible: true }).first().click({ timeout: 5_000 });
    await email.waitFor({ state: 'visible', timeout: 3_000 }).catch(() => {});
  }
  await email.fill(EMAIL, { timeout: 2_000 });
  await email.press('Enter'); // submits the pre-chat form
  const composer = page.locator('[part~="composer"] textarea').filter({ visible: true }).first();
  await composer.fill(TEXT, { timeout: 10_000 });
  await composer.press('Enter');
  await page.locator('[part~="message-visitor"]').filter({ hasText: TEXT }).first().waitFor({ state: 'visible', timeout: 10_000 });
}

// ---- the run ----------------------------------------------------------------------------

/** Why the group cannot run here, or null. */
function missing(relayModule) {
  if (!existsSync(CHROMIUM)) return `not run: ${CHROMIUM} not found (Debian: apt-get install -y chromium)`;
  if (!existsSync(relayModule) || !existsSync(join(dirname(relayModule), 'widget', 'parley.js'))) return 'not run: not built (npm run build)';
  return null;
}

/**
 * Signs an agent in (online by default), so that the widget offers a live chat, the path
 * the budget is for, rather than "leave a message"; resolves once welcomed.
 */
function agentOnline(url, token) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/agent`);
    const timer = setTimeout(() => (ws.terminate(), reject(new Error('agent not welcomed in 10 s'))), 10_000);
    ws.on('open', () => ws.send(JSON.stringify({ t: 'hello', id: 'hello', token })));
    ws.on('error', (err) => (clearTimeout(timer), reject(err)));
    ws.on('message', (data) => {
      if (JSON.parse(data.toString()).t !== 'welcome') return;
      clearTimeout(timer);
      resolve(ws);
    });
  });
}

/** Starts the relay, the host server and Chromium; measures; stops all three in every case. */
async function measurePages(relayModule, log) {
  const { chromium } = await import('playwright-core');
  const relay = spawnWorker(join(here, 'server.mjs'));
  let host = null;
  let browser = null;
  let agent = null;
  const out = { loads: { parley: [], bare: [] } };
  try {
    const started = await relay.call('start', { kind: 'parley-memory', agents: 1, relayModule: pathToFileURL(relayModule).href }, 30_000);
    agent = await agentOnline(started.url, started.agents[0].token);
    host = await startHostServer(started.url);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
    out.relayOrigin = started.url;
    // Interleaved, so a noisy moment on the machine falls on both variants alike.
    for (let i = 0; i < LOADS; i++) {
      out.loads.parley.push(await profiledLoad(browser, `${host.url}/`, started.url));
      out.loads.bare.push(await profiledLoad(browser, `${host.url}/bare`, started.url));
    }
    log(`page: ${LOADS} loads with Parley and ${LOADS} without`);
    out.chat = await chatOpened(browser, `${host.url}/`);
    log(`page: ${out.chat.error ? `chat not opened: ${out.chat.error}` : `chat opened, ${fmt(out.chat.open.bytes)} B gzip of script loaded`}`);
    out.relayLogs = await relay.call('logs', {}, 5_000).catch(() => null);
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (host) await host.close();
    agent?.terminate();
    await relay.call('stop', {}, 15_000).catch(() => {});
    await relay.end();
  }
  return out;
}

// ---- rows -------------------------------------------------------------------------------

const shortUrl = (u, origin) => (u.startsWith(`${origin}/`) ? u.slice(origin.length) : u);
const bytesIn = (t) => `${fmt(t.bytes)} B gzip in ${fmt(t.files)} file${t.files === 1 ? '' : 's'}`;
/** The script tally of the load with the median byte count. */
function typicalScripts(loads) {
  const m = median(loads.map((l) => l.scripts.bytes));
  return (loads.find((l) => l.scripts.bytes === m) ?? loads[0]).scripts;
}

/**
 * Runs the group and adds its rows (and notes) through `row(name, value, extra)`.
 * @param {{ relayModule: string, targets: { widgetGzip: number, widgetGoal: number }, row: Function, notes: string[], log: (l: string) => void }} o
 */
export async function pageWeight({ relayModule, targets, row, notes, log }) {
  const names = {
    before: `${P}: script before any interaction, gzip -9 of every script response (load + ${fmt(QUIET_MS / 1000)} s network idle)`,
    open: `${P}: script once the chat is open (launcher, pre-chat form, one message sent), gzip -9`,
    openGoal: `${P}: script once the chat is open, gzip -9 (goal)`,
    parleyMs: `${P}: main-thread time in Parley's script before any interaction (CPU profile self time of relay-origin functions, median of ${LOADS} loads)`,
    taskMs: `${P}: main-thread task time before any interaction (Performance.getMetrics TaskDuration, median of ${LOADS} loads)`,
  };
  let why = missing(relayModule);
  let r = null;
  if (!why) {
    try {
      r = await measurePages(relayModule, log);
    } catch (err) {
      const msg = String(err.message ?? err).split('\n')[0];
      why = /Cannot find (package|module) 'playwright-core'/.test(msg) ? 'not run: playwright-core not installed' : `error: ${msg}`;
      log(`page: ${why}`);
    }
  }
  if (!r) {
    row(names.before, why);
    row(names.open, why, { target: `≤ ${fmt(targets.widgetGzip)} B` });
    row(names.openGoal, why, { target: `≤ ${fmt(targets.widgetGoal)} B` });
    row(names.parleyMs, why);
    row(names.taskMs, why);
    return;
  }
  const timed = typicalScripts(r.loads.parley);
  const bare = typicalScripts(r.loads.bare);
  // Bytes come from the visitor's load (the longer idle wait); the timed loads cross-check them.
  const before = r.chat.before ?? timed;
  const open = r.chat.open;
  const med = (variant, key) => median(r.loads[variant].map((l) => l[key]));
  row(names.before, bytesIn(before), { baseline: `${bytesIn(bare)} (page without Parley)` });
  const openRow = (name, limit) =>
    row(name, open ? bytesIn(open) : `error: ${r.chat.error} (see the notes)`, {
      target: `≤ ${fmt(limit)} B`,
      status: !open ? 'MISSED (chat not opened)' : open.bytes <= limit ? 'met' : 'MISSED',
    });
  openRow(names.open, targets.widgetGzip);
  openRow(names.openGoal, targets.widgetGoal);
  row(names.parleyMs, ms(med('parley', 'parleyMs')), {
    baseline: `page ScriptDuration ${ms(med('parley', 'scriptMs'))} with Parley, ${ms(med('bare', 'scriptMs'))} without`,
  });
  const [tw, tb] = [med('parley', 'taskMs'), med('bare', 'taskMs')];
  row(names.taskMs, ms(tw), { baseline: `${ms(tb)} (page without Parley)`, ratio: tb > 0 ? `${fmt(tw / tb, 2)}×` : '—' });
  pageNotes(r, { before, timed, bare, open }, notes);
}

/** Notes under the table: which scripts were counted, and anything that went wrong or varied. */
function pageNotes(r, { before, timed, bare, open }, notes) {
  const list = (t) => t.list.map((f) => `${shortUrl(f.url, r.relayOrigin)} ${fmt(f.gzip)} B`).join(', ') || 'none';
  notes.push(`page: scripts before any interaction with Parley: ${list(before)}; without: ${list(bare)}`);
  if (open) notes.push(`page: scripts once the chat is open: ${list(open)}`);
  const counts = r.loads.parley.map((l) => l.scripts.bytes);
  if (counts.some((b) => b !== before.bytes)) {
    notes.push(`page: the ${LOADS} timed loads (${TIMED_QUIET_MS} ms idle wait) counted ${counts.map((b) => fmt(b)).join(', ')} B of script before any interaction, not ${fmt(before.bytes)} B`);
  }
  const chat = { ...r.chat, scripts: open ?? r.chat.after ?? { failed: [] } };
  const all = [...r.loads.parley, ...r.loads.bare, chat];
  const failed = [...new Set(all.flatMap((l) => l.scripts.failed))];
  if (failed.length) notes.push(`page: script requests that failed (not counted): ${failed.join('; ')}`);
  const errors = [...new Set(all.flatMap((l) => [...l.errors, ...l.said]))];
  if (errors.length) notes.push(`page: errors in the page (thrown or logged): ${errors.slice(0, 5).join('; ')}`);
  const loud = all.filter((l) => !l.quiet).length;
  if (loud) notes.push(`page: ${loud} of ${all.length} waits for network idle stopped at the ${fmt(IDLE_CAP_MS / 1000)} s bound`);
  if (r.relayLogs?.count) notes.push(`page: the relay logged ${fmt(r.relayLogs.count)} lines; the first: ${r.relayLogs.first.map((x) => JSON.stringify(x)).join(' ')}`);
  notes.push(
    `page: main-thread figures come from load + ${TIMED_QUIET_MS} ms network idle under a ${SAMPLING_US} µs CPU profile, on a machine whose load average the table's first line gives; Parley's time counts its JavaScript only (style and layout it causes are in TaskDuration)`,
  );
}
