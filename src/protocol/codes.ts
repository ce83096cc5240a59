/**
 * Stable error codes and WebSocket close codes of the protocol (docs/protocol.md, "Error codes and close codes").
 * UIs map these codes to words; nothing else should compare error messages.
 */

/** Every `error.code` the relay may send. */
export const ERROR_CODES = [
  'bad_frame',
  'invalid',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'too_large',
  'rate_limited',
  'ended',
  'blocked',
  'timeout',
  'internal',
  'unavailable',
  'at_capacity',
  'unverified',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** WebSocket close codes, by meaning. */
export const CloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  POLICY: 1008,
  TOO_BIG: 1009,
  UNAUTHORIZED: 4401,
  BLOCKED: 4403,
  RATE_LIMITED: 4429,
} as const;

export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];

/** A refusal: what every parser and the relay produce for bad input. */
export interface ProtocolError {
  code: ErrorCode;
  /** The offending field, for `invalid`. */
  field?: string;
  message: string;
}
