// Checks the bench's own machinery before anyone trusts its table: percentiles, the size
// reader (including a bundle that is not built), the page-weight helpers, the baseline
// relay's forwarding, claims and acks, the server process over IPC, Parley's relay on its
// stores, the private PostgreSQL and Redis, and two relays sharing them (these last
// checks say "skip" when the relay is not built or PostgreSQL or Redis is not installed).
// `node bench/selftest.mjs`; loopback only; about 10 s with PostgreSQL and Redis.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { summarize } from './stats.mjs';
import { measure } from './sizes.mjs';
import { hostPage, median, selfTimeByUrl, tallyScripts } from './page-weight.mjs';
import { startBaseline } from './baseline-relay.mjs';
import { spawnWorker } from './ipc.mjs';
import { missingBinaries, startBackends } from './servers.mjs';
import { RELAY_MODULE } from '../scripts/built-paths.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const relayModule = RELAY_MODULE;
const checks = [];
const check = (name, fn) => checks.push({ name, fn });
/** A check returns this to say it could not run here (and why) instead of passing. */
const skip = (why) => ({ skipped: why });
const alive = (pid) => Number.isInteger(pid) && existsSync(`/proc/${pid}`) && !/\) Z /.test(readProc(pid));
function readProc(pid) {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return '';
  }
}

check('summarize: nearest-rank percentiles of 1..100 and an empty set', () => {
  const s = summarize(Array.from({ length: 100 }, (_, i) => 100 - i));
  assert.deepEqual([s.count, s.p50, s.p95, s.p99, s.max], [100, 50, 95, 99, 100]);
  assert.equal(summarize([]).count, 0);
  assert.ok(Number.isNaN(summarize([]).p99));
});

check('measure: a missing bundle is null; a file gives raw, gzip and brotli bytes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-self-'));
  try {
    assert.equal(measure(join(dir, 'missing.js')), null);
    const body = 'export const x = "parley";\n'.repeat(400);
    writeFileSync(join(dir, 'a.js'), body);
    const m = measure(join(dir, 'a.js'));
    assert.equal(m.raw, Buffer.byteLength(body));
    assert.ok(m.gzip > 0 && m.gzip < m.raw / 10, `gzip ${m.gzip}`);
    assert.ok(m.brotli > 0 && m.brotli < m.raw / 10, `brotli ${m.brotli}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

check('page weight: median, script tally (2xx only), profile self time by script URL, host page with and without the tag', () => {
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
  const t = tallyScripts([
    { url: 'http://r/parley.js', status: 200, gzip: 1500 },
    { url: 'http://r/parley-widget-ab12.js', status: 200, gzip: 12000 },
    { url: 'http://r/parley-gone.js', status: 404, gzip: 30 },
    { url: 'http://r/parley-cut.js', error: 'net::ERR_FAILED' },
  ]);
  assert.deepEqual([t.bytes, t.files, t.list.map((f) => f.url)], [13500, 2, ['http://r/parley.js', 'http://r/parley-widget-ab12.js']]);
  assert.deepEqual(t.failed, ['http://r/parley-gone.js (HTTP 404)', 'http://r/parley-cut.js (net::ERR_FAILED)']);
  // Samples at 0, 1000, 3000, 6000 µs of nodes 2, 3, 2, 4; the profile ends at 10000 µs.
  // Node 2 (relay) owns 1000 + 3000 µs; node 4 (relay) the last 4000 µs; node 3 is another origin.
  const frame = (url) => ({ functionName: 'f', url, lineNumber: 0, columnNumber: 0, scriptId: '1' });
  const profile = {
    nodes: [
      { id: 1, callFrame: frame('') },
      { id: 2, callFrame: frame('http://127.0.0.1:4000/parley.js') },
      { id: 3, callFrame: frame('http://127.0.0.1:40001/parley.js') },
      { id: 4, callFrame: frame('http://127.0.0.1:4000/parley-widget-ab12.js') },
    ],
    startTime: 0,
    endTime: 10000,
    samples: [2, 3, 2, 4],
    timeDeltas: [0, 1000, 2000, 3000],
  };
  assert.equal(selfTimeByUrl(profile, 'http://127.0.0.1:4000/'), 8);
  assert.equal(selfTimeByUrl(profile, 'http://127.0.0.1:9/'), 0);
  assert.match(hostPage('http://127.0.0.1:4000'), /<script src="http:\/\/127\.0\.0\.1:4000\/parley\.js" data-relay="http:\/\/127\.0\.0\.1:4000" async><\/script>/);
  assert.doesNotMatch(hostPage(null), /<script/);
  assert.match(hostPage(null), /<p>/);
});

function client(url, path) {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}${path}`);
  const inbox = [];
  const waiters = [];
  ws.on('message', (d) => {
    const f = JSON.parse(d.toString());
    const w = waiters.findIndex((x) => x.pred(f));
    if (w >= 0) waiters.splice(w, 1)[0].resolve(f);
    else inbox.push(f);
  });
  return {
    ws,
    open: () => new Promise((r, j) => (ws.once('open', r), ws.once('error', j))),
    send: (f) => ws.send(JSON.stringify(f)),
    next(pred) {
      const i = inbox.findIndex(pred);
      if (i >= 0) return Promise.resolve(inbox.splice(i, 1)[0]);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no such frame within 2 s')), 2000);
        waiters.push({ pred, resolve: (f) => (clearTimeout(timer), resolve(f)) });
      });
    },
  };
}

check('baseline relay: one claim wins, a visitor message reaches its agent and is acked', async () => {
  const relay = await startBaseline();
  try {
    const a1 = relay.addAgent('A');
    const agent = client(relay.url, '/v1/agent');
    const other = client(relay.url, '/v1/agent');
    await Promise.all([agent.open(), other.open()]);
    agent.send({ t: 'hello', id: 'h', token: a1.token });
    other.send({ t: 'hello', id: 'h', token: 'unknown' });
    assert.deepEqual((await agent.next((f) => f.t === 'welcome')).agent, { id: a1.id, name: 'A' });
    await other.next((f) => f.t === 'welcome');

    const visitor = client(relay.url, '/v1/visitor');
    await visitor.open();
    visitor.send({ t: 'hello', id: 'h', email: 'v@example.com' });
    const welcome = await visitor.next((f) => f.t === 'welcome');
    const summary = (await agent.next((f) => f.t === 'conversation')).summary;
    assert.equal(summary.id, welcome.conversation.id);
    assert.equal(summary.status, 'queued');

    agent.send({ t: 'claim', id: 'c1', conversationId: summary.id });
    assert.equal((await agent.next((f) => f.id === 'c1')).t, 'ok');
    other.send({ t: 'claim', id: 'c2', conversationId: summary.id });
    assert.equal((await other.next((f) => f.id === 'c2')).code, 'conflict');

    const clientId = '6f1c1b8e-2d5a-4c1e-9a63-0f1d2e3c4b5a';
    visitor.send({ t: 'send', clientId, text: 'bench 123.5' });
    const ack = await visitor.next((f) => f.t === 'ack');
    assert.deepEqual([ack.clientId, ack.seq], [clientId, 2]);
    const ev = await agent.next((f) => f.t === 'event');
    assert.equal(ev.conversationId, summary.id);
    assert.deepEqual([ev.event.seq, ev.event.text, ev.event.from], [2, 'bench 123.5', 'visitor']);
    for (const c of [agent, other, visitor]) c.ws.terminate();
  } finally {
    await relay.close();
    await relay.close(); // idempotent
  }
});

check('server process: starts the baseline over IPC, reports RSS after gc, exits when asked', async () => {
  const server = spawnWorker(join(here, 'server.mjs'), { execArgv: ['--expose-gc'] });
  try {
    const started = await server.call('start', { kind: 'baseline', agents: 2 }, 10_000);
    assert.match(started.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(started.agents.length, 2);
    const m = await server.call('rss', {}, 10_000);
    assert.equal(m.gc, true);
    assert.ok(m.rss > 1_000_000, `rss ${m.rss}`);
    await assert.rejects(server.call('nope', {}, 5_000), /unknown command nope/);
    await server.call('stop', {}, 10_000);
  } finally {
    await server.end();
  }
  assert.notEqual(server.child.exitCode ?? server.child.signalCode, null);
});

check('processes: 20 conversations through the baseline, every message timed once, none lost or doubled', async () => {
  const server = spawnWorker(join(here, 'server.mjs'), { execArgv: ['--expose-gc'] });
  const agents = spawnWorker(join(here, 'agents.mjs'));
  const visitors = spawnWorker(join(here, 'visitors.mjs'));
  try {
    const { url, agents: list } = await server.call('start', { kind: 'baseline', agents: 3 }, 10_000);
    await agents.call('connect', { url, agents: list }, 10_000);
    const opened = await visitors.call('open', { url, count: 20, concurrency: 5 }, 10_000);
    assert.equal(opened.opened, 20);
    assert.equal((await agents.call('waitClaimed', { count: 20, timeoutMs: 5_000 })).claimed, 20);
    const seq = await visitors.call('sequential', { count: 30 }, 10_000);
    assert.equal(seq.acked, 30);
    await agents.call('record', { tag: 'offered' });
    const t0 = performance.timeOrigin + performance.now();
    const sent = await visitors.call('offered', { tag: 'offered', rate: 400, durationMs: 500, drainMs: 2_000 }, 10_000);
    assert.equal(sent.sent, 200);
    assert.equal(sent.acked, 200);
    for (let i = 0; i < 250 && (await agents.call('count')) < 200; i++) await new Promise((r) => setTimeout(r, 20));
    const got = await agents.call('report', { from: t0, to: t0 + 60_000 });
    assert.equal(got.total, 200);
    assert.equal(got.inWindow, 200);
    assert.equal(got.duplicates, 0);
    assert.ok(got.latency.p50 >= 0 && got.latency.p99 < 2_000, JSON.stringify(got.latency));
    assert.deepEqual(got.frames, { event: 200 });
  } finally {
    agents.kill();
    visitors.kill();
    await server.end();
  }
});

check("server process: Parley's relay starts on SQLite and on in-memory SQLite, with agents added", async () => {
  if (!existsSync(relayModule)) return skip('the relay is not built (npx rollup -c test/relay/rollup.relay.mjs --silent)');
  for (const kind of ['parley', 'parley-memory']) {
    const server = spawnWorker(join(here, 'server.mjs'));
    try {
      const started = await server.call('start', { kind, agents: 2, relayModule: pathToFileURL(relayModule).href }, 20_000);
      assert.match(started.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(started.agents.length, 2);
      assert.equal(typeof started.agents[0].token, 'string', `${kind}: addAgent gave ${JSON.stringify(started.agents[0])}`);
      assert.deepEqual(await server.call('logs'), { count: 0, first: [] });
      await server.call('stop', {}, 10_000);
    } finally {
      await server.end();
    }
  }
});

check('servers: PostgreSQL (fsync on) and Redis start, report CPU, and leave no process or folder behind', async () => {
  const missing = missingBinaries();
  if (missing.length) return skip(`${missing.join(' and ')} not installed`);
  const b = await startBackends();
  let pgPid = NaN;
  try {
    pgPid = b.pg.pid();
    assert.ok(alive(pgPid) && alive(b.redis.pid), 'both running');
    const pg = (await import('pg')).default;
    const c = new pg.Client({ connectionString: b.storeUrl });
    await c.connect();
    try {
      assert.equal((await c.query('SHOW fsync')).rows[0].fsync, 'on');
      assert.equal((await c.query('SHOW synchronous_commit')).rows[0].synchronous_commit, 'on');
    } finally {
      await c.end();
    }
    assert.ok(b.pg.cpuMicros() > 0 && b.redis.cpuMicros() >= 0, 'CPU readable from /proc');
  } finally {
    await b.stop();
    await b.stop(); // idempotent
  }
  for (let i = 0; i < 50 && (alive(pgPid) || alive(b.redis.pid)); i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(!alive(pgPid), 'postgres stopped');
  assert.ok(!alive(b.redis.pid), 'redis stopped');
  assert.ok(!existsSync(b.pg.dir), 'data folder removed');
});

check('two relays on PostgreSQL + Redis: 20 conversations opened on relay 1 are claimed on relay 2, each message arrives once', async () => {
  if (!existsSync(relayModule)) return skip('the relay is not built');
  const missing = missingBinaries();
  if (missing.length) return skip(`${missing.join(' and ')} not installed`);
  const b = await startBackends();
  const servers = [1, 2].map(() => spawnWorker(join(here, 'server.mjs')));
  const agents = spawnWorker(join(here, 'agents.mjs'));
  const visitors = spawnWorker(join(here, 'visitors.mjs'));
  try {
    const common = { kind: 'parley-pg', relayModule: pathToFileURL(relayModule).href, storeUrl: b.storeUrl, busUrl: b.redis.url, heartbeatMs: 5000 };
    const one = await servers[0].call('start', { ...common, agents: 0 }, 20_000);
    const two = await servers[1].call('start', { ...common, agents: 3 }, 20_000);
    assert.notEqual(one.url, two.url);
    await agents.call('connect', { url: two.url, agents: two.agents }, 10_000);
    assert.equal((await visitors.call('open', { url: one.url, count: 20, concurrency: 5 }, 20_000)).opened, 20);
    assert.equal((await agents.call('waitClaimed', { count: 20, timeoutMs: 10_000 })).claimed, 20);
    await agents.call('record', { tag: 'offered' });
    const t0 = performance.timeOrigin + performance.now();
    const sent = await visitors.call('offered', { tag: 'offered', rate: 100, durationMs: 1000, drainMs: 5_000 }, 20_000);
    assert.equal(sent.acked, 100);
    for (let i = 0; i < 150 && (await agents.call('count')) < 100; i++) await new Promise((r) => setTimeout(r, 20));
    const got = await agents.call('report', { from: t0, to: t0 + 60_000 });
    assert.deepEqual([got.total, got.duplicates, got.strays], [100, 0, 0]);
    for (const s of servers) assert.deepEqual(await s.call('logs'), { count: 0, first: [] });
  } finally {
    await Promise.all(servers.map((s) => s.call('stop', {}, 15_000).catch(() => {})));
    agents.kill();
    visitors.kill();
    await Promise.all(servers.map((s) => s.end()));
    await b.stop();
  }
});

let failed = 0;
for (const c of checks) {
  try {
    const out = await c.fn();
    if (out && out.skipped) console.log(`skip ${c.name} (${out.skipped})`);
    else console.log(`ok   ${c.name}`);
  } catch (err) {
    failed++;
    console.log(`FAIL ${c.name}\n     ${err && err.stack ? err.stack : err}`);
  }
}
console.log(`${checks.length - failed} of ${checks.length} passed`);
process.exit(failed ? 1 : 0);
