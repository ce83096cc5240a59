/**
 * File downloads for agents: `GET /v1/files/{fileId}` with the agent token in a header
 * (tokens never go into URLs), handed to the page as a blob URL. No DOM here.
 */
import { HTTP_ERROR_CODES, ParleyError } from '../protocol/index.js';

/** What a download needs from its surroundings; injectable for tests. */
export interface DownloadDeps {
  fetch: typeof fetch;
  /** The page's URL; the file endpoint is resolved against it (`../v1/files/…`). */
  baseUrl: string;
  createObjectURL: (blob: Blob) => string;
}

/** The file endpoint for a file id, relative to the console's page (`/console/` or `/console`). */
export function fileUrl(baseUrl: string, fileId: string): string {
  return new URL(`../v1/files/${encodeURIComponent(fileId)}`, baseUrl).href;
}

/**
 * Fetches one file with the agent's token and resolves with a blob URL, or rejects
 * with a `ParleyError` (`not_found` for 404, `network` when the request failed).
 */
export async function fetchFileAsBlobUrl(deps: DownloadDeps, token: string, fileId: string): Promise<string> {
  let res: Response;
  try {
    res = await deps.fetch(fileUrl(deps.baseUrl, fileId), { headers: { Authorization: `Bearer ${token}` } });
  } catch {
    throw new ParleyError('network', 'The file could not be fetched');
  }
  if (!res.ok) {
    throw new ParleyError(HTTP_ERROR_CODES[res.status] ?? 'network', `The relay answered ${res.status}`, { status: res.status });
  }
  // Typed as plain bytes: a customer's .html or .svg opened from this URL (which has the
  // console's origin) must be saved, never rendered.
  return deps.createObjectURL(new Blob([await res.blob()], { type: 'application/octet-stream' }));
}
