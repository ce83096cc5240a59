// A tiny request/reply layer over child_process IPC, so the orchestrator can drive the
// server, visitor and agent processes step by step. It owns message ids and timeouts,
// nothing about what the commands mean.
import { fork } from 'node:child_process';

/**
 * Serves commands in a forked child: `handlers[cmd](args)` may return a value or a promise.
 * Replies `{ re, ok, result }` or `{ re, ok: false, error }`.
 * @param {Record<string, (args: any) => any>} handlers
 */
export function serve(handlers) {
  process.on('message', async (msg) => {
    if (!msg || typeof msg.cmd !== 'string') return;
    try {
      const fn = handlers[msg.cmd];
      if (!fn) throw new Error(`unknown command ${msg.cmd}`);
      const result = await fn(msg.args ?? {});
      process.send({ re: msg.seq, ok: true, result });
    } catch (err) {
      process.send({ re: msg.seq, ok: false, error: String(err && err.stack ? err.stack : err) });
    }
  });
  // The parent going away ends the child: no orphans if the harness crashes.
  process.on('disconnect', () => process.exit(0));
}

/** Children still running; asked to end (SIGTERM) if this process exits first. */
const children = new Set();
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
});

/**
 * Forks `file` and returns a handle whose `call(cmd, args, timeoutMs)` resolves with the
 * child's result or rejects with its error, a timeout, or its exit.
 * @param {string} file
 * @param {{ execArgv?: string[], args?: string[] }} [opts]
 */
export function spawnWorker(file, opts = {}) {
  const child = fork(file, opts.args ?? [], {
    execArgv: opts.execArgv ?? [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  let seq = 0;
  const pending = new Map();
  let exited = null;
  child.on('message', (msg) => {
    const p = msg && pending.get(msg.re);
    if (!p) return;
    pending.delete(msg.re);
    clearTimeout(p.timer);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new Error(msg.error));
  });
  child.on('exit', (code, signal) => {
    children.delete(child);
    exited = `exited (code ${code}, signal ${signal})`;
    for (const p of pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error(`${file} ${exited}`));
    }
    pending.clear();
  });
  return {
    child,
    /** @returns {Promise<any>} */
    call(cmd, args = {}, timeoutMs = 60_000) {
      if (exited) return Promise.reject(new Error(`${file} ${exited}`));
      const id = ++seq;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${cmd} timed out after ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, { resolve, reject, timer });
        child.send({ seq: id, cmd, args });
      });
    },
    /** Ends the child at once; idempotent. */
    kill() {
      if (!exited && child.exitCode === null) child.kill('SIGKILL');
    },
    /** Asks the child to exit (it exits when the IPC channel closes), then kills it after `graceMs`; idempotent. */
    async end(graceMs = 5000) {
      if (exited || child.exitCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      if (child.connected) child.disconnect();
      const timer = setTimeout(() => this.kill(), graceMs);
      await gone;
      clearTimeout(timer);
    },
  };
}
