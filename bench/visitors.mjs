// The visitors process of the bench: opens many visitor conversations (hello → welcome)
// and sends messages through them in three patterns: closed-loop saturation (next message
// when the previous one is acked), an open-loop fixed offered rate, and one conversation
// sending sequentially. It times send → ack and stamps each text with its send time so
// the agents process can time send → event.
import WebSocket from 'ws';
import { randomUUID } from 'node:crypto';
import { serve } from './ipc.mjs';
import { now, sleep, summarize } from './stats.mjs';

/** @type {{ws: WebSocket, conversationId: string, pending: Map<string, number>, onAck: ((sentAt: number, at: number) => void) | null}[]} */
let visitors = [];
let errors = {};
let closedEarly = {};

function count(bucket, key) {
  bucket[key] = (bucket[key] ?? 0) + 1;
}

function openOne(url, i) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/visitor`, { perMessageDeflate: false });
    const v = { ws, conversationId: '', pending: new Map(), onAck: null };
    let welcomed = false;
    ws.on('open', () => ws.send(JSON.stringify({ t: 'hello', id: 'hello', email: `visitor${i}@bench.example` })));
    ws.on('error', (err) => {
      if (!welcomed) reject(err);
    });
    ws.on('close', (code) => {
      if (!welcomed) reject(new Error(`closed ${code} before welcome`));
      else count(closedEarly, String(code));
    });
    ws.on('message', (data) => {
      const at = now();
      const f = JSON.parse(data.toString());
      if (f.t === 'ack') {
        const sentAt = v.pending.get(f.clientId);
        if (sentAt === undefined) return;
        v.pending.delete(f.clientId);
        if (v.onAck) v.onAck(sentAt, at);
      } else if (f.t === 'welcome') {
        welcomed = true;
        v.conversationId = f.conversation.id;
        resolve(v);
      } else if (f.t === 'error') {
        count(errors, f.code);
        if (!welcomed) reject(new Error(`hello refused: ${f.code} ${f.message}`));
      }
    });
  });
}

/** The phase tag written into every text, so agents count only the current phase's messages. */
let phase = 'none';

function send(v, stamp) {
  const clientId = randomUUID();
  v.pending.set(clientId, stamp);
  v.ws.send(JSON.stringify({ t: 'send', clientId, text: `bench ${phase} ${stamp}` }));
}

/** Opens `count` conversations, at most `concurrency` handshakes at a time, starting none after `deadlineMs`. */
async function open({ url, count: n, concurrency = 100, deadlineMs = 60_000 }) {
  const t0 = now();
  const stopAt = t0 + deadlineMs;
  let stopped = false;
  const failures = {};
  let next = 0;
  const opened = [];
  async function lane() {
    while (next < n) {
      if (now() > stopAt) {
        stopped = true;
        return;
      }
      const i = next++;
      try {
        opened.push(await openOne(url, visitors.length + i));
      } catch (err) {
        count(failures, String(err.code ?? err.message).slice(0, 80));
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
  visitors.push(...opened);
  return { opened: opened.length, failures, ms: now() - t0, stopped };
}

/** Waits until no send is pending or `timeoutMs` passes; returns how many are still pending. */
async function drain(list, timeoutMs) {
  const until = Date.now() + timeoutMs;
  let left = 0;
  do {
    left = 0;
    for (const v of list) left += v.pending.size;
    if (left === 0) break;
    await sleep(20);
  } while (Date.now() < until);
  return left;
}

serve({
  open,
  /** This process's CPU time so far (µs), to tell the load generators' share of a run. */
  cpu: () => process.cpuUsage(),
  /** Closed loop: every conversation sends its next message when the previous is acked, until `until`. */
  async saturate({ until, drainMs = 10_000, tag = 'saturate' }) {
    phase = tag;
    const acks = [];
    let sent = 0;
    for (const v of visitors) {
      v.onAck = (sentAt, at) => {
        acks.push(at - sentAt);
        if (at < until) {
          send(v, now());
          sent++;
        }
      };
    }
    for (const v of visitors) {
      send(v, now());
      sent++;
    }
    while (now() < until) await sleep(20);
    const unacked = await drain(visitors, drainMs);
    for (const v of visitors) v.onAck = null;
    return { sent, acked: acks.length, unacked, ack: summarize(acks), errors, closedEarly };
  },
  /** Open loop: `rate` messages/s round-robin over the conversations for `durationMs`; stamps are the scheduled times. */
  async offered({ rate, durationMs, drainMs = 10_000, tag = 'offered' }) {
    phase = tag;
    const acks = [];
    for (const v of visitors) v.onAck = (sentAt, at) => acks.push(at - sentAt);
    const total = Math.round((rate * durationMs) / 1000);
    const t0 = now() + 20;
    let i = 0;
    let behindMax = 0;
    while (i < total) {
      const t = now();
      while (i < total && t0 + (i * 1000) / rate <= t) {
        const stamp = t0 + (i * 1000) / rate;
        behindMax = Math.max(behindMax, t - stamp);
        send(visitors[i % visitors.length], stamp);
        i++;
      }
      await sleep(1);
    }
    const unacked = await drain(visitors, drainMs);
    for (const v of visitors) v.onAck = null;
    return { sent: i, acked: acks.length, unacked, ack: summarize(acks), senderBehindMaxMs: behindMax, errors, closedEarly };
  },
  /** One conversation (the first), `count` messages one after another: send → ack. */
  async sequential({ count: n, timeoutMs = 30_000, tag = 'sequential' }) {
    phase = tag;
    const v = visitors[0];
    const acks = [];
    const until = Date.now() + timeoutMs;
    for (let k = 0; k < n && Date.now() < until; k++) {
      const acked = await new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), Math.max(1, until - Date.now()));
        v.onAck = (sentAt, at) => {
          acks.push(at - sentAt);
          clearTimeout(timer);
          resolve(true);
        };
        send(v, now());
      });
      if (!acked) break;
    }
    v.onAck = null;
    return { sent: n, acked: acks.length, ack: summarize(acks), errors };
  },
  /** Closes every visitor socket. */
  async close() {
    for (const v of visitors) {
      v.ws.removeAllListeners('close');
      v.ws.on('error', () => {});
      v.ws.terminate();
    }
    visitors = [];
    errors = {};
    closedEarly = {};
    return true;
  },
  stats() {
    return { open: visitors.length, errors, closedEarly };
  },
});
