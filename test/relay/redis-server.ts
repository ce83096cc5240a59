/**
 * Test helper: a throwaway `redis-server` on a free loopback port, for the tests of
 * the Redis bus and limiters. It keeps nothing on disk, can be restarted on the same
 * port (to test outages), and is killed when the test process exits at the latest.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';

/** A running test Redis. */
export interface TestRedis {
  url: string;
  port: number;
  /** Kills the server and waits until it has exited. */
  stop(): Promise<void>;
  /** Stops the server and starts a new, empty one on the same port. */
  restart(): Promise<void>;
}

const NOT_INSTALLED = 'Redis is not installed: install the Debian package redis-server (apt-get install -y redis-server)';

/** Starts `redis-server` on a free port and resolves once it answers PING. */
export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined = await launch(port);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      const running = child;
      child = undefined;
      if (running) await kill(running);
    },
    async restart() {
      const running = child;
      child = undefined;
      if (running) await kill(running);
      child = await launch(port);
    },
  };
}

/** A port nobody listens on right now: the one the system gives a listener on port 0. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** Spawns the server and waits until it answers; kills it on failure. */
async function launch(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tmpdir()],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-2000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const failed = new Promise<never>((_, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'ENOENT' ? new Error(NOT_INSTALLED) : err),
    );
    child.once('exit', (code, signal) =>
      reject(new Error(`redis-server exited (${signal ?? code}) before it answered: ${output.trim()}`)),
    );
  });
  failed.catch(() => {}); // only read through the race below
  const deadline = Date.now() + 10_000;
  try {
    for (;;) {
      if (await Promise.race([ping(port), failed])) return child;
      if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING within 10 s`);
      await Promise.race([new Promise((r) => setTimeout(r, 25)), failed]);
    }
  } catch (err) {
    await kill(child);
    throw err;
  }
}

/** True when a server on `port` answers PING with PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

/** Kills the server and resolves once it has exited. */
function kill(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
