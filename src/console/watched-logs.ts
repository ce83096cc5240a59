/**
 * The logs of the conversations an agent watches, for `AgentConnection`: each fetched
 * with `watch` after the last seq held, page by page, merged by seq, fetched again after
 * a reconnect, and fetched again when a live event skips ahead. It sends nothing itself:
 * the connection gives it a way to make requests and hears what was merged.
 */
import { mergeEvents, type AgentFrame, type LogEvent, type OkFrame } from '../protocol/index.js';
import type { WithoutId } from '../transport/index.js';
import type { ConnectionEventMap, ConsoleError } from './connection-types.js';

type EventsDetail = ConnectionEventMap['events'];

/** What the watched logs need of their connection. */
export interface WatchHost {
  /** Sends a request; `done` runs as its reply is read. */
  call(frame: WithoutId<AgentFrame>, done: (err: ConsoleError | null, ok?: OkFrame) => void): void;
  /** Whether the relay has welcomed the socket. */
  open(): boolean;
  /** Tells the relay a conversation is no longer watched. */
  unwatch(conversationId: string): void;
  /** Events were merged (`detail`, when there is news to tell), with the `clientId`s of the messages among them. */
  merged(detail: EventsDetail | null, logged: string[]): void;
  /** A watch failed for a reason other than a lost socket. */
  failed(err: ConsoleError & { conversationId: string }): void;
}

interface Watched {
  log: LogEvent[];
  inFlight: boolean;
  /** The highest seq heard past a gap, so the log is fetched again up to it. */
  heardUpTo: number;
}

const lastSeq = (log: readonly LogEvent[]) => (log.length ? log[log.length - 1]!.seq : 0);

/** The watched conversations' logs of one connection. */
export class WatchedLogs {
  private readonly watched = new Map<string, Watched>();

  constructor(private readonly host: WatchHost) {}

  /** Starts following a conversation (idempotent); fetches its log now if connected. */
  watch(conversationId: string): void {
    if (this.watched.has(conversationId)) return;
    this.watched.set(conversationId, { log: [], inFlight: false, heardUpTo: 0 });
    if (this.host.open()) this.fetch(conversationId);
  }

  /** Stops following a conversation, here and on the relay. */
  unwatch(conversationId: string): void {
    if (this.watched.delete(conversationId) && this.host.open()) this.host.unwatch(conversationId);
  }

  /** The merged log of a watched conversation (empty when not watched). */
  log(conversationId: string): readonly LogEvent[] {
    return this.watched.get(conversationId)?.log ?? [];
  }

  /** After a welcome: fetches every watched log again from its last seq. */
  rewatch(): void {
    for (const id of this.watched.keys()) this.fetch(id);
  }

  /** Merges events of a conversation; a gap fetches the missing ones (after the watch in flight, if any). */
  merge(conversationId: string, incoming: LogEvent[], source: 'watch' | 'live', always = false): void {
    const w = this.watched.get(conversationId);
    if (!w) return;
    const { log, added, gap } = mergeEvents(w.log, incoming);
    w.log = log;
    const logged = added.flatMap((e) => (e.type === 'message' ? [e.clientId] : []));
    this.host.merged(added.length || always ? { conversationId, added, log, source } : null, logged);
    if (gap) {
      w.heardUpTo = Math.max(w.heardUpTo, ...incoming.map((e) => e.seq));
      this.fetch(conversationId);
    }
  }

  private fetch(conversationId: string): void {
    const w = this.watched.get(conversationId);
    if (!w || w.inFlight) return;
    w.inFlight = true;
    this.host.call({ t: 'watch', conversationId, afterSeq: lastSeq(w.log) }, (err, ok) => {
      w.inFlight = false;
      // A lost socket re-watches on the next welcome; anything else is worth telling.
      if (err) return void (err.code !== 'network' && this.host.failed(Object.assign(err, { conversationId })));
      if (this.watched.get(conversationId) !== w) return;
      this.merge(conversationId, ok?.events ?? [], 'watch', true);
      // Long logs come in pages; live events past the page wait for the next one.
      if (ok?.more || w.heardUpTo > lastSeq(w.log)) this.fetch(conversationId);
    });
  }
}
