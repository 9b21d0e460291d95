import { promises as dns, type LookupAddress } from 'node:dns';
import { FetchError } from '#core/errors.ts';
import { parseIp } from './address-class.ts';
import { AddressPolicy, type AddressPolicyOptions } from './address-policy.ts';

/**
 * Parses a feed URL and accepts only http and https, without credentials. WHATWG parsing also normalises every
 * IPv4 spelling (2130706433, 0x7f.1, 0177.0.0.1, 127.1) to a dotted quad, which is what
 * lets the address guard see through them.
 */
export function parseFeedUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FetchError('invalid_url', `invalid URL ${quote(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new FetchError(
      'invalid_url',
      `unsupported URL scheme ${quote(parsed.protocol)} (only http and https)`,
    );
  }
  // Feed URLs are logged, listed and put in alert emails, so a password in one would leak.
  // The message leaves the URL out for the same reason.
  if (parsed.username !== '' || parsed.password !== '') {
    throw new FetchError('invalid_url', 'feed URLs must not contain a user name or password');
  }
  return parsed;
}

/** The host as an IP address when the URL names one literally (brackets removed), else undefined. */
export function literalAddress(url: URL): string | undefined {
  return parseIp(url.hostname) === undefined ? undefined : url.hostname.replace(/^\[|\]$/g, '');
}

/**
 * Validates a feed URL before it is stored: scheme, then every address its host resolves
 * to. The fetcher checks again at connect time, so this is early feedback, not the guard.
 */
export async function checkFeedUrl(url: string, options: AddressPolicyOptions = {}): Promise<URL> {
  const parsed = parseFeedUrl(url);
  const policy = new AddressPolicy(options);
  const literal = literalAddress(parsed);
  const addresses = literal === undefined ? await resolveHost(parsed.hostname) : [{ address: literal }];
  for (const { address } of addresses) policy.assertAllowed(address);
  return parsed;
}

/** Every address a host resolves to (the system resolver, as connections use), or FetchError('dns'). */
export async function resolveHost(hostname: string): Promise<LookupAddress[]> {
  try {
    const addresses = await dns.lookup(hostname, { all: true });
    if (addresses.length === 0) throw new FetchError('dns', `cannot resolve host ${hostname}`);
    return addresses;
  } catch (error) {
    if (error instanceof FetchError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const detail = code === 'EAI_AGAIN' ? ': temporary DNS failure' : '';
    throw new FetchError('dns', `cannot resolve host ${hostname}${detail}`);
  }
}

/**
 * Where a redirect leads, or why it is refused: relative Locations resolve against the
 * current URL, the scheme rules of parseFeedUrl apply, and https never drops to http
 * (the feed would then travel, and could be altered, in clear text).
 */
export function redirectTarget(current: URL, location: string | undefined, status: number): URL {
  if (location === undefined || location === '') {
    throw new FetchError('http_status', `HTTP ${status} redirect without a Location header`);
  }
  let target: URL;
  try {
    target = new URL(location, current);
  } catch {
    throw new FetchError('invalid_url', `invalid redirect location ${quote(location)}`);
  }
  parseFeedUrl(target.href);
  if (current.protocol === 'https:' && target.protocol === 'http:') {
    throw new FetchError('insecure_redirect', `refused redirect from https to http (${target.origin})`);
  }
  return target;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);
}
