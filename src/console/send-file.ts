/**
 * The one HTTP effect of an agent sending the customer a file:
 * `POST /v1/agent-files/{conversationId}?name=…` with the agent token in a header (never
 * in the URL), the file's type and its bytes. A file over 5 MB, or an empty one, is
 * refused here before any request. Over XMLHttpRequest when given one (the only browser
 * API that reports upload progress), else over fetch, which sends without progress.
 * Apart from the state that shows a send (`chat-files.ts`) so tests can hand it a fake
 * of either. No DOM, no state.
 */
import { HTTP_ERROR_CODES, MAX_FILE_BYTES, ParleyError, type UploadResult } from '../protocol/index.js';

/** What a send goes over; both injectable for tests. */
export interface FileSendMeans {
  /** The XMLHttpRequest constructor: sends with progress. */
  XMLHttpRequest?: typeof XMLHttpRequest;
  /** Used when there is no XMLHttpRequest: sends without progress. */
  fetch?: typeof fetch;
}

/** One file to send. */
export interface SendFileRequest {
  /** The console page's URL the endpoint resolves against (`../v1/agent-files/…`). */
  baseUrl: string;
  token: string;
  conversationId: string;
  file: Blob & { name?: string };
  /** Bytes sent so far of `total`; called only over XMLHttpRequest. */
  onProgress?: (sent: number, total: number) => void;
}

/** A send under way: `done` resolves with the relay's 201 answer or rejects with a `ParleyError`; `abort` stops it (`aborted`). */
export interface SendJob {
  done: Promise<UploadResult>;
  abort: () => void;
}

/** The name a file goes out under: its own, or "file" for a blob without one. */
export function sendName(file: { name?: string }): string {
  return file.name || 'file';
}

/** The endpoint for sending `name` into a conversation, relative to the console's page. */
export function agentFileUrl(baseUrl: string, conversationId: string, name: string): string {
  return new URL(`../v1/agent-files/${encodeURIComponent(conversationId)}?name=${encodeURIComponent(name)}`, baseUrl).href;
}

/** Why a file cannot go at all: over the limit (`file_too_large`, with `size` and `limit`) or empty; null when it may. */
export function refusalOf(file: Blob & { name?: string }): ParleyError | null {
  const name = sendName(file);
  if (file.size > MAX_FILE_BYTES) {
    return new ParleyError('file_too_large', `${name} is ${file.size} bytes; the limit is ${MAX_FILE_BYTES}`, { size: file.size, limit: MAX_FILE_BYTES });
  }
  if (file.size === 0) return new ParleyError('invalid', `${name} is empty`, { field: 'file' });
  return null;
}

/**
 * The relay's answer as a result or a refusal: 201 is the file; any other status is the
 * code `HTTP_ERROR_CODES` gives it, with the relay's own message when its body had one.
 */
export function answerOf(status: number, text: string): UploadResult | ParleyError {
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: the status says enough */
  }
  if (status === 201 || status === 200) {
    if (body && typeof body === 'object' && 'fileId' in body) return body as UploadResult;
    return new ParleyError('internal', 'The relay answered without the file');
  }
  const error = body && typeof body === 'object' && 'error' in body ? (body as { error: unknown }).error : null;
  const message = error && typeof error === 'object' && 'message' in error && typeof error.message === 'string' ? error.message : `The relay answered ${status}`;
  return new ParleyError(HTTP_ERROR_CODES[status] ?? 'network', message, { status });
}

/** Sends one file; a refused file fails before any request is made. */
export function sendFile(means: FileSendMeans, req: SendFileRequest): SendJob {
  const refused = refusalOf(req.file);
  if (refused) return { done: Promise.reject(refused), abort: () => {} };
  const url = agentFileUrl(req.baseUrl, req.conversationId, sendName(req.file));
  const headers = { Authorization: `Bearer ${req.token}`, 'Content-Type': req.file.type || 'application/octet-stream' };
  if (means.XMLHttpRequest) return overXhr(means.XMLHttpRequest, url, headers, req);
  if (means.fetch) return overFetch(means.fetch, url, headers, req.file);
  return { done: Promise.reject(new ParleyError('network', 'No way to send files here')), abort: () => {} };
}

const aborted = () => new ParleyError('aborted', 'Sending the file was canceled');

function overXhr(XHR: typeof XMLHttpRequest, url: string, headers: Record<string, string>, req: SendFileRequest): SendJob {
  const xhr = new XHR();
  let abort!: () => void;
  const done = new Promise<UploadResult>((resolve, reject) => {
    // Settles at once: an answer already on its way is ignored.
    abort = () => {
      reject(aborted());
      xhr.abort();
    };
    xhr.open('POST', url);
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => req.onProgress?.(e.loaded, e.lengthComputable ? e.total : req.file.size);
    xhr.onload = () => {
      const answer = answerOf(xhr.status, xhr.responseText);
      if (answer instanceof ParleyError) reject(answer);
      else resolve(answer);
    };
    xhr.onerror = () => reject(new ParleyError('network', 'The file could not be sent'));
    xhr.send(req.file);
  });
  return { done, abort };
}

function overFetch(fetchFn: typeof fetch, url: string, headers: Record<string, string>, file: Blob): SendJob {
  const controller = new AbortController();
  const done = (async () => {
    let res: Response;
    try {
      res = await fetchFn(url, { method: 'POST', headers, body: file, signal: controller.signal });
    } catch {
      throw controller.signal.aborted ? aborted() : new ParleyError('network', 'The file could not be sent');
    }
    const answer = answerOf(res.status, await res.text().catch(() => ''));
    if (answer instanceof ParleyError) throw answer;
    return answer;
  })();
  return { done, abort: () => controller.abort() };
}
