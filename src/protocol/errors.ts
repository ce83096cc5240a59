/**
 * The one error class of the client, the transport and the console: `ParleyError`, an
 * `Error` with a stable `code` (a protocol code of codes.ts, or one of the few a client
 * adds) that a UI maps to words. The English `message` is for logs and developers, never
 * for comparison: texts written here by Parley go through `devText`, which the script-tag
 * build turns into an empty string (see dev-mode.ts). The relay's own refusals are frames
 * (`ProtocolError`), not these.
 */
import type { ErrorCode } from './codes.js';
import { DEV_MODE } from './dev-mode.js';

/** Every `code` a `ParleyError` may carry: the relay's, and the client's own. */
export type ParleyErrorCode = ErrorCode | 'network' | 'timeout' | 'aborted' | 'file_too_large' | 'no_upload_request';

/** What some errors add to their code. */
export interface ErrorDetails {
  /** For `invalid`: the field refused (`email`, `text`, …). */
  field?: string;
  /** For `file_too_large`: the file's size and the limit, in bytes. */
  size?: number;
  limit?: number;
  /** For HTTP refusals: the status. */
  status?: number;
}

/** A failure with a stable `code`; what every promise of Parley rejects with and every `error` event carries. */
export class ParleyError extends Error implements ErrorDetails {
  readonly code: ParleyErrorCode;
  declare field?: string;
  declare size?: number;
  declare limit?: number;
  declare status?: number;

  constructor(code: ParleyErrorCode, message: string, details?: ErrorDetails) {
    super(message);
    Object.assign(this, details);
    this.code = code;
  }
}
ParleyError.prototype.name = 'ParleyError';

/** The error an `error` frame carries. */
export const frameError = (f: { code: ErrorCode; message: string; field?: string }): ParleyError =>
  new ParleyError(f.code, f.message, { field: f.field });

/** A developer message in builds that carry them, else empty (the minifier inlines it). */
export const devText = (text: string): string => (DEV_MODE ? text : '');
