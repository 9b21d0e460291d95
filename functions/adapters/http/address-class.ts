import ipaddr from 'ipaddr.js';

/**
 * What kind of network an IP address belongs to, for the SSRF guard. Only 'public' is
 * reachable by default; every other class names why an address is refused.
 */
export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'linkLocal'
  | 'uniqueLocal'
  | 'carrierGradeNat'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'unspecified';

type IPv4 = ipaddr.IPv4;
type IPv6 = ipaddr.IPv6;

// ipaddr.js names more ranges than we need; these are globally routed anycast services
// (AS112 DNS sinks, AMT relays), so they are as public as any other address.
const PUBLIC_IPV4_RANGES = new Set(['unicast', 'as112', 'amt']);
const PUBLIC_IPV6_RANGES = new Set(['unicast', 'as112v6', 'amt']);

const GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR('2000::/3');
const WELL_KNOWN_NAT64 = ipaddr.IPv6.parseCIDR('64:ff9b::/96');

const IPV4_CLASSES: Record<string, AddressClass> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'linkLocal',
  loopback: 'loopback',
  carrierGradeNat: 'carrierGradeNat',
  private: 'private',
};

const IPV6_CLASSES: Record<string, AddressClass> = {
  unspecified: 'unspecified',
  multicast: 'multicast',
  linkLocal: 'linkLocal',
  loopback: 'loopback',
  uniqueLocal: 'uniqueLocal',
  // fec0::/10 is the deprecated predecessor of fc00::/7 and just as site-scoped.
  deprecatedSiteLocal: 'uniqueLocal',
};

/** The parsed address, or undefined when `ip` is not an IP address in standard notation. */
export function parseIp(ip: string): IPv4 | IPv6 | undefined {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  // Strict parsing on purpose: URL parsing and DNS already normalise IPv4 to dotted quads,
  // so anything else reaching here (0x7f.1, 2130706433) is not something we connect to.
  if (ipaddr.IPv4.isValidFourPartDecimal(bare)) return ipaddr.IPv4.parse(bare);
  if (ipaddr.IPv6.isValid(bare)) return ipaddr.IPv6.parse(bare);
  return undefined;
}

/**
 * Classifies an IP address (dotted quad, or IPv6 with or without brackets) with
 * ipaddr.js ranges. IPv6 forms that embed an IPv4 address (mapped, compatible,
 * translated, NAT64, 6to4, Teredo) are classified by the embedded address when that
 * one is not public, so `::ffff:127.0.0.1` is loopback, not an IPv6 curiosity.
 * Throws TypeError for anything that is not an IP address.
 */
export function classifyAddress(ip: string): AddressClass {
  const address = parseIp(ip);
  if (address === undefined) throw new TypeError(`not an IP address: ${JSON.stringify(ip)}`);
  return address.kind() === 'ipv4' ? classifyIPv4(address as IPv4) : classifyIPv6(address as IPv6);
}

function classifyIPv4(address: IPv4): AddressClass {
  const range = address.range();
  if (PUBLIC_IPV4_RANGES.has(range)) return 'public';
  return IPV4_CLASSES[range] ?? 'reserved';
}

function classifyIPv6(address: IPv6): AddressClass {
  const embedded = embeddedIPv4(address);
  if (embedded !== undefined) {
    const worst = embedded.map(classifyIPv4).find((kind) => kind !== 'public');
    if (worst !== undefined) return worst;
  }
  const range = address.range();
  if (range === 'unicast') {
    // Only 2000::/3 is allocated as global unicast; the rest of the space is unassigned.
    return address.match(GLOBAL_UNICAST) ? 'public' : 'reserved';
  }
  if (PUBLIC_IPV6_RANGES.has(range) || range === 'ipv4Mapped' || range === 'rfc6145') return 'public';
  if (range === 'rfc6052') {
    // 64:ff9b:1::/48 is NAT64 for local use only (RFC 8215), unlike the well-known /96.
    return address.match(WELL_KNOWN_NAT64) ? 'public' : 'private';
  }
  if (range === '6to4' || range === 'teredo') return 'public';
  return IPV6_CLASSES[range] ?? 'reserved';
}

/** The IPv4 addresses an IPv6 address carries, when it is one of the transition forms. */
export function embeddedIPv4(address: IPv6): IPv4[] | undefined {
  const p = address.parts;
  const fromParts = (high: number, low: number): IPv4 =>
    new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  const range = address.range();
  const nat64 = range === 'rfc6052' && address.match(WELL_KNOWN_NAT64);
  if (range === 'ipv4Mapped' || range === 'rfc6145' || nat64 || isIPv4Compatible(address)) {
    return [fromParts(p[6] ?? 0, p[7] ?? 0)];
  }
  // 2002:AABB:CCDD::/48 routes to the 6to4 gateway at AA.BB.CC.DD.
  if (range === '6to4') return [fromParts(p[1] ?? 0, p[2] ?? 0)];
  // 2001:0:SSSS:SSSS:flags:port:CCCC:CCCC, the client address stored bit-inverted (RFC 4380).
  if (range === 'teredo') {
    return [fromParts(p[2] ?? 0, p[3] ?? 0), fromParts(~(p[6] ?? 0) & 0xffff, ~(p[7] ?? 0) & 0xffff)];
  }
  return undefined;
}

/** ::a.b.c.d (deprecated, RFC 4291 §2.5.5.1), excluding :: and ::1 themselves. */
function isIPv4Compatible(address: IPv6): boolean {
  const p = address.parts;
  return p.slice(0, 6).every((part) => part === 0) && ((p[6] ?? 0) !== 0 || (p[7] ?? 0) > 1);
}
