/**
 * Fuzz proof for the WebSocket endpoints: over 10,000 seeded hostile frames each, sent
 * fast on several sockets, each draw the documented error or close; afterwards the
 * relay is up, Object.prototype clean, old logs unchanged and a new chat works.
 * The seed is printed; PARLEY_FUZZ_SEED=<seed> sends the same frames again.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ERROR_CODES, type LogEvent } from '../../src/protocol/index.js';
import { Harness, TestSocket, cid, type Frame } from './helpers.js';
import { AGENT_FRAMES, FrameFuzzer, VISITOR_FRAMES, prng, type FuzzFrame } from './proofs-fuzz.js';

const SEED = Number(process.env['PARLEY_FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 32));
const FRAMES_PER_ENDPOINT = 10_000;
const SOCKETS = 4;
/** Every so many frames a socket sends a run of bad frames without a good one between. */
const BURST_EVERY = 700;
/** Frames in flight per socket. */
const WINDOW = 32;

const RELAY_FRAME_TYPES = new Set(['welcome', 'ack', 'event', 'queue', 'typing', 'read', 'ok', 'error', 'pong', 'presence', 'conversation', 'activity', 'note']);

/** One fuzzing socket: what came in since the last barrier, and how it closed. */
class Wire {
  inbox: Frame[] = [];
  closeCode: number | null = null;
  readonly opened: Promise<void>;

  constructor(readonly ws: WebSocket) {
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.on('error', () => {});
    ws.on('message', (data) => {
      let f: Frame;
      try {
        f = JSON.parse(String(data)) as Frame;
      } catch {
        f = { t: '<not json>', raw: String(data).slice(0, 200) };
      }
      this.inbox.push(f);
    });
    ws.on('close', (code) => {
      this.closeCode = code;
    });
  }

  send(f: FuzzFrame): void {
    this.ws.send(f.data, { binary: f.binary });
  }

  /** Waits until `done()` holds or the socket closed; fails after `ms` naming `what` it waited for. */
  async until(done: () => boolean, what: string, ms = 5_000): Promise<void> {
    await vi.waitFor(
      () => {
        if (!done() && this.closeCode === null) throw new Error(`${what}: not within ${ms} ms; got ${JSON.stringify(this.inbox).slice(-300)}`);
      },
      { timeout: ms, interval: 5 },
    );
  }

  /** Waits until the socket closed; fails after `ms` naming what should have closed it. */
  closed(after: string, ms = 3_000): Promise<void> {
    return this.until(() => false, `the close after ${after}`, ms);
  }
}

interface Tally {
  sent: number;
  byCategory: Record<string, number>;
  closes: Record<string, number>;
  failures: string[];
}

const newTally = (): Tally => ({ sent: 0, byCategory: {}, closes: {}, failures: [] });
const bump = (o: Record<string, number>, k: string): void => {
  o[k] = (o[k] ?? 0) + 1;
};
const show = (f: FuzzFrame): string => {
  const s = typeof f.data === 'string' ? f.data : `<${f.binary ? 'binary' : 'text bytes'} ${f.data.toString('hex').slice(0, 80)}>`;
  return s.length > 160 ? `${s.slice(0, 160)}… (${s.length} chars)` : s;
};

/** Checks what came back for one frame (`replies`; `closeCode` when the socket closed instead) against what it must draw. */
function judge(f: FuzzFrame, replies: Frame[], closeCode: number | null, tally: Tally): void {
  const fail = (why: string): void => {
    if (tally.failures.length < 20) tally.failures.push(`${why} | frame ${show(f)} | got ${JSON.stringify(replies).slice(0, 300)} | close ${closeCode}`);
  };
  for (const r of replies) {
    if (!RELAY_FRAME_TYPES.has(r['t'])) fail(`undocumented reply type ${r['t']}`);
    if (r['t'] === 'error' && !(ERROR_CODES as readonly string[]).includes(r['code'])) fail(`undocumented error code ${r['code']}`);
  }
  const errors = replies.filter((r) => r['t'] === 'error');
  const e = f.expect;
  if (closeCode !== null) {
    bump(tally.closes, String(closeCode));
    if (e.kind === 'close' && closeCode !== e.code) fail(`closed ${closeCode}, expected ${e.code}`);
    if (e.kind === 'any' && !e.closes.includes(closeCode)) fail(`closed ${closeCode}, expected one of ${e.closes.join(',') || 'none'}`);
    if (e.kind === 'bad_frame' || e.kind === 'invalid') fail(`closed ${closeCode} instead of answering ${e.kind}`);
    return;
  }
  if (e.kind === 'close') return fail(`stayed open, expected close ${e.code}`);
  if (e.kind === 'any') return;
  if (errors.length !== 1) return fail(`expected one error ${e.kind}, got ${errors.length}`);
  const err = errors[0]!;
  if (err['code'] !== e.kind) fail(`error ${err['code']}, expected ${e.kind}`);
  if (e.kind === 'invalid' && err['field'] !== e.field) fail(`invalid field ${err['field']}, expected ${e.field}`);
  if (err['id'] !== e.id) fail(`error id ${JSON.stringify(err['id'])}, expected ${JSON.stringify(e.id)}`);
}

describe(`the relay under ${FRAMES_PER_ENDPOINT} hostile frames per endpoint (seed ${SEED})`, () => {
  let h: Harness;
  const relayLog: string[] = [];
  const protoKeys = Object.getOwnPropertyNames(Object.prototype).sort();
  let precious: Awaited<ReturnType<Harness['activeChat']>>;
  let preciousLog: LogEvent[];

  const open = async (path: '/v1/visitor' | '/v1/agent', localAddress = '127.0.0.1'): Promise<Wire> => {
    const w = new Wire(new WebSocket(h.wsUrl + path, { localAddress }));
    await w.opened;
    return w;
  };

  /**
   * Sends `quota` frames from one fuzzer on reconnecting sockets set up by `setup`.
   * Each frame is followed by a `ping` barrier, up to WINDOW frames in flight: the
   * replies between two barriers' pongs belong to the frame between them. Frames that
   * may close the socket go alone.
   */
  async function drive(path: '/v1/visitor' | '/v1/agent', fuzzer: FrameFuzzer, quota: number, tally: Tally, setup: (w: Wire) => Promise<void>, closing: Record<string, number[]>): Promise<void> {
    let w: Wire | null = null;
    let n = 0;
    let barrier = 0;
    const window: { f: FuzzFrame; id: string }[] = [];
    const isBarrier = (r: Frame): boolean => r['t'] === 'pong' && typeof r['id'] === 'string' && r['id'].startsWith('barrier-');
    const flush = async (): Promise<void> => {
      if (!w || window.length === 0) return;
      const last = window[window.length - 1]!.id;
      await w.until(() => w!.inbox.some((r) => isBarrier(r) && r['id'] === last), `pong ${last}, after ${show(window[window.length - 1]!.f)}`);
      const slots: Frame[][] = [];
      let slot: Frame[] = [];
      for (const r of w.inbox) {
        if (isBarrier(r)) {
          slots.push(slot);
          slot = [];
        } else slot.push(r);
      }
      window.forEach(({ f }, k) => {
        if (k < slots.length) judge(f, slots[k]!, null, tally);
        else if (k === slots.length) judge(f, slot, w!.closeCode ?? -1, tally);
        else {
          // Never reached the relay: the socket had closed.
          tally.sent--;
          n--;
          tally.byCategory[f.category]!--;
        }
      });
      w.inbox = [];
      window.length = 0;
    };
    while (n < quota) {
      if (!w || w.closeCode !== null) {
        w?.ws.terminate();
        w = await open(path);
        await setup(w);
        w.inbox = [];
        if (w.closeCode !== null) continue;
      }
      if (n > 0 && n % BURST_EVERY === 0) {
        await flush();
        if (w.closeCode !== null) continue;
        // Bad frames back to back: 1008 after the documented run.
        for (let i = 0; i < 25; i++) w.ws.send('not json ' + i);
        await w.closed('25 bad frames in a row');
        const bad = w.inbox.filter((r) => r['t'] === 'error' && r['code'] === 'bad_frame').length;
        if (w.closeCode !== 1008 || bad !== 20) tally.failures.push(`burst: ${bad} bad_frame errors, close ${w.closeCode}; expected 20 and 1008`);
        bump(tally.closes, String(w.closeCode));
        bump(tally.byCategory, 'burst_of_bad_frames');
        tally.sent += 20;
        n += 20;
        continue;
      }
      const f = fuzzer.next(closing);
      bump(tally.byCategory, f.category);
      tally.sent++;
      n++;
      const alone = f.expect.kind === 'close' || (f.expect.kind === 'any' && f.expect.closes.length > 0);
      if (alone) {
        await flush();
        if (w.closeCode !== null) {
          tally.sent--;
          n--;
          tally.byCategory[f.category]!--;
          continue;
        }
      }
      const id = `barrier-${++barrier}`;
      w.send(f);
      if (f.expect.kind === 'close') {
        await w.closed(show(f));
        judge(f, w.inbox, w.closeCode ?? -1, tally);
        w.inbox = [];
        continue;
      }
      w.ws.send(JSON.stringify({ t: 'ping', id }));
      window.push({ f, id });
      if (alone || window.length >= WINDOW) await flush();
    }
    await flush();
    w?.ws.terminate();
  }

  const report = (name: string, t: Tally): void => {
    console.log(
      `fuzz ${name} (seed ${SEED}): ${t.sent} hostile frames; by kind ${JSON.stringify(t.byCategory)}; closes ${JSON.stringify(t.closes)}; failures ${t.failures.length}`,
    );
  };

  beforeAll(async () => {
    h = await Harness.start({
      sqlite: true,
      helloRate: { count: 1_000_000, windowMs: 60_000 },
      visitorMessageRate: { count: 1_000_000, windowMs: 1_000 },
      resumeRate: { count: 1_000_000, windowMs: 60_000 },
      visitorBytesRate: { count: 1e12, windowMs: 1_000 },
      maxSocketsPerAddress: 100_000,
      maxOpenChatsPerAddress: 100_000,
      log: (line) => relayLog.push(line),
    });
    precious = await h.activeChat();
    for (const text of ['first', 'second <b>bold</b>', 'third 😀']) {
      precious.visitor.s.send({ t: 'send', clientId: cid(), text });
      await precious.visitor.s.next({ t: 'ack' });
    }
    precious.agent.s.send({ t: 'send', id: 'p', conversationId: precious.visitor.conversationId, clientId: cid(), text: 'agent reply' });
    await precious.agent.s.next({ id: 'p' });
    preciousLog = await h.relay.store.readEvents(precious.visitor.conversationId, 0);
    console.log(`fuzz seed ${SEED} (replay with PARLEY_FUZZ_SEED=${SEED})`);
  });
  afterAll(() => h.cleanup());

  it('answers every hostile visitor frame with the documented error or close', async () => {
    const tally = newTally();
    const quota = Math.ceil(FRAMES_PER_ENDPOINT / SOCKETS);
    await Promise.all(
      Array.from({ length: SOCKETS }, (_, i) => {
        const r = prng(SEED + i);
        const fuzzer = new FrameFuzzer(r, VISITOR_FRAMES);
        // Half the sockets fuzz inside a conversation, half before any hello.
        const setup = async (w: Wire): Promise<void> => {
          if (i % 2 === 1) return;
          w.ws.send(JSON.stringify({ t: 'hello', id: 'h', email: `fuzzer${i}@example.com` }));
          await w.until(() => w.inbox.some((f) => f['t'] === 'welcome'), 'the welcome to hello');
        };
        // A well-formed resume carries a made-up token: unauthorized, 4401.
        return drive('/v1/visitor', fuzzer, quota, tally, setup, { resume: [4401] });
      }),
    );
    report('visitor endpoint', tally);
    expect(tally.sent).toBeGreaterThanOrEqual(FRAMES_PER_ENDPOINT);
    expect(tally.failures).toEqual([]);
  }, 120_000);

  it('answers every hostile agent frame, before and after hello, with the documented error or close', async () => {
    // Chats the fuzzing agents may legitimately claim, end, transfer and block, from
    // another loopback address so that a block does not lock out the checks below.
    const victims: string[] = [];
    for (let i = 0; i < 6; i++) {
      const w = await open('/v1/visitor', '127.0.0.3');
      w.ws.send(JSON.stringify({ t: 'hello', id: 'h', email: `victim${i}@example.com` }));
      await w.until(() => w.inbox.some((f) => f['t'] === 'welcome'), 'the welcome to hello');
      victims.push(w.inbox.find((f) => f['t'] === 'welcome')!['conversation'].id);
    }
    const tally = newTally();
    const quota = Math.ceil(FRAMES_PER_ENDPOINT / SOCKETS);
    await Promise.all(
      Array.from({ length: SOCKETS }, async (_, i) => {
        const r = prng(SEED + 100 + i);
        const agent = await h.relay.addAgent(`Fuzz Agent ${i}`);
        const fuzzer = new FrameFuzzer(r, AGENT_FRAMES, { conversations: [...victims], agents: [] });
        const setup = async (w: Wire): Promise<void> => {
          w.ws.send(JSON.stringify({ t: 'hello', id: 'h', token: agent.token }));
          await w.until(() => w.inbox.some((f) => f['t'] === 'welcome'), 'the welcome to hello');
          const welcome = w.inbox.find((f) => f['t'] === 'welcome');
          // Aim at everything this agent can see: every agent and every listed chat.
          for (const a of welcome?.['agents'] ?? []) if (!fuzzer.targets.agents.includes(a.id)) fuzzer.targets.agents.push(a.id);
          for (const c of welcome?.['conversations'] ?? []) if (!fuzzer.targets.conversations.includes(c.id)) fuzzer.targets.conversations.push(c.id);
          w.ws.on('message', (d) => {
            const f = JSON.parse(String(d)) as Frame;
            if (f['t'] === 'conversation' && !fuzzer.targets.conversations.includes(f['summary'].id)) fuzzer.targets.conversations.push(f['summary'].id);
          });
        };
        return drive('/v1/agent', fuzzer, quota, tally, setup, {});
      }),
    );
    // Hostile first frames: everything but a good hello closes 4401.
    const pre = new FrameFuzzer(prng(SEED + 200), AGENT_FRAMES);
    for (let i = 0; i < 200; i++) {
      const f = pre.next();
      const w = await open('/v1/agent');
      w.send(f);
      await w.closed(`the first frame ${show(f)}`);
      tally.sent++;
      bump(tally.byCategory, `before_hello_${f.category}`);
      bump(tally.closes, String(w.closeCode));
      const expected = f.expect.kind === 'close' ? f.expect.code : 4401;
      if (w.closeCode !== expected) tally.failures.push(`before hello: closed ${w.closeCode}, expected ${expected} | frame ${show(f)}`);
      if (w.inbox.some((x) => x['t'] !== 'error')) tally.failures.push(`before hello: got ${JSON.stringify(w.inbox).slice(0, 200)}`);
    }
    report('agent endpoint', tally);
    expect(tally.sent).toBeGreaterThanOrEqual(FRAMES_PER_ENDPOINT);
    expect(tally.failures).toEqual([]);
  }, 120_000);

  it('closes a text frame that is not UTF-8 (1007, the WebSocket layer; not in PROTOCOL.md’s table)', async () => {
    const fuzzer = new FrameFuzzer(prng(SEED), VISITOR_FRAMES);
    for (const path of ['/v1/visitor', '/v1/agent'] as const) {
      const w = await open(path);
      w.send(fuzzer.badUtf8());
      await w.closed('a text frame that is not UTF-8');
      expect(w.closeCode).toBe(1007);
      expect(w.inbox).toEqual([]);
    }
  });

  it('is intact afterwards: up, no prototype pollution, old logs unchanged, a new chat works', async () => {
    expect(relayLog.filter((l) => /failed|error/i.test(l))).toEqual([]);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoKeys);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect((await fetch(`${h.relay.url}/healthz`)).status).toBe(200);

    const id = precious.visitor.conversationId;
    expect(await h.relay.store.readEvents(id, 0)).toEqual(preciousLog);
    const again = await h.connect('/v1/visitor');
    again.send({ t: 'resume', id: 'r', token: precious.visitor.token, conversationId: id, afterSeq: 0 });
    expect((await again.next({ t: 'welcome' })).events).toEqual(preciousLog);

    // A fresh visitor (another loopback address: fuzzing agents may have blocked ours) and agent.
    const s = new TestSocket(new WebSocket(h.wsUrl + '/v1/visitor', { localAddress: '127.0.0.2' }));
    h.sockets.push(s);
    await s.opened;
    s.send({ t: 'hello', id: 'h', email: 'after.fuzz@example.com' });
    const welcome = await s.next({ t: 'welcome' });
    s.send({ t: 'send', id: 's', clientId: cid(), text: 'still works?' });
    expect(await s.next({ id: 's' })).toMatchObject({ t: 'ack', seq: 2 });
    const agent = await h.agent('After Fuzz');
    agent.s.send({ t: 'claim', id: 'c', conversationId: welcome.conversation.id });
    expect(await agent.s.next({ id: 'c' })).toEqual({ t: 'ok', id: 'c' });
    agent.s.send({ t: 'send', id: 'a', conversationId: welcome.conversation.id, clientId: cid(), text: 'yes' });
    expect((await s.next((f) => f.t === 'event' && f.event.type === 'message' && f.event.from === 'agent')).event.text).toBe('yes');
  });
});
