/**
 * The webhook signature (docs/webhooks.md): `Parley-Signature: t=UNIX_SECONDS,v1=HEX`,
 * HEX being the HMAC-SHA256, keyed with the shared secret, of `UNIX_SECONDS + "." +
 * body`. The time is in the signed text so that a receiver can refuse old deliveries
 * replayed by someone who saw one.
 */
import { createHmac } from 'node:crypto';

/** The `v1` value: hex HMAC-SHA256 of `${unixSeconds}.${body}` keyed with `secret`. */
export function webhookHmac(secret: string, unixSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${unixSeconds}.${body}`, 'utf8').digest('hex');
}

/** The `Parley-Signature` header value for `body` sent at `unixSeconds`. */
export function signatureHeader(secret: string, unixSeconds: number, body: string): string {
  return `t=${unixSeconds},v1=${webhookHmac(secret, unixSeconds, body)}`;
}
