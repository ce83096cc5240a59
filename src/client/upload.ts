/**
 * One file upload over XMLHttpRequest (the only browser API with upload progress):
 * `POST /v1/uploads/{requestId}?name=…` with the token in a header, never in the URL.
 * Knows nothing of the socket or the state; the client turns its outcome into state.
 */
import type { UploadResult } from '../protocol/index.js';
import { chatError, httpError } from './errors.js';

/**
 * Sends `file` to `url` with `token`, reporting progress; resolves with the relay's 201
 * answer, rejects with a `ChatError`. `abort` stops it.
 */
export function sendFile(
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
      reject(chatError('aborted', 'Upload canceled'));
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
    xhr.onerror = () => reject(chatError('network', 'Upload failed'));
    xhr.ontimeout = () => reject(chatError('timeout', 'Upload timed out'));
    xhr.send(file);
  });
  return { done, abort };
}
