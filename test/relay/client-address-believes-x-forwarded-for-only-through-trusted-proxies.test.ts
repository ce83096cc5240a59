// The client's address (src/relay/client-address.ts): `trustProxy` is parsed once with
// clear errors; X-Forwarded-For is walked from the right through trusted hops only, so
// a spoofed header from an untrusted peer, or garbage in it, changes nothing; addresses
// are normalised; and budgets key IPv6 by its /64.
import { describe, expect, it } from 'vitest';
import { addressKey, clientAddress, hopCountWarning, NO_PROXY_TRUST, normalizeAddress, parseTrustProxy } from '../../src/relay/client-address.js';
import { resolveOptions } from '../../src/relay/options.js';

describe('parseTrustProxy', () => {
  it('reads nothing as no trust, a number or a string of digits as a hop count', () => {
    expect(parseTrustProxy(undefined)).toEqual({ kind: 'none' });
    expect(parseTrustProxy(1)).toEqual({ kind: 'hops', hops: 1 });
    expect(parseTrustProxy('2')).toEqual({ kind: 'hops', hops: 2 });
    expect(parseTrustProxy(' 3 ')).toEqual({ kind: 'hops', hops: 3 });
  });

  it('reads addresses and CIDR ranges, IPv4 and IPv6, from a comma-separated string or a list', () => {
    const fromString = parseTrustProxy('127.0.0.1, 10.0.0.0/8,::1/128');
    expect(fromString.kind).toBe('ranges');
    expect(parseTrustProxy(['127.0.0.1', '10.0.0.0/8', '::1/128'])).toEqual(fromString);
    // A trailing comma is not an entry.
    expect(parseTrustProxy('192.168.0.0/16,')).toEqual(parseTrustProxy('192.168.0.0/16'));
  });

  it.each([
    [0, RangeError, /hop count from 1 to 100/],
    [-1, RangeError, /hop count/],
    [1.5, RangeError, /hop count/],
    [101, RangeError, /hop count/],
    [Number.NaN, RangeError, /hop count/],
    ['0', RangeError, /hop count/],
    ['', RangeError, /at least one proxy address/],
    [' , ', RangeError, /at least one proxy address/],
    ['10.0.0.0/33', RangeError, /"10\.0\.0\.0\/33" is not an IP address or CIDR range/],
    ['::1/129', RangeError, /"::1\/129" is not/],
    ['10.0.0.0/', RangeError, /is not an IP address/],
    ['10.0.0.0/-1', RangeError, /is not an IP address/],
    ['proxy.example', RangeError, /"proxy\.example" is not/],
    ['300.1.1.1', RangeError, /"300\.1\.1\.1" is not/],
    ['127.0.0.1,nonsense', RangeError, /"nonsense" is not/],
    [true, TypeError, /hop count \(a number\) or proxy addresses/],
    [{ hops: 1 }, TypeError, /trustProxy must be/],
    [['127.0.0.1', 5], TypeError, /trustProxy must be/],
  ])('refuses %j with a %s', (value, type, message) => {
    expect(() => parseTrustProxy(value)).toThrow(type);
    expect(() => parseTrustProxy(value)).toThrow(message);
  });

  it('is what resolveOptions applies, once, with the option named in the error', () => {
    expect(resolveOptions({}).trustProxy).toEqual(NO_PROXY_TRUST);
    expect(resolveOptions({ trustProxy: 1 }).trustProxy).toEqual({ kind: 'hops', hops: 1 });
    expect(() => resolveOptions({ trustProxy: '10.0.0.0/99' })).toThrow(/^trustProxy: "10\.0\.0\.0\/99" is not an IP address or CIDR range/);
    expect(() => parseTrustProxy('x', '--trust-proxy')).toThrow(/^--trust-proxy: "x"/);
  });
});

describe('clientAddress', () => {
  const list = (v: string) => parseTrustProxy(v);

  it('ignores X-Forwarded-For entirely without trustProxy, and normalises ::ffff:a.b.c.d', () => {
    expect(clientAddress('198.51.100.7', '203.0.113.9', NO_PROXY_TRUST)).toBe('198.51.100.7');
    expect(clientAddress('::ffff:127.0.0.1', '203.0.113.9', NO_PROXY_TRUST)).toBe('127.0.0.1');
    expect(clientAddress('::1', undefined, NO_PROXY_TRUST)).toBe('::1');
    expect(clientAddress(undefined, '203.0.113.9', NO_PROXY_TRUST)).toBe('unknown');
  });

  it('ignores a spoofed X-Forwarded-For from a peer that is not a trusted proxy', () => {
    const trust = list('127.0.0.1,10.0.0.0/8');
    expect(clientAddress('198.51.100.7', '203.0.113.9', trust)).toBe('198.51.100.7');
    expect(clientAddress('::ffff:198.51.100.7', '10.0.0.1, 127.0.0.1', trust)).toBe('198.51.100.7');
  });

  it('walks a chain through two trusted proxies to the first untrusted hop, never further left', () => {
    const trust = list('127.0.0.1,10.0.0.0/8');
    // The client wrote "6.6.6.6" itself; the edge proxy (10.1.2.3) appended what it saw.
    expect(clientAddress('127.0.0.1', '6.6.6.6, 203.0.113.9, 10.1.2.3', trust)).toBe('203.0.113.9');
    expect(clientAddress('::ffff:127.0.0.1', '203.0.113.9,10.1.2.3', trust)).toBe('203.0.113.9');
    // Only trusted hops all the way: the leftmost one is what is known.
    expect(clientAddress('127.0.0.1', '10.9.9.9, 10.1.2.3', trust)).toBe('10.9.9.9');
    // No header: the proxy itself.
    expect(clientAddress('127.0.0.1', undefined, trust)).toBe('127.0.0.1');
    // Repeated headers (as an array) count as one chain, in order.
    expect(clientAddress('127.0.0.1', ['6.6.6.6', '203.0.113.9, 10.1.2.3'], trust)).toBe('203.0.113.9');
  });

  it('trusts exactly the given number of hops nearest the relay', () => {
    const chain = '6.6.6.6, 203.0.113.9, 192.0.2.10';
    expect(clientAddress('198.51.100.7', chain, parseTrustProxy(1))).toBe('192.0.2.10');
    expect(clientAddress('198.51.100.7', chain, parseTrustProxy(2))).toBe('203.0.113.9');
    expect(clientAddress('198.51.100.7', chain, parseTrustProxy(3))).toBe('6.6.6.6');
    // More hops trusted than there are: the leftmost entry.
    expect(clientAddress('198.51.100.7', chain, parseTrustProxy(10))).toBe('6.6.6.6');
  });

  it('matches IPv6 proxies by CIDR and gives IPv6 clients in RFC 5952 text', () => {
    const trust = list('2001:db8:cafe::/48,::1/128');
    expect(clientAddress('2001:db8:cafe:1::10', '2001:DB8:0:0:0:0:0:1', trust)).toBe('2001:db8::1');
    expect(clientAddress('::1', '2001:db8:cafe:ffff::1, 2001:0db8:0000:0000:0001:0000:0000:0001', trust)).toBe('2001:db8::1:0:0:1');
    // Just outside the /48: not a proxy of ours.
    expect(clientAddress('2001:db8:caff::1', '2001:db8::1', trust)).toBe('2001:db8:caff::1');
    // An IPv4 client behind an IPv6 proxy, and an IPv4-mapped entry.
    expect(clientAddress('::1', '::ffff:203.0.113.9', trust)).toBe('203.0.113.9');
    // IPv4 ranges never match IPv6 addresses and the other way round.
    expect(clientAddress('::1', '203.0.113.9', list('0.0.0.0/0'))).toBe('::1');
    expect(clientAddress('127.0.0.1', '203.0.113.9', list('::/0'))).toBe('127.0.0.1');
  });

  it('ignores garbage entries safely: the walk stops at the last good hop', () => {
    const trust = list('127.0.0.1');
    const huge = 'x'.repeat(10_000);
    for (const header of ['not-an-ip', '', ' , ', huge, '203.0.113.9, <script>', '203.0.113.9,', '1.2.3.4.5', '999.1.1.1', '::1::2', 'unknown', '203.0.113.9 203.0.113.10']) {
      expect({ header: header.slice(0, 40), address: clientAddress('127.0.0.1', header, trust) }).toEqual({ header: header.slice(0, 40), address: '127.0.0.1' });
    }
    // Garbage to the left of a good untrusted hop is never reached.
    expect(clientAddress('127.0.0.1', `${huge}, 203.0.113.9`, trust)).toBe('203.0.113.9');
    // With a hop count too: the walk never returns garbage.
    expect(clientAddress('198.51.100.7', 'garbage, 203.0.113.9', parseTrustProxy(3))).toBe('203.0.113.9');
  });

  it('reads an entry with a port or in brackets as its address', () => {
    const trust = list('127.0.0.1');
    expect(clientAddress('127.0.0.1', '203.0.113.9:4711', trust)).toBe('203.0.113.9');
    expect(clientAddress('127.0.0.1', '[2001:db8::5]:443', trust)).toBe('2001:db8::5');
    expect(clientAddress('127.0.0.1', '[2001:db8::5]', trust)).toBe('2001:db8::5');
    expect(clientAddress('127.0.0.1', 'fe80::1%eth0', trust)).toBe('fe80::1');
  });
});

describe('normalizeAddress', () => {
  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['::FFFF:CB00:7109', '203.0.113.9'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['::1', '::1'],
    ['64:ff9b::1.2.3.4', '64:ff9b::102:304'],
  ])('%s → %s', (input, out) => {
    expect(normalizeAddress(input)).toBe(out);
  });
  it.each(['', 'localhost', '01.2.3.4', '1.2.3', '::g', '1:2:3:4:5:6:7:8:9'])('refuses %j', (input) => {
    expect(normalizeAddress(input)).toBeNull();
  });
});

describe('addressKey', () => {
  it('keys IPv4 on the full address and IPv6 on its /64', () => {
    expect(addressKey('203.0.113.5')).toBe('203.0.113.5');
    expect(addressKey('203.0.113.5')).not.toBe(addressKey('203.0.113.6'));
    expect(addressKey('::ffff:203.0.113.5')).toBe('203.0.113.5');
    expect(addressKey('2001:db8:1:2::a')).toBe(addressKey('2001:db8:1:2:ffff:ffff:ffff:b'));
    expect(addressKey('2001:db8:1:2::a')).not.toBe(addressKey('2001:db8:1:3::a'));
  });
});

describe('hopCountWarning', () => {
  it('warns when a hop count meets a relay reachable beyond loopback, and only then', () => {
    expect(hopCountWarning(parseTrustProxy(1), '0.0.0.0')).toMatch(/believes X-Forwarded-For from anyone who reaches 0\.0\.0\.0/);
    expect(hopCountWarning(parseTrustProxy('1'), '::')).toMatch(/name the proxies' addresses/);
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', 'localhost']) expect(hopCountWarning(parseTrustProxy(1), host)).toBeNull();
    expect(hopCountWarning(parseTrustProxy('10.0.0.0/8'), '0.0.0.0')).toBeNull();
    expect(hopCountWarning(NO_PROXY_TRUST, '0.0.0.0')).toBeNull();
  });
});
