/**
 * The visitor's handshake: the first frame on every socket (`resume` with the stored
 * session, else the pending `hello`), and what a lost socket means for the chat
 * (docs/protocol.md: 4401 forgets the session, 4403 is blocked, a `hello` that never got its
 * welcome fails `start()`; anything else is worth a reconnect).
 */
import { CloseCode } from '../protocol/codes.js';
import { ParleyError, devText } from '../protocol/errors.js';
import type { VisitorFrame } from '../protocol/frames.js';
import type { StoredSession } from './session.js';
import type { StartOptions } from './types.js';

/**
 * Why `start()` cannot begin now, or `null`: the client is destroyed or blocked, a chat is
 * open or starting, or no email was given. The relay checks the details (`invalid` with
 * `field`); the widget checks them earlier with the protocol's `normalizeEmail`, which
 * the client's bundle leaves out.
 */
export const startRefusal = (destroyed: boolean, blocked: boolean, open: boolean, starting: boolean, email: unknown): ParleyError | null =>
  destroyed
    ? new ParleyError('network', devText('Client destroyed'))
    : blocked
      ? new ParleyError('blocked', devText('Blocked'))
      : open
        ? new ParleyError('conflict', devText('Chat already open'))
        : starting
          ? new ParleyError('conflict', devText('Chat already starting'))
          : !email
            ? new ParleyError('invalid', devText('Email required'), { field: 'email' })
            : null;

/** The `hello` of `start()`, its details trimmed (the relay checks them). */
export const helloFrame = ({ email, name, page, locale, signature, message }: StartOptions): VisitorFrame => ({
  t: 'hello',
  id: 'hello',
  email: email.trim(),
  name: name?.trim() || undefined,
  page,
  locale,
  signature,
  message: message?.trim() || undefined,
});

/** The first frame on a new socket: `resume` from `lastSeq` when a session is stored, else `hello`. */
export const greeting = (session: StoredSession | null, lastSeq: number, hello: VisitorFrame | undefined): VisitorFrame =>
  session ? { t: 'resume', id: 'resume', token: session.token, conversationId: session.conversationId, afterSeq: lastSeq } : hello!;

/** What a socket closed with `code` means: the error that ends the attempt, or `null` to reconnect. */
export const lostError = (code: number, starting: boolean): ParleyError | null =>
  code == CloseCode.UNAUTHORIZED
    ? new ParleyError('unauthorized', devText('Session no longer valid'))
    : code == CloseCode.BLOCKED
      ? new ParleyError('blocked', devText('Blocked'))
      : starting
        ? new ParleyError(code == CloseCode.RATE_LIMITED ? 'rate_limited' : 'network', devText('Relay unreachable'))
        : null;
