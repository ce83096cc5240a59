/**
 * Files over HTTP for `ChatClient`, in a module of its own that the client loads on
 * first use (an agent's request for a file loads it ahead): an upload checked against
 * the open request and sent with progress over XMLHttpRequest (the only browser API
 * with upload progress), `POST /v1/uploads/{requestId}?name=…`, and a download,
 * `GET /v1/files/{fileId}`; the token always in a header, never in the URL. Knows
 * nothing of the socket; the client's state hears of an upload through `UploadContext`.
 */
import { MAX_FILE_BYTES } from '../protocol/limits.js';
import type { OpenUploadRequest, UploadResult } from '../protocol/index.js';
import { ParleyError, devText } from '../protocol/errors.js';
import { httpError } from './errors.js';
import type { ChatClientOptions, ChatError, UploadOptions, UploadState } from './types.js';

/** What an upload needs of the client. */
export interface UploadContext {
  /** The open request the file answers. */
  req: OpenUploadRequest;
  token: string;
  /** The relay's base URL. */
  base: string;
  /** The client's options (its `XMLHttpRequest`). */
  options: ChatClientOptions;
  /** Set when `cancelUpload()` came while this module loaded. */
  canceled: boolean;
  /** Publishes the upload's state. */
  report(up: UploadState): void;
  /** Keeps the abort of the upload in flight (for `cancelUpload()`); `null` once it settled. */
  hold(abort: (() => void) | null): void;
}

/**
 * The body of `ChatClient.upload` once the request and the session are known to exist:
 * refuses a file over the limit or empty before any byte is sent, and one canceled (or
 * whose signal fired) while this module loaded; else uploads it with progress.
 */
export function upload(c: UploadContext, file: Blob & { name?: string }, options: UploadOptions): Promise<UploadResult> {
  const { req } = c;
  const XHR = c.options.XMLHttpRequest ?? globalThis.XMLHttpRequest;
  c.hold(null);
  const fileName = file.name || 'file';
  const fail = (error: ChatError) => {
    c.report({ requestId: req.requestId, fileName, loaded: 0, total: file.size, status: 'failed', error });
    return Promise.reject(error);
  };
  const limit = Math.min(req.maxBytes || MAX_FILE_BYTES, MAX_FILE_BYTES);
  if (file.size > limit) {
    return fail(new ParleyError('file_too_large', devText(`${fileName} is ${file.size} bytes; the limit is ${limit}`), { size: file.size, limit }));
  }
  if (!file.size) return fail(new ParleyError('invalid', devText(`${fileName} is empty`), { field: 'file' }));
  if (c.canceled || options.signal?.aborted) return fail(new ParleyError('aborted', devText('Upload canceled')));
  if (!XHR) return fail(new ParleyError('network', devText('No XMLHttpRequest')));
  const progress = (loaded: number, total: number) => {
    options.onProgress?.(loaded, total);
    c.report({ requestId: req.requestId, fileName, loaded, total, status: 'uploading' });
  };
  const url = `${c.base}/v1/uploads/${encodeURIComponent(req.requestId)}?name=${encodeURIComponent(fileName)}`;
  const job = sendFile(XHR, url, c.token, file, progress);
  options.signal?.addEventListener('abort', job.abort);
  c.hold(job.abort);
  progress(0, file.size);
  const settle = () => {
    c.hold(null);
    options.signal?.removeEventListener('abort', job.abort);
  };
  return job.done.finally(settle).then((result) => {
    c.report({ requestId: req.requestId, fileName, loaded: file.size, total: file.size, status: 'done' });
    return result;
  }, fail);
}

/**
 * Sends `file` to `url` with `token`, reporting progress; resolves with the relay's 201
 * answer, rejects with a `ChatError`. `abort` stops it.
 */
function sendFile(
  XHR: typeof XMLHttpRequest,
  url: string,
  token: string,
  file: Blob,
  onProgress: (loaded: number, total: number) => void,
): { done: Promise<UploadResult>; abort: () => void } {
  const xhr = new XHR();
  let abort!: () => void;
  const done = new Promise<UploadResult>((resolve, reject) => {
    // Settle on abort at once: the answer of a request already on its way is ignored.
    abort = () => {
      reject(new ParleyError('aborted', devText('Upload canceled')));
      xhr.abort();
    };
    xhr.open('POST', url);
    xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON: the status says enough */
      }
      if (xhr.status === 201 || xhr.status === 200) resolve(body as UploadResult);
      else reject(httpError(xhr.status, body));
    };
    xhr.onerror = () => reject(new ParleyError('network', devText('Upload failed')));
    xhr.ontimeout = () => reject(new ParleyError('timeout', devText('Upload timed out')));
    xhr.send(file);
  });
  return { done, abort };
}

/**
 * Fetches `url` with `token` in a header (and a JSON body's type), with the client's
 * `fetch` or the global one; a refusal rejects as a `ChatError` with the HTTP status.
 */
async function authorized(o: ChatClientOptions, url: string, token: string, init?: RequestInit): Promise<Response> {
  let res: Response;
  try {
    const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
    if (init?.body) headers['Content-Type'] = 'application/json';
    res = await (o.fetch ?? fetch)(url, { ...init, headers });
  } catch {
    throw new ParleyError('network', devText('Request failed'));
  }
  if (!res.ok) throw httpError(res.status, await res.json().catch(() => null));
  return res;
}

/** `GET` of a file of the conversation (`/v1/files/{fileId}`). */
export const download = (o: ChatClientOptions, url: string, token: string): Promise<Blob> => authorized(o, url, token).then((r) => r.blob());

/**
 * POSTs `body` as JSON to `url` with the visitor `token`: `POST /v1/rating` (the
 * customer's rating of the ended chat) and `POST /v1/read` (a read mark while the socket
 * is closed). A falsy `token` means there is no chat for it: `conflict`.
 */
export async function post(o: ChatClientOptions, url: string, token: string | false | undefined, body: object): Promise<void> {
  if (!token) throw new ParleyError('conflict', devText('No chat for this'));
  await authorized(o, url, token, { method: 'POST', body: JSON.stringify(body) });
}
