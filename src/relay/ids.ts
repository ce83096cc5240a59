/**
 * Random identifiers and secrets, and the one way tokens are hashed for storage.
 * Ids are 16 random bytes (128 bits), tokens 32 bytes, both base64url so they pass
 * the protocol's id and token checks. Nothing here is sequential or guessable.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new random id (conversation, request, file, agent, note): 22 base64url characters. */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}

/** A new random secret (visitor or agent token): 43 base64url characters. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The stored form of a token: its SHA-256, hex. Tokens themselves are never stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Compares two token hashes in constant time. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
