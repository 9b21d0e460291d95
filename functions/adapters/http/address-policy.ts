import ipaddr from 'ipaddr.js';
import { ConfigError, FetchError } from '#core/errors.ts';
import { type AddressClass, classifyAddress, embeddedIPv4, parseIp } from './address-class.ts';

export interface AddressPolicyOptions {
  /**
   * Allows loopback, private, link-local, unique-local, carrier-grade NAT and reserved
   * addresses, for intranet feeds. Unspecified (0.0.0.0, ::), multicast, broadcast and
   * the cloud metadata endpoints stay refused: none of them is ever a feed.
   * @default false
   */
  allowPrivateNetwork?: boolean;
  /**
   * The allow-list: IP addresses or CIDR ranges (e.g. `['127.0.0.1/32', '10.20.0.0/16']`)
   * that are reachable whatever their class. Narrower than allowPrivateNetwork, so a test
   * or a deployment can open exactly one intranet host and keep the rest of the guard.
   * @default []
   */
  allowedAddresses?: string[];
}

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

// Credentials live here (EC2/ECS/EKS instance metadata); an SSRF into them is the classic
// cloud breach, so even an intranet-enabled fetcher refuses them unless listed explicitly.
const METADATA_ENDPOINTS = new Set(['169.254.169.254', '169.254.170.2', '169.254.170.23', 'fd00:ec2::254']);
const NEVER_A_FEED = new Set<AddressClass>(['unspecified', 'multicast', 'broadcast']);

/** Decides which resolved addresses a feed may be fetched from. */
export class AddressPolicy {
  private readonly allowPrivateNetwork: boolean;
  private readonly allowed: Cidr[];

  constructor(options: AddressPolicyOptions = {}) {
    this.allowPrivateNetwork = options.allowPrivateNetwork ?? false;
    this.allowed = (options.allowedAddresses ?? []).map(parseAllowedEntry);
  }

  /** Throws FetchError('blocked_address') unless `ip` may be connected to. */
  assertAllowed(ip: string): void {
    const address = parseIp(ip);
    if (address === undefined)
      throw new FetchError('blocked_address', `blocked address ${ip}: not an IP address`);
    const plain = unmapIPv4(address);
    if (this.allowed.some((range) => matches(plain, range))) return;
    const shown = plain.toString();
    if (METADATA_ENDPOINTS.has(shown)) {
      throw new FetchError(
        'blocked_address',
        `blocked address ${shown} (cloud metadata endpoint): never a feed`,
      );
    }
    const embeddedEndpoint = embeddedMetadataEndpoint(plain);
    if (embeddedEndpoint !== undefined) {
      throw new FetchError(
        'blocked_address',
        `blocked address ${shown} (cloud metadata endpoint ${embeddedEndpoint}): never a feed`,
      );
    }
    const addressClass = classifyAddress(plain.toString());
    if (addressClass === 'public') return;
    if (NEVER_A_FEED.has(addressClass)) {
      throw new FetchError('blocked_address', `blocked address ${shown} (${addressClass}): never a feed`);
    }
    if (this.allowPrivateNetwork) return;
    throw new FetchError(
      'blocked_address',
      `blocked address ${shown} (${addressClass}): feeds on private networks are refused; ` +
        'use --allow-private-network for intranet feeds',
    );
  }
}

/**
 * The metadata endpoint an IPv6 transition form (NAT64, 6to4, Teredo, IPv4-compatible)
 * leads to, if any: a NAT64 gateway or 6to4 relay on an intranet would forward to it.
 */
function embeddedMetadataEndpoint(address: ipaddr.IPv4 | ipaddr.IPv6): string | undefined {
  if (address.kind() !== 'ipv6') return undefined;
  return embeddedIPv4(address as ipaddr.IPv6)
    ?.map((ipv4) => ipv4.toString())
    .find((ipv4) => METADATA_ENDPOINTS.has(ipv4));
}

function parseAllowedEntry(entry: string): Cidr {
  if (ipaddr.isValidCIDR(entry)) {
    const [address, bits] = ipaddr.parseCIDR(entry);
    return isMapped(address) && bits >= 96 ? [unmapIPv4(address), bits - 96] : [address, bits];
  }
  const address = parseIp(entry);
  if (address === undefined) {
    throw new ConfigError(`invalid allowed address "${entry}": expected an IP address or CIDR range`);
  }
  const plain = unmapIPv4(address);
  return [plain, plain.kind() === 'ipv4' ? 32 : 128];
}

function isMapped(address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress();
}

/** ::ffff:a.b.c.d is the IPv4 host a.b.c.d; compare and report it as such. */
function unmapIPv4(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return isMapped(address) ? (address as ipaddr.IPv6).toIPv4Address() : address;
}

function matches(address: ipaddr.IPv4 | ipaddr.IPv6, [network, bits]: Cidr): boolean {
  return address.kind() === network.kind() && address.match(network, bits);
}
