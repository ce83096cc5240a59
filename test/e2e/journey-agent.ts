/**
 * An agent that speaks the wire protocol (docs/protocol.md, agent side) from the test
 * process over `ws`: it signs in, sends typed frames, awaits replies by `id` and waits
 * for pushed frames by predicate. It is the other end of the browser journeys; it does
 * no checking of its own beyond failing loudly on a timeout or an `error` reply.
 */
import WebSocket from 'ws';
import type { AgentFrame, AgentWelcome, LogEvent, RelayToAgentFrame } from '../../src/protocol/index.js';

/** A frame the relay sent to this agent, narrowed by its `t`. */
export type AgentInbound<T extends RelayToAgentFrame['t'] = RelayToAgentFrame['t']> = Extract<RelayToAgentFrame, { t: T }>;

/** An agent socket of one signed-in agent. Close it with `close()` (idempotent). */
export class AgentWire {
  /** Every frame received, in order. */
  readonly frames: RelayToAgentFrame[] = [];
  /** The relay's `welcome` answer to this agent's `hello`. */
  welcome!: AgentWelcome;
  #ws: WebSocket;
  #waiters: { match: (f: RelayToAgentFrame) => boolean; resolve: (f: RelayToAgentFrame) => void }[] = [];
  #ids = 0;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('error', () => undefined);
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as RelayToAgentFrame;
      this.frames.push(frame);
      for (const w of [...this.#waiters]) {
        if (w.match(frame)) {
          this.#waiters.splice(this.#waiters.indexOf(w), 1);
          w.resolve(frame);
        }
      }
    });
  }

  /** Opens `/v1/agent` on the relay at `baseUrl` and signs in with `token`. */
  static async connect(baseUrl: string, token: string): Promise<AgentWire> {
    const ws = new WebSocket(baseUrl.replace(/^http/, 'ws') + '/v1/agent');
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const agent = new AgentWire(ws);
    agent.welcome = (await agent.request({ t: 'hello', id: 'hello', token })) as AgentWelcome;
    return agent;
  }

  /** Sends a frame without waiting for anything. */
  send(frame: AgentFrame): void {
    this.#ws.send(JSON.stringify(frame));
  }

  /**
   * Sends a frame with a fresh `id` (unless it has one) and resolves with the reply
   * carrying that id; an `error` reply rejects with its code and message.
   */
  async request(frame: AgentFrame): Promise<RelayToAgentFrame> {
    const id = 'id' in frame && frame.id ? frame.id : `r${++this.#ids}`;
    const reply = this.next((f) => 'id' in f && f.id === id, 5_000);
    this.send({ ...frame, id } as AgentFrame);
    const f = await reply;
    if (f.t === 'error') throw new Error(`relay refused ${frame.t}: ${f.code} ${f.message}`);
    return f;
  }

  /**
   * The first frame matching `match`, among those already received (searched from the
   * start, so an early event is never missed) or still to come within `timeoutMs`.
   */
  next(match: (f: RelayToAgentFrame) => boolean, timeoutMs = 10_000): Promise<RelayToAgentFrame> {
    const have = this.frames.find(match);
    if (have) return Promise.resolve(have);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(new Error(`no matching frame within ${timeoutMs} ms; last frames: ${JSON.stringify(this.frames.slice(-5))}`));
      }, timeoutMs);
      const waiter = {
        match,
        resolve: (f: RelayToAgentFrame) => {
          clearTimeout(timer);
          resolve(f);
        },
      };
      this.#waiters.push(waiter);
    });
  }

  /** The first log event of a conversation that matches `match` (received already or within `timeoutMs`). */
  async event(conversationId: string, match: (e: LogEvent) => boolean, timeoutMs = 10_000): Promise<LogEvent> {
    const f = await this.next((x) => x.t === 'event' && x.conversationId === conversationId && match(x.event), timeoutMs);
    return (f as AgentInbound<'event'>).event;
  }

  /** Closes the socket; safe to call twice. */
  close(): void {
    if (this.#ws.readyState === WebSocket.OPEN || this.#ws.readyState === WebSocket.CONNECTING) this.#ws.close();
  }
}
