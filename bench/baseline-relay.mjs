// The bare `ws` relay the bench compares Parley's relay against: it speaks just enough
// of the protocol for the bench clients (hello/welcome, conversation pushes, claim, send →
// event + ack) with no store, no validation, no rate limits and no durability.
// It is a yardstick, not a product: never use it for anything else.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { WebSocketServer } from 'ws';

/**
 * Starts the baseline relay on loopback.
 * @param {{ port?: number, host?: string }} [options]
 * @returns {Promise<{ url: string, port: number, addAgent(name: string): {id: string, name: string, token: string}, close(): Promise<void> }>}
 */
export async function startBaseline(options = {}) {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 });
  const agents = new Map(); // token -> {id, name}
  const agentSockets = new Set();
  const owner = new Map(); // conversationId -> agent socket
  const seqs = new Map(); // conversationId -> last seq

  server.on('upgrade', (req, socket, head) => {
    const path = req.url.split('?')[0];
    if (path !== '/v1/visitor' && path !== '/v1/agent') return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => (path === '/v1/visitor' ? visitor(ws) : agent(ws)));
  });

  function visitor(ws) {
    let conversationId = null;
    ws.on('message', (data) => {
      const f = JSON.parse(data.toString());
      if (f.t === 'hello') {
        conversationId = randomBytes(16).toString('base64url');
        seqs.set(conversationId, 1);
        ws.send(
          JSON.stringify({
            t: 'welcome',
            id: f.id,
            token: randomBytes(32).toString('base64url'),
            conversation: { id: conversationId, status: 'queued' },
            events: [],
          }),
        );
        const summary = JSON.stringify({
          t: 'conversation',
          summary: { id: conversationId, status: 'queued', visitor: { email: f.email }, visitorOnline: true, lastSeq: 1, unread: 0 },
        });
        for (const a of agentSockets) a.send(summary);
      } else if (f.t === 'send' && conversationId) {
        const seq = seqs.get(conversationId) + 1;
        seqs.set(conversationId, seq);
        const to = owner.get(conversationId);
        if (to) {
          const event = { seq, at: new Date().toISOString(), type: 'message', from: 'visitor', text: f.text, clientId: f.clientId };
          to.send(JSON.stringify({ t: 'event', conversationId, event }));
        }
        ws.send(JSON.stringify({ t: 'ack', id: f.id, clientId: f.clientId, seq }));
      }
    });
  }

  function agent(ws) {
    ws.on('message', (data) => {
      const f = JSON.parse(data.toString());
      if (f.t === 'hello') {
        const a = agents.get(f.token) ?? { id: 'unknown', name: 'unknown' };
        agentSockets.add(ws);
        ws.send(JSON.stringify({ t: 'welcome', id: f.id, agent: a, agents: [], conversations: [] }));
      } else if (f.t === 'claim') {
        if (owner.has(f.conversationId)) {
          ws.send(JSON.stringify({ t: 'error', id: f.id, code: 'conflict', message: 'already claimed' }));
        } else {
          owner.set(f.conversationId, ws);
          ws.send(JSON.stringify({ t: 'ok', id: f.id }));
        }
      }
    });
    ws.on('close', () => agentSockets.delete(ws));
  }

  await new Promise((resolve) => server.listen(options.port ?? 0, host, resolve));
  const port = server.address().port;
  let closing = null;
  return {
    url: `http://${host}:${port}`,
    port,
    addAgent(name) {
      const a = { id: randomBytes(16).toString('base64url'), name, token: randomBytes(32).toString('base64url') };
      agents.set(a.token, { id: a.id, name });
      return a;
    },
    close() {
      closing ??= new Promise((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        server.close(() => resolve());
      });
      return closing;
    },
  };
}
