/**
 * The fake relay's `POST /v1/agent-files/{conversationId}?name=`, by which an agent
 * sends the customer a file, for console tests: as a `fetch` (answers at once; every
 * other URL goes on to the fake transcript and file endpoints, transcripts-http.ts) and
 * as an `XMLHttpRequest` (held until the test reports progress and lets it answer).
 * Like the relay it takes Jane's token only, refuses a body over 5 MB with 413, and
 * turns a stored file into a `file` event from Jane in the fake relay's log. A test can
 * make the next send be refused with a status.
 */
import { MAX_FILE_BYTES, type HttpErrorBody, type UploadResult } from '../../src/protocol/index.js';
import { JANE_TOKEN, type AgentEndpoint } from './agent-endpoint.js';
import { JANE } from './model.js';
import type { FakeTranscripts } from './transcripts-http.js';

/** One send the fake relay received. */
export interface ReceivedSend {
  url: string;
  authorization: string | null;
  contentType: string | null;
  bytes: Uint8Array;
}

type Answer = { status: number; body: UploadResult | HttpErrorBody };

const refusal = (status: number, code: HttpErrorBody['error']['code'], message: string): Answer => ({ status, body: { error: { code, message } } });

/** The fake endpoint. Pass `files.fetch` (and, for progress, `files.XMLHttpRequest`) to the store. */
export class FakeAgentFiles {
  /** Every send that reached the endpoint, in order. */
  readonly received: ReceivedSend[] = [];
  /** Every XMLHttpRequest made, in order. */
  readonly xhrs: FakeXhr[] = [];
  /** The next send is refused with this status (403, 409, 413…). */
  refuseNextWith: number | null = null;
  private sent = 0;

  constructor(
    private readonly relay: AgentEndpoint,
    private readonly transcripts: FakeTranscripts,
  ) {}

  readonly fetch = (async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (init?.method !== 'POST' || !new URL(url).pathname.startsWith('/v1/agent-files/')) return this.transcripts.fetch(input, init);
    const headers = new Headers(init.headers);
    const a = await this.answer(url, headers.get('Authorization'), headers.get('Content-Type'), init.body as Blob);
    return new Response(JSON.stringify(a.body), { status: a.status, headers: { 'Content-Type': 'application/json' } });
  }) as typeof fetch;

  /** The XMLHttpRequest constructor for the store. */
  get XMLHttpRequest(): typeof XMLHttpRequest {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const files = this;
    return class extends FakeXhr {
      constructor() {
        super(files);
        files.xhrs.push(this);
      }
    } as unknown as typeof XMLHttpRequest;
  }

  /** What the relay answers one send, and the event it appends. */
  async answer(url: string, authorization: string | null, contentType: string | null, body: Blob): Promise<Answer> {
    const bytes = new Uint8Array(await body.arrayBuffer());
    this.received.push({ url, authorization, contentType, bytes });
    const u = new URL(url);
    const id = decodeURIComponent(u.pathname.slice('/v1/agent-files/'.length));
    const status = this.refuseNextWith;
    this.refuseNextWith = null;
    if (authorization !== `Bearer ${JANE_TOKEN}`) return refusal(401, 'unauthorized', 'an agent token is required');
    if (status === 403) return refusal(403, 'forbidden', 'only the owner or a guest may send files');
    if (status === 409) return refusal(409, 'conflict', 'the conversation ended');
    if (status === 413 || bytes.length > MAX_FILE_BYTES) return refusal(413, 'too_large', 'files are at most 5 MB');
    if (status) return refusal(status, 'internal', 'refused');
    const file: UploadResult = { fileId: `sent-${++this.sent}`, name: u.searchParams.get('name') ?? 'file', size: bytes.length, mime: contentType ?? 'application/octet-stream' };
    this.relay.append(id, { type: 'file', requestId: `agent-${this.sent}`, ...file, from: 'agent', agent: JANE });
    return { status: 201, body: file };
  }
}

/** A held XMLHttpRequest: `progress()` reports bytes sent, `finish()` lets the relay answer. */
export class FakeXhr {
  readonly upload: { onprogress: ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  status = 0;
  responseText = '';
  method = '';
  url = '';
  readonly headers = new Map<string, string>();
  body: Blob | null = null;
  aborted = false;

  constructor(private readonly files: FakeAgentFiles) {}

  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
  }

  setRequestHeader(name: string, value: string): void {
    this.headers.set(name, value);
  }

  send(body: Blob): void {
    this.body = body;
  }

  abort(): void {
    this.aborted = true;
  }

  /** The browser reports `loaded` bytes sent. */
  progress(loaded: number): void {
    this.upload.onprogress?.({ loaded, total: this.body?.size ?? 0, lengthComputable: true });
  }

  /** The body arrived: the relay answers. */
  async finish(): Promise<void> {
    const a = await this.files.answer(this.url, this.headers.get('Authorization') ?? null, this.headers.get('Content-Type') ?? null, this.body!);
    this.status = a.status;
    this.responseText = JSON.stringify(a.body);
    this.onload?.();
  }
}
