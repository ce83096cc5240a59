/**
 * Files in a live chat, from the agent's side (`store.files`): asking the customer for
 * one and withdrawing that request (requests the store runs, `busy` and refusals kept on
 * the chat as for every action), and sending the customer a file over HTTP
 * (`send-file.ts`) with this sign-in's token. A send can take a while, so its progress
 * and its refusal are kept per chat in a snapshot of their own, not in the chat's one
 * `busy` slot. A sent file shows in the transcript through the relay's `file` event;
 * nothing here touches a chat's log or the DOM.
 */
import { MAX_NOTE_LENGTH, normalizeText } from '../protocol/index.js';
import type { AgentConnection, ConsoleError } from './connection.js';
import { refusalOf, sendFile, sendName, type FileSendMeans, type SendJob } from './send-file.js';
import { Snapshot } from './snapshot.js';

/** A file on its way to the customer, or the reason it did not go (until dismissed or the next send). */
export type FileSend =
  | { status: 'sending'; name: string; size: number; /** Bytes sent so far; null when the means cannot tell (fetch). */ sent: number | null }
  | { status: 'failed'; name: string; size: number; error: ConsoleError };

/** The sends by chat id. */
export type FileSends = Readonly<Record<string, FileSend>>;

/** Options of the store for sending files: the XMLHttpRequest to send with progress. */
export interface ChatFilesOptions {
  /** The XMLHttpRequest constructor (progress while sending). Default: none, files go by `fetch` without progress; `main.tsx` passes the browser's. */
  XMLHttpRequest?: typeof XMLHttpRequest;
}

/** What files need of the store and the page. */
export interface ChatFilesHost {
  /** Sends a request; resolves with the relay's `ok`, rejects with its refusal. */
  request: AgentConnection['request'];
  /** Runs one request for a chat, marking it `busy`; resolves true when the relay agreed. */
  act(id: string, busy: string, run: () => Promise<unknown>): Promise<boolean>;
  /** The agent's token now, or null when signed out. */
  token(): string | null;
  /** The console page's URL the endpoint resolves against. */
  baseUrl: string;
  means: FileSendMeans;
}

export class ChatFiles {
  private readonly snapshot = new Snapshot<FileSends>({});
  /** The send in flight per chat; a settled job that is no longer here is ignored. */
  private readonly jobs = new Map<string, SendJob>();

  constructor(private readonly host: ChatFilesHost) {}

  /** The sends now, by chat id. */
  get state(): FileSends {
    return this.snapshot.value;
  }

  /** Calls `fn` after every change; returns the function that unsubscribes. */
  subscribe(fn: (s: FileSends) => void): () => void {
    return this.snapshot.subscribe(fn);
  }

  /** Asks the customer for one file, with an optional note. */
  request(id: string, note?: string): Promise<boolean> {
    const n = note?.trim() ? normalizeText(note, MAX_NOTE_LENGTH) : undefined;
    return this.host.act(id, 'request_upload', () =>
      this.host.request({ t: 'request_upload', conversationId: id, ...(n ? { note: n } : {}) }),
    );
  }

  /** Withdraws an open file request. */
  cancel(id: string, requestId: string): Promise<boolean> {
    return this.host.act(id, 'cancel_upload', () => this.host.request({ t: 'cancel_upload', conversationId: id, requestId }));
  }

  /**
   * Sends the customer a file: refused at once when over 5 MB or empty, else posted with
   * its progress shown. Resolves true once the relay stored it; never rejects (a
   * refusal stays in `state[id]`). One send per chat at a time: while one is under way,
   * another resolves false at once.
   */
  async send(id: string, file: Blob & { name?: string }): Promise<boolean> {
    if (this.jobs.has(id)) return false;
    const name = sendName(file);
    const token = this.host.token();
    if (!token) return this.fail(id, name, file.size, { code: 'unauthorized', message: 'Sign in to send files' });
    const refused = refusalOf(file);
    if (refused) return this.fail(id, name, file.size, refused);
    const sending = { status: 'sending', name, size: file.size } as const;
    let job: SendJob | undefined;
    const onProgress = (sent: number) => {
      if (job && this.jobs.get(id) === job) this.put(id, { ...sending, sent });
    };
    job = sendFile(this.host.means, { baseUrl: this.host.baseUrl, token, conversationId: id, file, onProgress });
    this.jobs.set(id, job);
    this.put(id, { ...sending, sent: this.host.means.XMLHttpRequest ? 0 : null });
    try {
      await job.done;
      if (this.jobs.get(id) !== job) return false;
      this.jobs.delete(id);
      this.put(id, null);
      return true;
    } catch (e) {
      if (this.jobs.get(id) !== job) return false;
      this.jobs.delete(id);
      return this.fail(id, name, file.size, e as ConsoleError);
    }
  }

  /** Stops the send under way in a chat; nothing of it is shown after. */
  stop(id: string): void {
    const job = this.jobs.get(id);
    this.jobs.delete(id);
    job?.abort();
    this.put(id, null);
  }

  /** Forgets a chat's failed send (the agent read it). */
  dismiss(id: string): void {
    if (this.state[id]?.status === 'failed') this.put(id, null);
  }

  /** Stops every send and forgets them all (signed out, or the store destroyed). */
  clear(): void {
    const jobs = [...this.jobs.values()];
    this.jobs.clear();
    for (const job of jobs) job.abort();
    this.snapshot.replace({});
  }

  private fail(id: string, name: string, size: number, error: ConsoleError): false {
    this.put(id, { status: 'failed', name, size, error });
    return false;
  }

  private put(id: string, send: FileSend | null): void {
    if (!send && !(id in this.state)) return;
    const next: Record<string, FileSend> = { ...this.state };
    if (send) next[id] = send;
    else delete next[id];
    this.snapshot.replace(next);
  }
}
