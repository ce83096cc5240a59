/**
 * Known customers (identity verification): a site that knows who is signed in vouches
 * for the email with `signature`, the hex HMAC-SHA256 of the email (trimmed and
 * lower-cased) keyed with the secret the site and the relay share (`--identity-secret`).
 * A valid one marks the visitor `verified`; a wrong one, or none when the relay requires
 * one (`--require-identity`), is refused with `unverified`. Compared in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { done, fail, type Outcome } from './errors.js';

/** The signature a site makes for `email` with `secret` (the same as docs/protocol.md shows). */
export function identitySignature(secret: string, email: string): string {
  return createHmac('sha256', secret).update(email.trim().toLowerCase(), 'utf8').digest('hex');
}

/**
 * Whether a hello's email is vouched for: `true` (verified), `false` (not, and that is
 * allowed), or a refusal.
 */
export function checkIdentity(secret: string | null, required: boolean, email: string, signature: string | undefined): Outcome<boolean> {
  if (signature === undefined) {
    return required ? fail('unverified', 'this chat is for signed-in customers: the site must vouch for the email') : done(false);
  }
  if (secret === null) return fail('invalid', 'this relay verifies no identities (it has no identity secret)', 'signature');
  const want = Buffer.from(identitySignature(secret, email), 'hex');
  const got = Buffer.from(signature, 'hex');
  if (got.length !== want.length || !timingSafeEqual(got, want)) return fail('unverified', 'the identity signature does not match this email');
  return done(true);
}
