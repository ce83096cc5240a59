/**
 * Test helper: an HTTP server on 127.0.0.1 port 0 that records every webhook request
 * (headers and raw body) and answers with what the test says (`answer`), so a test can
 * make the receiver fail, hang or succeed. Stops with `close()`; `useWebhookRelay()`
 * holds a test's relay and receiver and stops both after each test.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterEach } from 'vitest';
import type { Harness } from './helpers.js';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** What the receiver does with a request: a status to answer, or 'hang' (never answers). */
export type Answer = number | 'hang';

export interface Receiver {
  url: string;
  received: Received[];
  /** Chooses the answer for each request (by its index among those received). */
  answer: (index: number, r: Received) => Answer;
  close(): Promise<void>;
}

export async function startReceiver(answer: Receiver['answer'] = () => 200): Promise<Receiver> {
  const received: Received[] = [];
  const r = { received, answer } as Receiver;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const got = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      received.push(got);
      const a = r.answer(received.length - 1, got);
      if (a === 'hang') return;
      res.writeHead(a, { 'Content-Type': 'text/plain' }).end(a < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  r.url = `http://127.0.0.1:${port}/hooks/parley`;
  r.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return r;
}

/**
 * Checks a `Parley-Signature` header as a receiver would (written here from the docs, not
 * from the relay's code): `t=SECONDS,v1=HEX`, HEX = HMAC-SHA256(secret, `${t}.${body}`).
 */
export function signatureValid(header: string | string[] | undefined, body: string, secret: string): boolean {
  if (typeof header !== 'string') return false;
  const parts = new Map(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = parts.get('t');
  const v1 = parts.get('v1');
  if (!t || !v1) return false;
  return createHmac('sha256', secret).update(`${t}.${body}`).digest('hex') === v1;
}

/** The relay and the webhook receiver of the current test, stopped after each test. */
export interface WebhookRelay {
  h: Harness | null;
  receiver: Receiver | null;
}

/** Registers the teardown; the test's start function sets `h` and `receiver`. */
export function useWebhookRelay(): WebhookRelay {
  const t: WebhookRelay = { h: null, receiver: null };
  afterEach(async () => {
    await t.h?.cleanup();
    await t.receiver?.close();
    t.h = t.receiver = null;
  });
  return t;
}
