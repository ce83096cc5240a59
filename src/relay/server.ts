/**
 * `startRelay`: one `node:http` server with `ws` in noServer mode on one port. It
 * wires the store, bus, conversation service and hub together, checks Origin in the
 * upgrade handler, runs the timers (pings, sweeps, agent token checks) and shuts
 * everything down in order: sockets (1001), then HTTP, then the store.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { CloseCode, MAX_FRAME_BYTES, MAX_NAME_LENGTH, normalizeLine } from '../protocol/index.js';
import { closeRevokedAgents, handleAgentSocket } from './agent-socket.js';
import { WebhookSender } from './webhooks.js';
import { UnseenMessages } from './unseen-messages.js';
import { deleteExpired } from './retention.js';
import { Answering } from './answering.js';
import { QueueWait } from './queue-wait.js';
import { openBackends } from './backends.js';
import { catchUp } from './catch-up.js';
import type { RelayContext } from './context.js';
import { Conversations } from './conversations.js';
import { originAllowed } from './http-util.js';
import { Hub } from './hub.js';
import { AddressSockets, HTTP_HEADROOM } from './address-sockets.js';
import { addressKey, normalizeAddress, requestAddress } from './client-address.js';
import { hashToken, newId, newToken } from './ids.js';
import { resolveOptions, type RelayOptions } from './options.js';
import { route } from './routes.js';
import { DEFAULT_CAPACITY, type Store } from './store.js';
import { handleVisitorSocket } from './visitor-socket.js';

/** A running relay. */
export interface Relay {
  /** Base URL, such as 'http://127.0.0.1:8080'. */
  readonly url: string;
  readonly port: number;
  readonly store: Store;
  /** What the relay holds now, for monitoring (and for tests that nothing is kept for what is gone). */
  stats(): RelayStats;
  /** Adds an agent and resolves to its token (shown once; only its hash is stored). */
  addAgent(name: string, capacity?: number): Promise<{ id: string; name: string; token: string; capacity: number }>;
  /** Closes every socket with 1001, stops HTTP, finishes writes and (when it opened it) closes the store. Idempotent. */
  close(): Promise<void>;
}

/** Counts of what a relay holds in memory now. */
export interface RelayStats {
  visitorSockets: number;
  agentSockets: number;
  /** Conversations some agent socket watches. */
  watchedConversations: number;
  /** Addresses with at least one socket open. */
  addresses: number;
}

/** How long a connection may take to send a request's headers. */
const HEADERS_TIMEOUT_MS = 10_000;

/** How long sockets get to finish their closing handshake at shutdown. */
const SHUTDOWN_GRACE_MS = 2_000;

const HANDSHAKE_REFUSALS: Record<number, { code: string; reason: string }> = {
  403: { code: 'forbidden', reason: 'Forbidden' },
  404: { code: 'not_found', reason: 'Not Found' },
  429: { code: 'rate_limited', reason: 'Too Many Requests' },
};

function abortHandshake(socket: Duplex, status: 403 | 404 | 429, text: string): void {
  const { code, reason } = HANDSHAKE_REFUSALS[status]!;
  const body = JSON.stringify({ error: { code, message: text } });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\n` +
      'Connection: close\r\nContent-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  socket.destroy();
}

/**
 * Adds an agent to a store; the name is trimmed, 1 to 100 characters; `capacity` chats
 * at once (default 3). Resolves once the agent is durable: only then is the token
 * handed out.
 * @throws TypeError for a bad name, RangeError for a bad capacity.
 */
export async function addAgentTo(store: Store, name: string, capacity = DEFAULT_CAPACITY): Promise<{ id: string; name: string; token: string; capacity: number }> {
  const clean = typeof name === 'string' ? normalizeLine(name, MAX_NAME_LENGTH) : null;
  if (!clean) throw new TypeError('agent name must be 1 to 100 characters of text');
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
  const id = newId();
  const token = newToken();
  await store.addAgent({ id, name: clean, tokenHash: hashToken(token), createdAt: new Date().toISOString(), capacity });
  return { id, name: clean, token, capacity };
}

/**
 * Starts a relay and resolves once it listens.
 * @throws TypeError / RangeError for bad options; the listen error when the port is taken.
 */
export async function startRelay(options: RelayOptions = {}): Promise<Relay> {
  const opts = resolveOptions(options);
  const backends = await openBackends(opts, options.store);
  const { store, bus, limiters } = backends;
  const hub = new Hub(bus);
  const webhook = opts.webhook ? new WebhookSender(store, opts.webhook, bus.relayId, opts.log, opts.now) : null;
  // Answers the customer has not read (`message.unseen`) are looked for as often as sweeps, with a webhook only.
  const unseen = webhook ? new UnseenMessages(store, opts.unseenAfterMs, () => webhook.nudge(), opts.now) : null;
  let conversations: Conversations;
  try {
    conversations = await Conversations.open(store, bus, {
      visitorMessageRate: opts.visitorMessageRate,
      abandonedAfterMs: opts.abandonedAfterMs,
      idleAfterMs: opts.idleAfterMs,
      visitorBytesRate: opts.visitorBytesRate,
      blockDays: opts.blockDays,
      maxOpenChatsPerAddress: opts.maxOpenChatsPerAddress,
      limiters,
      heartbeatMs: opts.heartbeatMs,
      summaryDelayMs: opts.summaryDelayMs,
      now: opts.now,
      ...(webhook ? { deliveriesStored: () => webhook.nudge() } : {}),
      routing: opts.routing,
    });
  } catch (err) {
    hub.close();
    await backends.close();
    throw err;
  }
  const ctx: RelayContext = {
    conversations,
    store,
    hub,
    helloLimiter: limiters('hello', opts.helloRate),
    resumeLimiter: limiters('resume', opts.resumeRate),
    fileRequestLimiter: limiters('files', opts.fileRequestRate),
    options: opts,
    log: opts.log,
    uploadsInFlight: new Set(),
    downloads: { sending: 0 },
    storeAnswers: () => store.ping(),
    answering: new Answering(store, conversations.routing.availability, opts.hours, opts.requireIdentity, opts.now),
    queueWait: new QueueWait(store, opts.log, opts.now),
  };
  const addressSockets = new AddressSockets(opts.maxSocketsPerAddress);
  hub.onGap = (peer, conversationId) => catchUp(peer, conversationId, ctx);
  hub.queueWait = () => ctx.queueWait.current();
  ctx.queueWait.onChange = () => hub.tellQueueWait();
  // News from other relays can be lost (one died between its commit and its publish,
  // or the bus was away): what sockets here follow is read again from the store.
  const catchUpHere = (): Promise<void> => conversations.catchUpWithStore(hub.followedConversations());
  backends.onBusReconnect(() =>
    void Promise.all([catchUpHere(), conversations.resync()]).catch((err: unknown) => opts.log(`catch-up failed: ${String(err)}`)),
  );

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
    clientTracking: true,
  });
  const server = createServer((req, res) => {
    try {
      route(req, res, ctx);
    } catch (err) {
      opts.log(`http request failed: ${String(err)}`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'internal', message: 'internal error' } }));
    }
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/v1/visitor' && path !== '/v1/agent') return abortHandshake(socket, 404, 'not found');
    if (!originAllowed(req, opts.allowedOrigins)) return abortHandshake(socket, 403, 'origin not allowed');
    const ip = requestAddress(req, opts.trustProxy);
    const key = addressKey(ip);
    if (!addressSockets.take(key)) return abortHandshake(socket, 429, 'too many open sockets from this address');
    let counted = true;
    const release = (): void => {
      if (counted) addressSockets.release(key);
      counted = false;
    };
    socket.once('close', release);
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.once('close', release);
      if (path === '/v1/visitor') handleVisitorSocket(ws, ip, ctx);
      else handleAgentSocket(ws, ip, ctx);
    });
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  // Without a trusted proxy every connection's peer is a client: plain HTTP connections
  // (half-sent requests, slow uploads) count against the address's budget too, and a
  // request's headers must arrive within HEADERS_TIMEOUT_MS. Behind a proxy all peers
  // are the proxy; the budget then counts each client's sockets at the upgrade only.
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  if (opts.trustProxy.kind === 'none') {
    const connections = new AddressSockets(opts.maxSocketsPerAddress + HTTP_HEADROOM);
    server.on('connection', (socket) => {
      const key = addressKey(normalizeAddress(socket.remoteAddress ?? '') ?? 'unknown');
      if (!connections.take(key)) {
        socket.destroy();
        return;
      }
      socket.once('close', () => connections.release(key));
    });
  }

  /** A timer's work, logged when it fails and skipped while its previous run is still going (a slow store). */
  const safely = (name: string, f: () => void | Promise<void>) => {
    let running = false;
    return () => {
      if (running) return;
      running = true;
      void (async () => f())()
        .catch((err: unknown) => opts.log(`${name} failed: ${String(err)}`))
        .finally(() => (running = false));
    };
  };
  const retention = safely('retention', async () => {
    if (opts.retentionDays === null) return;
    const r = await deleteExpired(store, opts.retentionDays, opts.now());
    if (r.conversations > 0) opts.log(`retention: deleted ${r.conversations} conversations and ${r.files} files ended over ${opts.retentionDays} days ago`);
  });
  const timers = [
    setInterval(
      safely('ping', () => {
        for (const p of [...hub.visitorPeers, ...hub.agentPeers]) {
          if (!p.alive) {
            p.terminate();
            continue;
          }
          p.alive = false;
          if (p.open) p.ws.ping();
          p.judge();
        }
      }),
      opts.pingIntervalMs,
    ),
    setInterval(
      safely('sweep', async () => {
        ctx.helloLimiter.sweep();
        ctx.resumeLimiter.sweep();
        ctx.fileRequestLimiter.sweep();
        // Kept fresh while nothing else asks, so customers already queued hear a new estimate.
        ctx.queueWait.current();
        await conversations.sweep();
      }),
      opts.sweepIntervalMs,
    ),
    // Answers the customer has not read, at the sweep's pace (or oftener for a short delay:
    // a quarter of it, at least every 250 ms), but not held up by a sweep that fails.
    ...(unseen ? [setInterval(safely('unseen', async () => void (await unseen.check())), Math.min(opts.sweepIntervalMs, Math.max(250, opts.unseenAfterMs / 4)))] : []),
    setInterval(safely('agent check', () => closeRevokedAgents(ctx)), opts.agentCheckIntervalMs),
    setInterval(retention, opts.retentionIntervalMs),
    setInterval(safely('routing', () => conversations.routing.tick()), opts.routingTickMs),
    setInterval(safely('catch-up', () => (bus.shared ? catchUpHere() : undefined)), opts.heartbeatMs),
  ];
  for (const t of timers) t.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (err: unknown) => {
    for (const t of timers) clearInterval(t);
    hub.close();
    conversations.close();
    await backends.close();
    throw err;
  });
  server.on('error', (err) => opts.log(`server error: ${String(err)}`));
  // Deliveries left by a relay that stopped (or crashed) are sent from now on.
  webhook?.start();
  retention();

  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const hostForUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  let closing: Promise<void> | null = null;

  const close = (): Promise<void> => {
    if (closing) return closing;
    closing = (async () => {
      for (const t of timers) clearInterval(t);
      // No new connection from here on (a load balancer sends it to another relay).
      const stopped = new Promise<void>((r) => server.close(() => r()));
      const sockets = [...wss.clients];
      const closed = Promise.all(sockets.map((ws) => new Promise<void>((r) => (ws.readyState === ws.CLOSED ? r() : ws.once('close', () => r())))));
      for (const p of [...hub.visitorPeers, ...hub.agentPeers]) p.close(CloseCode.GOING_AWAY, 'relay shutting down');
      const grace = setTimeout(() => {
        for (const ws of wss.clients) ws.terminate();
      }, SHUTDOWN_GRACE_MS);
      await closed;
      clearTimeout(grace);
      server.closeAllConnections();
      await stopped;
      await new Promise<void>((r) => wss.close(() => r()));
      // Let the last bus deliveries (socket-close bookkeeping) run before the store goes.
      await new Promise<void>((r) => setImmediate(r));
      hub.close();
      conversations.close();
      await webhook?.close();
      await backends.close();
    })();
    return closing;
  };

  return {
    url: `http://${hostForUrl}:${port}`,
    port,
    store,
    addAgent: (name: string, capacity?: number) => addAgentTo(store, name, capacity),
    stats: () => ({
      visitorSockets: hub.visitorPeers.size,
      agentSockets: hub.agentPeers.size,
      watchedConversations: hub.watchedCount(),
      addresses: addressSockets.size,
    }),
    close,
  };
}
