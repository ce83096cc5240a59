/**
 * One table says which error code each HTTP status stands for (`HTTP_ERROR_CODES` in
 * src/protocol): the relay answers each code with its status, and the client and the
 * console read a status back as the same code.
 */
import { describe, expect, it } from 'vitest';
import { httpError } from '../../src/client/errors.js';
import { ERROR_CODES, HTTP_ERROR_CODES } from '../../src/protocol/index.js';
import { httpStatusOf } from '../../src/relay/http-util.js';

describe('HTTP statuses and error codes', () => {
  it('maps each status to a documented code and back, 408 to timeout and 500 to internal', () => {
    expect(HTTP_ERROR_CODES[408]).toBe('timeout');
    expect(HTTP_ERROR_CODES[500]).toBe('internal');
    for (const [status, code] of Object.entries(HTTP_ERROR_CODES)) {
      expect(ERROR_CODES).toContain(code);
      expect(httpStatusOf(code)).toBe(Number(status));
      // A body the client could not read still gives the code of its status.
      expect(httpError(Number(status), null).code).toBe(code);
    }
    // An ended conversation is a conflict over HTTP; a status outside the table is the network's.
    expect(httpStatusOf('ended')).toBe(409);
    expect(httpError(502, null).code).toBe('network');
  });
});
