/**
 * The eager half of files for `ChatClient`: the lazy half, transfers.ts, loads on first
 * use (or ahead, when an agent asks for a file). An upload is the one in progress from
 * the moment it is asked for: a cancel (or its signal) settles it at once even while
 * that code loads, and code that cannot load fails it in `state.upload`. A download
 * waits for the same code. Nothing here touches the socket.
 */
import { ParleyError, devText } from '../protocol/errors.js';
import type { UploadResult } from '../protocol/frames.js';
import type { UploadContext } from './transfers.js';
import type { ChatClientOptions, UploadOptions } from './types.js';

/** Uploads and downloads: a module of their own, loaded on first use (see transfers.ts). */
export const transfers = () => import('./transfers.js');

/** Uploads `file` for the open request in `c` once the upload code is in (see transfers.ts `upload`). */
export function startUpload(c: UploadContext, file: Blob & { name?: string }, options: UploadOptions): Promise<UploadResult> {
  const stopped = new Promise<never>((_, reject) => {
    const cancel = () => {
      c.canceled = true; // seen by the upload code too, should it win the race
      reject(new ParleyError('aborted', devText('Upload canceled')));
    };
    c.hold(cancel);
    options.signal?.addEventListener('abort', cancel);
  });
  return Promise.race([transfers(), stopped]).then(
    (m) => m.upload(c, file, options),
    (e: unknown) => {
      c.hold(null);
      const error = e instanceof ParleyError ? e : new ParleyError('network', devText('Upload failed'));
      c.report({ requestId: c.req.requestId, fileName: file.name || 'file', loaded: 0, total: file.size, status: 'failed', error });
      throw error;
    },
  );
}

/** The transfer code, or a `network` error when it cannot load. */
const loaded = () =>
  transfers().catch(() => {
    throw new ParleyError('network', devText('Could not load'));
  });

/** Fetches `url` with `token` in a header once the download code is in. */
export const downloadFile = (options: ChatClientOptions, url: string, token: string): Promise<Blob> =>
  loaded().then((m) => m.download(options, url, token));

/**
 * POSTs `body` as JSON to the relay's `url` with the visitor `token` once that code is
 * in: a rating after the end, a read mark while the socket is closed. A falsy `token`
 * (no chat, or none that ended) is a `conflict`.
 */
export const visitorPost = (options: ChatClientOptions, url: string, token: string | false | undefined, body: object): Promise<void> =>
  loaded().then((m) => m.post(options, url, token, body));
