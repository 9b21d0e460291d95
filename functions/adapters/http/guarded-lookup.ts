import type { LookupAddress, LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { AddressPolicy } from './address-policy.ts';
import { resolveHost } from './feed-url.ts';

/**
 * A `lookup` for http(s).request that resolves the host, refuses the connection if ANY
 * address is blocked, and hands the socket only addresses it has just checked. Checking
 * inside the connection's own lookup pins the socket to the checked addresses, so a DNS
 * answer that changes between check and connect (rebinding) cannot slip past. Refusing
 * when any address is blocked, rather than connecting to the allowed ones, also defeats
 * hosts that mix a public address with a private one and hope for the private one.
 */
export function guardedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    void (async () => {
      let addresses: LookupAddress[];
      try {
        addresses = await resolveHost(hostname);
        for (const { address } of addresses) policy.assertAllowed(address);
      } catch (error) {
        callback(error as NodeJS.ErrnoException, '');
        return;
      }
      const family = familyNumber(options.family);
      const wanted = addresses.filter((address) => family === 0 || address.family === family);
      const usable = wanted.length > 0 ? wanted : addresses;
      const first = usable[0] as LookupAddress;
      if (options.all) callback(null, usable);
      else callback(null, first.address, first.family);
    })();
  };
}

function familyNumber(family: LookupOptions['family']): number {
  if (family === 'IPv4') return 4;
  if (family === 'IPv6') return 6;
  return family ?? 0;
}
