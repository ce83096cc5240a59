/**
 * The client's address as budgets and blocks see it.
 *
 * Why this exists: behind a TLS proxy (or a load balancer) every socket comes from the
 * proxy's address, so one block or one address's hello budget would refuse every new
 * chat. With the relay's `trustProxy` option (a hop count, or the addresses and CIDR
 * ranges of the proxies), the client's address is read from `X-Forwarded-For`, but
 * only through trusted hops: the chain is walked from the right, the socket's peer
 * first, and the first hop that is not trusted is the client. Anything a client writes
 * in that header itself sits to the left of what the trusted proxies appended, so it is
 * never reached. Without `trustProxy` the header is ignored. The option is parsed once,
 * at start-up (`parseTrustProxy`); each connection only walks its header
 * (`clientAddress`). Addresses come out normalised: `::ffff:a.b.c.d` as `a.b.c.d`, IPv6
 * in its RFC 5952 text. `addressKey` then keys budgets and blocks: IPv6 by /64.
 */
import type { IncomingMessage } from 'node:http';
import { isIPv4, isIPv6 } from 'node:net';

/** The key budgets and blocks use for an address: IPv4 as is, IPv6 by its /64. */
export function addressKey(ip: string): string {
  const plain = ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  if (!isIPv6(plain)) return plain;
  const [head = '', tail = ''] = plain.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = plain.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => (parseInt(g, 16) || 0).toString(16)).join(':')}::/64`;
}

/** The longest hop count `trustProxy` takes. */
const MAX_TRUSTED_HOPS = 100;
/** No address (with brackets, port or zone) is longer; longer entries are not parsed. */
const MAX_ADDRESS_TEXT = 64;

/** An IP address as bytes: 4 for IPv4 (IPv4-mapped IPv6 included), 16 for IPv6. */
export interface Address {
  readonly bytes: readonly number[];
}

/** A CIDR range; a single address is a range of its full length. */
export interface AddressRange {
  readonly base: Address;
  readonly prefix: number;
}

/** How far `X-Forwarded-For` is believed: not at all, through N hops, or through the listed proxies. */
export type ProxyTrust =
  | { readonly kind: 'none' }
  | { readonly kind: 'hops'; readonly hops: number }
  | { readonly kind: 'ranges'; readonly ranges: readonly AddressRange[] };

/** What the `trustProxy` option may be: a hop count, or addresses and CIDR ranges (a comma-separated string or a list). */
export type TrustProxyOption = number | string | readonly string[];

export const NO_PROXY_TRUST: ProxyTrust = { kind: 'none' };

function ipv4Bytes(text: string): number[] {
  return text.split('.').map(Number);
}

function ipv6Bytes(text: string): number[] | null {
  let s = text;
  const tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.', lastColon)) {
    // An IPv4 tail (::ffff:1.2.3.4, 64:ff9b::1.2.3.4) stands for the last two groups.
    const v4 = s.slice(lastColon + 1);
    if (!isIPv4(v4)) return null;
    tail.push(...ipv4Bytes(v4));
    s = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groupsOf = (h: string | undefined): string[] => (h ? h.split(':') : []);
  const left = groupsOf(halves[0]);
  const right = groupsOf(halves[1]);
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  const bytes: number[] = [];
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    const n = parseInt(g, 16);
    bytes.push(n >> 8, n & 0xff);
  }
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

/** True for ::ffff:0:0/96, an IPv4 address written as IPv6. */
function isV4Mapped(b: readonly number[]): boolean {
  return b.length === 16 && b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
}

/**
 * Parses one address as found in a header or an option: IPv4, IPv6 (a zone is dropped),
 * either one with a port (`1.2.3.4:5678`, `[::1]:443`) or IPv6 in brackets.
 * Null for anything else.
 */
function parseAddress(input: string): Address | null {
  let s = input.trim();
  if (s.length === 0 || s.length > MAX_ADDRESS_TEXT) return null;
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(s);
  if (bracketed) s = bracketed[1]!;
  else if (/^[\d.]+:\d{1,5}$/.test(s)) s = s.slice(0, s.indexOf(':'));
  if (isIPv4(s)) return { bytes: ipv4Bytes(s) };
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (!isIPv6(s)) return null;
  const bytes = ipv6Bytes(s);
  if (!bytes) return null;
  return { bytes: isV4Mapped(bytes) ? bytes.slice(12) : bytes };
}

/** The address as text: dotted IPv4, or IPv6 as RFC 5952 has it (lower case, longest zero run as ::). */
function formatAddress(a: Address): string {
  const b = a.bytes;
  if (b.length === 4) return b.join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[i]! << 8) | b[i + 1]!);
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      best = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number): string => groups.slice(from, to).map((g) => g.toString(16)).join(':');
  return best < 0 ? hex(0, 8) : `${hex(0, best)}::${hex(best + bestLength, 8)}`;
}

/** The normalised text of an address, or null when it is not one. */
export function normalizeAddress(input: string): string | null {
  const a = parseAddress(input);
  return a ? formatAddress(a) : null;
}

function parseRange(entry: string, name: string): AddressRange {
  const bad = (): RangeError => new RangeError(`${name}: ${JSON.stringify(entry)} is not an IP address or CIDR range (such as 10.0.0.0/8 or ::1/128)`);
  const slash = entry.indexOf('/');
  const base = parseAddress(slash < 0 ? entry : entry.slice(0, slash));
  if (!base) throw bad();
  const bits = base.bytes.length * 8;
  if (slash < 0) return { base, prefix: bits };
  const prefixText = entry.slice(slash + 1).trim();
  if (!/^\d{1,3}$/.test(prefixText)) throw bad();
  let prefix = Number(prefixText);
  // An IPv4-mapped range (::ffff:10.0.0.0/104) was turned into IPv4 by parseAddress.
  if (base.bytes.length === 4 && entry.slice(0, slash).includes(':')) prefix -= 96;
  if (prefix < 0 || prefix > bits) throw bad();
  return { base, prefix };
}

function inRange(a: Address, r: AddressRange): boolean {
  if (a.bytes.length !== r.base.bytes.length) return false;
  for (let bit = 0; bit < r.prefix; bit += 8) {
    const keep = Math.min(8, r.prefix - bit);
    const mask = (0xff << (8 - keep)) & 0xff;
    if ((a.bytes[bit / 8]! & mask) !== (r.base.bytes[bit / 8]! & mask)) return false;
  }
  return true;
}

/**
 * Parses the `trustProxy` option, once, at start-up: `undefined` (trust no proxy), a
 * hop count (a whole number from 1 to 100, or a string of digits), or addresses and
 * CIDR ranges, IPv4 or IPv6 (a comma-separated string or a list of strings).
 * @throws TypeError for a value of another type; RangeError for a bad count or entry.
 */
export function parseTrustProxy(value: unknown, name = 'trustProxy'): ProxyTrust {
  if (value === undefined) return NO_PROXY_TRUST;
  const hops = (n: number): ProxyTrust => {
    if (!Number.isInteger(n) || n < 1 || n > MAX_TRUSTED_HOPS) throw new RangeError(`${name} must be a hop count from 1 to ${MAX_TRUSTED_HOPS}, or proxy addresses and CIDR ranges`);
    return { kind: 'hops', hops: n };
  };
  let entries: string[];
  if (typeof value === 'number') return hops(value);
  if (typeof value === 'string') {
    if (/^\s*\d+\s*$/.test(value)) return hops(Number(value));
    entries = value.split(',');
  } else if (Array.isArray(value) && value.every((x): x is string => typeof x === 'string')) {
    entries = value;
  } else {
    throw new TypeError(`${name} must be a hop count (a number) or proxy addresses and CIDR ranges (a comma-separated string or an array of strings)`);
  }
  const ranges = entries.map((e) => e.trim()).filter((e) => e.length > 0).map((e) => parseRange(e, name));
  if (ranges.length === 0) throw new RangeError(`${name} must name at least one proxy address or CIDR range, or be a hop count`);
  return { kind: 'ranges', ranges };
}

function trusted(hop: Address | null, index: number, trust: ProxyTrust): boolean {
  if (trust.kind === 'hops') return index < trust.hops;
  if (trust.kind === 'ranges') return hop !== null && trust.ranges.some((r) => inRange(hop, r));
  return false;
}

/**
 * The client's address for a connection: the socket's peer address, or, when that peer
 * is a trusted proxy, the first untrusted hop of `X-Forwarded-For` walking from the
 * right. An entry that is not an address ends the walk: the last good hop is the client
 * then (a proxy we trust never writes one, so only a client's own text can be garbage).
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | readonly string[] | undefined, trust: ProxyTrust): string {
  const raw = peer ?? 'unknown';
  let hop = parseAddress(raw);
  let address = hop ? formatAddress(hop) : raw.replace(/^::ffff:/i, '');
  if (trust.kind === 'none' || forwardedFor === undefined) return address;
  const chain = (typeof forwardedFor === 'string' ? forwardedFor : forwardedFor.join(',')).split(',');
  for (let index = 0; trusted(hop, index, trust); index++) {
    const entry = chain.pop();
    if (entry === undefined) break;
    const next = parseAddress(entry);
    if (next === null) break;
    hop = next;
    address = formatAddress(next);
  }
  return address;
}

/**
 * A hop count believes whoever connects, so it is safe only when nothing but the proxy
 * can reach the relay: the words of a start-up warning when the relay listens beyond
 * loopback with one, else null.
 */
/** A request's client address: the peer's, or through trusted proxies the one X-Forwarded-For names. */
export function requestAddress(req: IncomingMessage, trust: ProxyTrust): string {
  return clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], trust);
}

export function hopCountWarning(trust: ProxyTrust, host: string): string | null {
  if (trust.kind !== 'hops' || /^(127\.|::1$|localhost$)/.test(host)) return null;
  return (
    `--trust-proxy ${trust.hops} believes X-Forwarded-For from anyone who reaches ${host} directly; ` +
    "name the proxies' addresses instead (such as --trust-proxy 10.0.0.0/8), or listen on loopback only"
  );
}
