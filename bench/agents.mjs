// The agents process of the bench: ~10 agent sockets that sign in, claim the queued
// conversations assigned to them (each conversation goes to exactly one agent, chosen by
// a hash of its id, so claims never race), and time every visitor message they receive.
// It measures; it never answers messages.
import WebSocket from 'ws';
import { serve } from './ipc.mjs';
import { now, summarize } from './stats.mjs';

let sockets = [];
let claimed = 0;
let claimErrors = {};
let received = []; // [recvAt, sentAt] pairs, flattened
let recording = false;
let phase = ''; // only texts tagged with this phase are recorded
let seen = new Set(); // clientIds recorded in this phase
let duplicates = 0;
let strays = 0; // visitor messages of another phase that arrived while recording
let otherErrors = {};
const asked = new Set();
let frames = {}; // frame type -> count, while recording

function hash(s) {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

function connectOne(url, agent, index, count) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/agent`, { perMessageDeflate: false });
    let n = 0;
    const claim = (summary) => {
      if (summary.status !== 'queued' || summary.ownerId) return;
      if (hash(summary.id) % count !== index || asked.has(summary.id)) return;
      asked.add(summary.id);
      ws.send(JSON.stringify({ t: 'claim', id: `c${++n}`, conversationId: summary.id }));
    };
    ws.on('open', () => ws.send(JSON.stringify({ t: 'hello', id: 'hello', token: agent.token })));
    ws.on('error', reject);
    ws.on('close', (code) => reject(new Error(`agent socket closed ${code}`)));
    ws.on('message', (data) => {
      const at = now();
      const f = JSON.parse(data.toString());
      if (recording) frames[f.t] = (frames[f.t] ?? 0) + 1;
      switch (f.t) {
        case 'event': {
          const e = f.event;
          if (recording && e && e.type === 'message' && e.from === 'visitor') {
            const [, tag, stamp] = e.text.split(' ');
            if (tag !== phase) strays++;
            else if (seen.has(e.clientId)) duplicates++;
            else {
              seen.add(e.clientId);
              received.push(at, Number(stamp));
            }
          }
          break;
        }
        case 'welcome':
          for (const s of f.conversations ?? []) claim(s);
          resolve(ws);
          break;
        case 'conversation':
          claim(f.summary);
          break;
        case 'ok':
          if (typeof f.id === 'string' && f.id.startsWith('c')) claimed++;
          break;
        case 'error': {
          const bucket = typeof f.id === 'string' && f.id.startsWith('c') ? claimErrors : otherErrors;
          bucket[f.code] = (bucket[f.code] ?? 0) + 1;
          if (f.id === 'hello') reject(new Error(`agent hello refused: ${f.code} ${f.message}`));
          break;
        }
      }
    });
  });
}

serve({
  /** This process's CPU time so far (µs), to tell the load generators' share of a run. */
  cpu: () => process.cpuUsage(),
  /** Signs the agents in. */
  async connect({ url, agents }) {
    sockets = await Promise.all(agents.map((a, i) => connectOne(url, a, i, agents.length)));
    return { agents: sockets.length };
  },
  /** Resolves once `count` claims were accepted, or reports how many after `timeoutMs`. */
  async waitClaimed({ count, timeoutMs }) {
    const until = Date.now() + timeoutMs;
    while (claimed < count && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    return { claimed, claimErrors };
  },
  /** Starts recording received visitor messages tagged `tag` (clears the previous samples). */
  record({ tag }) {
    phase = tag;
    seen = new Set();
    duplicates = 0;
    strays = 0;
    received = [];
    frames = {};
    recording = true;
    return true;
  },
  /** How many visitor messages were recorded so far. */
  count() {
    return received.length / 2;
  },
  /**
   * Stops recording and reports: how many distinct messages arrived in [from, to] (by
   * receive time), how many in all, latency percentiles (receive time − send stamp in the
   * text), and how many arrived twice (same clientId) or belonged to another phase.
   */
  report({ from, to }) {
    recording = false;
    let inWindow = 0;
    const lat = [];
    for (let i = 0; i < received.length; i += 2) {
      const at = received[i];
      if (at >= from && at <= to) inWindow++;
      lat.push(at - received[i + 1]);
    }
    return { total: received.length / 2, inWindow, latency: summarize(lat), errors: otherErrors, frames, duplicates, strays };
  },
  /** Closes every agent socket. */
  close() {
    for (const ws of sockets) {
      ws.removeAllListeners('close');
      ws.on('error', () => {});
      ws.terminate();
    }
    sockets = [];
    return true;
  },
});
