/**
 * The one table from the HTTP status of the relay's endpoints to the protocol's error
 * code, in a module of its own so that bundles which never make an HTTP request (the
 * widget until a file moves) do not carry it.
 */
import type { ErrorCode } from './codes.js';

/**
 * The error code each HTTP status of the relay's endpoints stands for, in one table for
 * the relay (which answers with it) and the client and console (which read a status
 * whose body they could not read): 408 a body that stalled, 500 the relay's own failure.
 */
export const HTTP_ERROR_CODES: Readonly<Record<number, ErrorCode>> = {
  400: 'invalid',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  408: 'timeout',
  409: 'conflict',
  413: 'too_large',
  429: 'rate_limited',
  500: 'internal',
};
