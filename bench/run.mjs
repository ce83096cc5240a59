// `npm run bench`: measures Parley against its budgets and against a bare `ws` relay in
// the same invocation, and prints one markdown table. It is a report, not a test: a
// missed target is a row marked MISSED, and the exit code is non-zero only when the
// harness itself breaks. Loopback only; one and a half to three and a half minutes on two cores.
//
// The relay rows run three times: the baseline, Parley's relay on SQLite, and two Parley
// relays in two processes sharing a private PostgreSQL and Redis (visitors on the first,
// agents on the second, so every message crosses the bus); the last set of rows says
// "not run" when PostgreSQL or Redis is not installed.
//
//   node bench/run.mjs [--only=sizes,page,relay,connections] [--seconds=5] [--conversations=1000]
//                      [--sockets=5000] [--json=FILE] [--profile=DIR] [--with-memory-store] [--write-docs]
// The defaults are the published figures; the flags exist for quick local looks.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawnWorker } from './ipc.mjs';
import { missingBinaries, NOT_INSTALLED, startBackends } from './servers.mjs';
import { BUDGETS, sizeRows } from './sizes.mjs';
import { CHAT_DIST, RELAY_MODULE, WIDGET_DIR } from '../scripts/built-paths.mjs';
import { pageWeight } from './page-weight.mjs';
import { fmt, ms, now, sleep } from './stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const arg = (name, dflt) => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(name.length + 3) : dflt;
};
const only = new Set(arg('only', 'sizes,page,relay,connections').split(','));
const SECONDS = Number(arg('seconds', '5'));
const PROFILE = arg('profile', '');
// --profile=DIR writes a V8 CPU profile of each server process (open it in Chrome DevTools).
const serverArgv = ['--expose-gc', ...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : [])];

/** Everything the bench can vary, in one place. */
const plan = {
  conversations: Number(arg('conversations', '1000')),
  agents: 10,
  phaseMs: SECONDS * 1000,
  offeredRate: 1000,
  sequentialMessages: 500,
  idleSockets: Number(arg('sockets', '5000')),
  heartbeatMs: 5000, // the relays' default: how often a relay on the bus announces what it has connected and looks for missed news
  openDeadlineMs: 100_000, // the connections phase starts no new handshake after this
  targets: { widgetGzip: BUDGETS.scriptTagOpen, widgetGoal: BUDGETS.scriptTagOpenGoal, clientGzip: BUDGETS.client, rateRatio: 0.5, p99Ms: 50, perSocketBytes: 50 * 1024 },
};

/** @type {{ name: string, value: string, baseline: string, ratio: string, target: string, status: string }[]} */
const rows = [];
const notes = [];
function row(name, value, { baseline = '—', ratio = '—', target = '—', status = '—' } = {}) {
  rows.push({ name, value, baseline, ratio, target, status });
}
const verdict = (ok) => (ok ? 'met' : 'MISSED');
const times = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${fmt(a / b, 2)}×` : 'n/a');
const log = (line) => process.stderr.write(`bench: ${line}\n`);

// ---- 1. bytes ---------------------------------------------------------------------

function sizes() {
  sizeRows({ widgetDir: WIDGET_DIR, clientFile: join(CHAT_DIST, 'client.js') }, row);
}

// ---- 2 and 4. relay throughput, latency, durable acks --------------------------------

const relayModule = RELAY_MODULE;

/**
 * One full run against one relay kind ('baseline', 'parley', 'parley-memory' or
 * 'parley-pg'); returns its figures. 'parley-pg' runs two server processes, each a relay
 * on the PostgreSQL database and Redis bus of `backends` (from servers.mjs): visitors
 * connect to the first, agents to the second.
 */
async function relayRun(kind, backends = null) {
  const two = kind === 'parley-pg';
  const servers = (two ? [1, 2] : [1]).map(() => spawnWorker(join(here, 'server.mjs'), { execArgv: serverArgv }));
  const agents = spawnWorker(join(here, 'agents.mjs'));
  const visitors = spawnWorker(join(here, 'visitors.mjs'));
  const out = { kind };
  /** CPU time (µs) so far of the relay processes, of PostgreSQL + Redis when they are used, and of the load generators. */
  const total = (usages) => usages.reduce((a, c) => a + c.user + c.system, 0);
  const cpuNow = async () => ({
    relays: total(await Promise.all(servers.map((s) => s.call('cpu')))),
    backends: backends ? backends.pg.cpuMicros() + backends.redis.cpuMicros() : 0,
    load: total(await Promise.all([visitors.call('cpu'), agents.call('cpu')])),
  });
  try {
    const common = { kind, relayModule: pathToFileURL(relayModule).href };
    if (two) Object.assign(common, { storeUrl: backends.storeUrl, busUrl: backends.redis.url, heartbeatMs: plan.heartbeatMs });
    // One at a time, so the second relay registers on a database that already has the schema.
    const first = await servers[0].call('start', { ...common, agents: two ? 0 : plan.agents }, 30_000);
    const second = two ? await servers[1].call('start', { ...common, agents: plan.agents }, 30_000) : first;
    const visitorUrl = first.url;
    await agents.call('connect', { url: second.url, agents: second.agents }, 30_000);
    const opened = await visitors.call('open', { url: visitorUrl, count: plan.conversations, concurrency: 100, deadlineMs: 45_000 }, 75_000);
    if (opened.opened < plan.conversations) notes.push(`${kind}: only ${opened.opened} of ${plan.conversations} conversations opened${opened.stopped ? ' within 45 s' : ''} (${JSON.stringify(opened.failures)})`);
    out.opened = opened;
    log(`${kind}: ${opened.opened} conversations opened in ${fmt(opened.ms)} ms`);
    const claims = await agents.call('waitClaimed', { count: opened.opened, timeoutMs: 30_000 }, 40_000);
    out.claims = claims;
    if (claims.claimed < opened.opened) notes.push(`${kind}: only ${claims.claimed} of ${opened.opened} conversations were claimed (${JSON.stringify(claims.claimErrors)})`);

    // Durable acks at low load: one conversation, one message at a time (the agents time
    // the same messages' send → event, which the two-relay rows report).
    await agents.call('record', { tag: 'sequential' });
    out.sequential = await visitors.call('sequential', { count: plan.sequentialMessages }, 60_000);
    await waitDelivered(agents, out.sequential.acked);
    out.sequentialDelivery = await agents.call('report', { from: 0, to: now() });
    log(`${kind}: sequential ${out.sequential.acked}/${out.sequential.sent} acked`);

    // Latency at a fixed offered rate, spread round-robin over the conversations.
    await agents.call('record', { tag: 'offered' });
    const o0 = now();
    out.offered = await visitors.call('offered', { tag: 'offered', rate: plan.offeredRate, durationMs: plan.phaseMs, drainMs: 10_000 }, plan.phaseMs + 30_000);
    await waitDelivered(agents, out.offered.acked);
    out.offeredDelivery = await agents.call('report', { from: o0, to: now() });
    log(`${kind}: offered ${out.offered.sent} sent, ${out.offered.acked} acked, ${out.offeredDelivery.total} delivered`);

    // Saturation: closed loop, next message when the previous one is acked.
    await agents.call('record', { tag: 'saturate' });
    const from = now() + 100;
    const until = from + plan.phaseMs;
    await sleep(100);
    const cpu0 = await cpuNow();
    out.saturate = await visitors.call('saturate', { tag: 'saturate', until, drainMs: 10_000 }, plan.phaseMs + 30_000);
    const cpu1 = await cpuNow();
    // Across relays an event can reach the agent a little after its ack reached the visitor
    // (on one relay both leave together, and this returns at once).
    await waitDelivered(agents, out.saturate.acked);
    out.saturateDelivery = await agents.call('report', { from, to: until });
    const delivered = Math.max(1, out.saturateDelivery.total);
    out.cpuPerMessageUs = (cpu1.relays - cpu0.relays) / delivered;
    out.backendCpuPerMessageUs = (cpu1.backends - cpu0.backends) / delivered;
    out.loadCpuPerMessageUs = (cpu1.load - cpu0.load) / delivered;
    out.rate = out.saturateDelivery.inWindow / (plan.phaseMs / 1000);
    log(`${kind}: saturation ${fmt(out.rate)} messages/s delivered`);
  } catch (err) {
    out.error = String(err.message ?? err).split('\n')[0];
    log(`${kind}: ${out.error}`);
  } finally {
    out.logs = await Promise.all(servers.map((s) => s.call('logs', {}, 5_000).catch(() => null)));
    await Promise.all(servers.map((s) => s.call('stop', {}, 15_000).catch(() => {})));
    agents.kill();
    visitors.kill();
    await Promise.all(servers.map((s) => s.end()));
  }
  return out;
}

/** Events reach agents at about the time acks reach visitors; waits up to 3 s for stragglers. */
async function waitDelivered(agents, expected) {
  const until = Date.now() + 3000;
  while (Date.now() < until && (await agents.call('count')) < expected) await sleep(50);
}

function relayRows(base, parley) {
  const T = plan.targets;
  const failed = (r) => (r.error ? `error: ${r.error}` : null);
  const pv = (fn, r) => failed(r) ?? fn(r);
  const num = (fn, r) => (r.error ? NaN : fn(r));

  const rate = (r) => r.rate;
  row(
    `relay saturation: messages/s delivered to agents (${fmt(plan.conversations)} conversations, ${plan.agents} agents, ${SECONDS} s)`,
    pv((r) => `${fmt(r.rate)} /s`, parley),
    {
      baseline: pv((r) => `${fmt(r.rate)} /s`, base),
      ratio: times(num(rate, parley), num(rate, base)),
      target: `≥ ${T.rateRatio} × baseline`,
      status: verdict(num(rate, parley) >= T.rateRatio * num(rate, base)),
    },
  );
  const cpu = (r) => r.cpuPerMessageUs;
  row('relay saturation: server CPU time per delivered message', pv((r) => `${fmt(cpu(r), 1)} µs`, parley), {
    baseline: pv((r) => `${fmt(cpu(r), 1)} µs`, base),
    ratio: times(num(cpu, parley), num(cpu, base)),
  });
  // The visitors' and agents' processes share the machine's cores with the relay: on two
  // cores their CPU per message bounds the closed loop as much as the relay's does.
  const load = (r) => r.loadCpuPerMessageUs;
  row('relay saturation: load generators\' CPU time per delivered message (visitor and agent processes)', pv((r) => `${fmt(load(r), 1)} µs`, parley), {
    baseline: pv((r) => `${fmt(load(r), 1)} µs`, base),
    ratio: times(num(load, parley), num(load, base)),
  });
  for (const q of ['p50', 'p99']) {
    const f = (r) => r.saturateDelivery.latency[q];
    row(`relay saturation: send → agent event ${q}`, pv((r) => ms(f(r)), parley), {
      baseline: pv((r) => ms(f(r)), base),
      ratio: times(num(f, parley), num(f, base)),
    });
  }
  for (const q of ['p50', 'p95', 'p99']) {
    const f = (r) => r.offeredDelivery.latency[q];
    const isTarget = q === 'p99';
    row(`relay at ${fmt(plan.offeredRate)} messages/s: send → agent event ${q}`, pv((r) => ms(f(r)), parley), {
      baseline: pv((r) => ms(f(r)), base),
      ratio: times(num(f, parley), num(f, base)),
      target: isTarget ? `< ${T.p99Ms} ms` : '—',
      status: isTarget ? verdict(num(f, parley) < T.p99Ms) : '—',
    });
  }
  const delivered = (r) =>
    `${fmt(r.offeredDelivery.total)} of ${fmt(r.offered.sent)}${r.offeredDelivery.duplicates ? `, ${fmt(r.offeredDelivery.duplicates)} duplicates` : ''}`;
  const allDelivered = (r) => !r.error && r.offeredDelivery.total === r.offered.sent && !r.offeredDelivery.duplicates;
  row(`relay at ${fmt(plan.offeredRate)} messages/s: messages delivered to agents`, pv(delivered, parley), {
    baseline: pv(delivered, base),
    target: 'all',
    status: verdict(allDelivered(parley)),
  });

  const ackRow = (label, f) => {
    for (const q of ['p50', 'p99']) {
      const g = (r) => f(r)[q];
      row(`durable ack (send → ack) ${q}, ${label}`, pv((r) => ms(g(r)), parley), {
        baseline: pv((r) => `${ms(g(r))} (no store)`, base),
        ratio: times(num(g, parley), num(g, base)),
      });
    }
  };
  ackRow(`1 conversation, ${plan.sequentialMessages} sequential`, (r) => r.sequential.ack);
  ackRow(`${fmt(plan.conversations)} conversations at ${fmt(plan.offeredRate)} messages/s`, (r) => r.offered.ack);
  ackRow(`${fmt(plan.conversations)} conversations saturated`, (r) => r.saturate.ack);

  for (const r of [base, parley]) runNotes(r);
}

/** The notes under the table about one relay run: errors, closed sockets, stragglers, duplicates, frames, log lines. */
function runNotes(r) {
  for (const [i, l] of (r.logs ?? []).entries()) {
    if (l && l.count) notes.push(`${r.kind}: relay ${i + 1} logged ${fmt(l.count)} lines; the first: ${l.first.map((x) => JSON.stringify(x)).join(' ')}`);
  }
  if (r.error || r.notRun) return;
  const errs = { ...r.offered.errors, ...r.saturate.errors };
  if (Object.keys(errs).length) notes.push(`${r.kind}: error frames seen by visitors: ${JSON.stringify(errs)}`);
  if (Object.keys(r.saturate.closedEarly).length) notes.push(`${r.kind}: visitor sockets closed by the server (code: count): ${JSON.stringify(r.saturate.closedEarly)}`);
  if (r.offered.unacked || r.saturate.unacked) notes.push(`${r.kind}: unacked after 10 s drain: ${r.offered.unacked} (fixed rate), ${r.saturate.unacked} (saturation)`);
  if (r.rate < plan.offeredRate) {
    notes.push(
      `${r.kind}: its saturation rate (${fmt(r.rate)} messages/s) is below the offered ${fmt(plan.offeredRate)} messages/s, so its fixed-rate figures measure a queue that grows for ${SECONDS} s, not the cost of one message`,
    );
  }
  if (r.offered.senderBehindMaxMs > 20) notes.push(`${r.kind}: the visitor process fell up to ${fmt(r.offered.senderBehindMaxMs, 1)} ms behind its send schedule (latencies count from the scheduled time)`);
  for (const [label, d] of [['fixed rate', r.offeredDelivery], ['saturation', r.saturateDelivery]]) {
    if (d.duplicates) notes.push(`${r.kind}: ${d.duplicates} visitor messages reached an agent twice (same clientId) in the ${label} phase`);
    if (d.errors && Object.keys(d.errors).length) notes.push(`${r.kind}: error frames seen by agents: ${JSON.stringify(d.errors)}`);
  }
  const fr = r.offeredDelivery.frames;
  const perMessage = Object.entries(fr)
    .map(([t, n]) => `${t} ${fmt(n / Math.max(1, r.offeredDelivery.total), 1)}`)
    .join(', ');
  notes.push(`${r.kind}: frames the agents received per visitor message at the fixed rate: ${perMessage}`);
  if (r.sequential.acked < r.sequential.sent) notes.push(`${r.kind}: sequential run: only ${r.sequential.acked} of ${r.sequential.sent} acked`);
}

// ---- 2b. two relays on PostgreSQL + Redis --------------------------------------------

/** Starts a private PostgreSQL and Redis, runs the relay rows on two relays sharing them, and stops both in every case. */
async function twoRelaysRun() {
  const kind = 'parley-pg';
  if (!existsSync(relayModule)) return { kind, error: 'the relay is not built' };
  const missing = missingBinaries();
  if (missing.length) {
    notes.push(`${kind}: not run, ${missing.join(' and ')} not found (Debian: apt-get install -y postgresql redis-server)`);
    return { kind, notRun: NOT_INSTALLED };
  }
  let backends = null;
  try {
    const t0 = now();
    backends = await startBackends();
    log(`${kind}: PostgreSQL (fsync on) and Redis started in ${fmt(now() - t0)} ms`);
    return await relayRun(kind, backends);
  } catch (err) {
    const error = String(err.message ?? err).split('\n')[0];
    log(`${kind}: ${error}`);
    return { kind, error };
  } finally {
    if (backends) await backends.stop();
  }
}

/** Rows of two relays on PostgreSQL + Redis, each next to the one-relay SQLite figure of the same run. */
function twoRelayRows(two, one) {
  const P = 'two relays (PostgreSQL + Redis)';
  const bad = (r) => r.notRun ?? (r.error ? `error: ${r.error}` : null);
  const num = (f, r) => (bad(r) ? NaN : f(r));
  const add = (name, show, f, extra = {}) =>
    row(`${P}: ${name}`, bad(two) ?? show(f(two), two), {
      baseline: bad(one) ?? `${show(f(one), one)} (1 relay, SQLite)`,
      ratio: bad(two) ? '—' : times(num(f, two), num(f, one)),
      ...extra,
    });
  const delivered = (d, sent) => `${fmt(d.total)} of ${fmt(sent)}${d.duplicates ? `, ${fmt(d.duplicates)} duplicates` : ''}`;
  const all = (d, sent) => d.total === sent && !d.duplicates;
  const perSec = (v) => `${fmt(v)} /s`;
  const micros = (v) => `${fmt(v, 1)} µs`;
  const opened = (r) => r.opened.ms;
  const allOpened = (r) => !bad(r) && r.opened.opened === plan.conversations && r.claims.claimed === plan.conversations;
  add(
    `${fmt(plan.conversations)} conversations opened on relay 1 (hello → welcome, 100 at a time), claimed by agents on relay 2`,
    (v, r) => `${fmt(r.opened.opened)} opened in ${fmt(v / 1000, 1)} s, ${fmt(r.claims.claimed)} claimed`,
    opened,
    { target: 'all', status: bad(two) ? '—' : verdict(allOpened(two)) },
  );
  add(`relay saturation: messages/s delivered to agents (${fmt(plan.conversations)} conversations, ${plan.agents} agents, ${SECONDS} s)`, perSec, (r) => r.rate);
  add('relay saturation: CPU time per delivered message, both relays', micros, (r) => r.cpuPerMessageUs);
  add('relay saturation: CPU time per delivered message, both relays + PostgreSQL + Redis', micros, (r) => r.cpuPerMessageUs + (r.backendCpuPerMessageUs ?? 0));
  for (const q of ['p50', 'p99']) add(`relay saturation: send → agent event ${q}`, ms, (r) => r.saturateDelivery.latency[q]);
  add('relay saturation: messages delivered to agents (after the 10 s drain)', (_, r) => delivered(r.saturateDelivery, r.saturate.sent), () => NaN, {
    ratio: '—',
    target: 'all',
    status: bad(two) ? '—' : verdict(all(two.saturateDelivery, two.saturate.sent)),
  });
  for (const q of ['p50', 'p95', 'p99']) add(`at ${fmt(plan.offeredRate)} messages/s: send → agent event ${q}`, ms, (r) => r.offeredDelivery.latency[q]);
  add(`at ${fmt(plan.offeredRate)} messages/s: messages delivered to agents`, (_, r) => delivered(r.offeredDelivery, r.offered.sent), () => NaN, {
    ratio: '—',
    target: 'all',
    status: bad(two) ? '—' : verdict(all(two.offeredDelivery, two.offered.sent)),
  });
  for (const q of ['p50', 'p99']) add(`1 conversation, ${plan.sequentialMessages} sequential: send → agent event ${q}`, ms, (r) => r.sequentialDelivery.latency[q]);
  add(`1 conversation, ${plan.sequentialMessages} sequential: messages delivered to agents`, (_, r) => delivered(r.sequentialDelivery, r.sequential.acked), () => NaN, {
    ratio: '—',
    target: 'all',
    status: bad(two) ? '—' : verdict(all(two.sequentialDelivery, two.sequential.acked)),
  });
  const acks = [
    [`1 conversation, ${plan.sequentialMessages} sequential`, (r) => r.sequential.ack],
    [`${fmt(plan.conversations)} conversations at ${fmt(plan.offeredRate)} messages/s`, (r) => r.offered.ack],
    [`${fmt(plan.conversations)} conversations saturated`, (r) => r.saturate.ack],
  ];
  for (const [label, f] of acks) for (const q of ['p50', 'p99']) add(`durable ack (send → ack) ${q}, ${label}`, ms, (r) => f(r)[q]);
  runNotes(two);
}

/** Optional rows: Parley's relay on an in-memory SQLite store (`new SqliteStore(':memory:')`), to separate protocol work from durable storage. */
function memoryRows(mem, base) {
  const pv = (f) => (mem.error ? `error: ${mem.error}` : f(mem));
  row('relay with in-memory SQLite store (not durable): saturation messages/s', pv((r) => `${fmt(r.rate)} /s`), {
    baseline: base.error ? 'n/a' : `${fmt(base.rate)} /s`,
    ratio: mem.error || base.error ? 'n/a' : times(mem.rate, base.rate),
  });
  row('relay with in-memory SQLite store (not durable): server CPU per delivered message', pv((r) => `${fmt(r.cpuPerMessageUs, 1)} µs`), {
    baseline: base.error ? 'n/a' : `${fmt(base.cpuPerMessageUs, 1)} µs`,
    ratio: mem.error || base.error ? 'n/a' : times(mem.cpuPerMessageUs, base.cpuPerMessageUs),
  });
  row(`relay with in-memory SQLite store (not durable): at ${fmt(plan.offeredRate)} messages/s, send → agent event p99`, pv((r) => ms(r.offeredDelivery.latency.p99)), {
    baseline: base.error ? 'n/a' : ms(base.offeredDelivery.latency.p99),
  });
}

// ---- 3. idle connections ------------------------------------------------------------

function fdLimit() {
  try {
    return Number(execFileSync('/bin/sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim());
  } catch {
    return NaN;
  }
}

async function connectionsRun(kind, count) {
  const server = spawnWorker(join(here, 'server.mjs'), { execArgv: serverArgv });
  const holder = spawnWorker(join(here, 'visitors.mjs'));
  const out = { kind };
  try {
    const started = await server.call('start', { kind, agents: 0, relayModule: pathToFileURL(relayModule).href }, 30_000);
    // Warm the relay with a few conversations so lazily created structures are not counted per socket.
    await holder.call('open', { url: started.url, count: 20, concurrency: 10 }, 30_000);
    await holder.call('close');
    await sleep(300);
    const before = await server.call('rss');
    const opened = await holder.call('open', { url: started.url, count, concurrency: 200, deadlineMs: plan.openDeadlineMs }, plan.openDeadlineMs + 30_000);
    out.stopped = opened.stopped;
    await sleep(500);
    const after = await server.call('rss');
    const stats = await holder.call('stats');
    out.opened = opened.opened;
    out.stillOpen = stats.open - Object.values(stats.closedEarly).reduce((a, b) => a + b, 0);
    out.failures = opened.failures;
    out.gc = after.gc;
    out.perSocket = (after.rss - before.rss) / Math.max(1, opened.opened);
    out.ms = opened.ms;
    log(`${kind}: ${opened.opened} idle sockets in ${fmt(opened.ms)} ms, ${fmt(out.perSocket)} B each`);
  } catch (err) {
    out.error = String(err.message ?? err).split('\n')[0];
    log(`${kind}: ${out.error}`);
  } finally {
    await holder.call('close', {}, 10_000).catch(() => {});
    await server.call('stop', {}, 15_000).catch(() => {});
    holder.kill();
    await server.end();
  }
  return out;
}

async function connections() {
  const limit = fdLimit();
  // Each side needs one descriptor per socket plus a few dozen of its own.
  const count = Number.isFinite(limit) ? Math.min(plan.idleSockets, limit - 200) : plan.idleSockets;
  const limited = count < plan.idleSockets ? `; limited by ulimit -n ${limit}` : '';
  const base = await connectionsRun('baseline', count);
  const parley = existsSync(relayModule) ? await connectionsRun('parley', count) : { error: 'the relay is not built' };
  const kb = (r) => (r.error ? `error: ${r.error}` : `${fmt(r.perSocket / 1024, 1)} KB`);
  const held = (r) =>
    r.error
      ? ''
      : ` (${fmt(r.opened)} held${r.stopped ? `, stopped opening at ${fmt(plan.openDeadlineMs / 1000)} s` : ''}${
          r.failures && Object.keys(r.failures).length ? `, failures ${JSON.stringify(r.failures)}` : ''
        })`;
  row(`idle visitor sockets: relay RSS growth per socket, ${fmt(count)} sockets after hello → welcome${limited}`, `${kb(parley)}${held(parley)}`, {
    baseline: `${kb(base)}${held(base)}`,
    ratio: parley.error || base.error ? 'n/a' : times(parley.perSocket, base.perSocket),
    target: `< ${fmt(plan.targets.perSocketBytes / 1024)} KB`,
    status: parley.error
      ? 'MISSED'
      : parley.opened < count
        ? `MISSED (${fmt(parley.opened)} of ${fmt(count)} held)`
        : verdict(parley.perSocket < plan.targets.perSocketBytes),
  });
  const secs = (r) => (r.error ? 'n/a' : `${fmt(r.ms / 1000, 1)} s (${fmt(r.opened / (r.ms / 1000))} hellos/s)`);
  row(`idle visitor sockets: time to open ${fmt(count)} (hello → welcome, 200 at a time)`, secs(parley), {
    baseline: secs(base),
    ratio: parley.error || base.error ? 'n/a' : times(parley.ms, base.ms),
  });
  for (const r of [base, parley]) {
    if (!r.error && r.stillOpen < r.opened) notes.push(`${r.kind}: ${r.opened - r.stillOpen} idle sockets were closed by the server while held`);
  }
  if (!parley.error && !parley.gc) notes.push('the relay ran without --expose-gc; RSS readings include garbage');
  notes.push(`open file limit (ulimit -n): ${Number.isFinite(limit) ? limit : 'unknown'}`);
}

/** Replaces the table between the `bench:table` markers of docs/performance.md. */
function writeDocs(table) {
  const file = join(root, 'docs/performance.md');
  const text = readFileSync(file, 'utf8');
  const start = '<!-- bench:table -->';
  const end = '<!-- /bench:table -->';
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`docs/performance.md lacks the ${start} … ${end} markers`);
  writeFileSync(file, `${text.slice(0, a + start.length)}\n${table}\n${text.slice(b)}`);
  log('table written to docs/performance.md');
}

// ---- main ---------------------------------------------------------------------------

async function main() {
  const t0 = Date.now();
  const load = loadavg()[0];
  if (only.has('sizes')) sizes();
  if (only.has('page')) await pageWeight({ relayModule, targets: plan.targets, row, notes, log });
  if (only.has('relay')) {
    const base = await relayRun('baseline');
    const parley = existsSync(relayModule) ? await relayRun('parley') : { kind: 'parley', error: 'the relay is not built' };
    relayRows(base, parley);
    twoRelayRows(await twoRelaysRun(), parley);
    if (process.argv.includes('--with-memory-store') && existsSync(relayModule)) memoryRows(await relayRun('parley-memory'), base);
  }
  if (only.has('connections')) await connections();

  const esc = (s) => String(s).replace(/\|/g, '\\|');
  const lines = [
    `Parley bench: ${cpus().length} cores, Node ${process.versions.node.split('.')[0]}, ${new Date().toISOString().slice(0, 10)}, ${fmt((Date.now() - t0) / 1000, 0)} s, load average ${fmt(load, 2)} at start`,
    '',
    '| figure | value | baseline | ratio | target | status |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${[r.name, r.value, r.baseline, r.ratio, r.target, r.status].map(esc).join(' | ')} |`),
  ];
  if (notes.length) lines.push('', ...notes.map((n) => `- ${n}`));
  process.stdout.write(lines.join('\n') + '\n');
  if (process.argv.includes('--write-docs')) writeDocs(lines.join('\n'));
  const json = arg('json', '');
  if (json) writeFileSync(json, JSON.stringify({ rows, notes }, null, 2));
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench: harness failed: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  },
);
