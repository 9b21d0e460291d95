/**
 * One spelling per story address, so the same story reached through a newsletter, a social
 * share or an AMP page is recognised as the same item. Only changes that cannot point to a
 * different page are made: the link users click keeps its original form.
 */

/** Parameters that say how a reader arrived, never which page they asked for. */
const TRACKING_PARAMETERS = new Set([
  'fbclid',
  'gclid',
  'gclsrc',
  'dclid',
  'msclkid',
  'yclid',
  'twclid',
  'igshid',
  'ocid',
  'mc_cid',
  'mc_eid',
  'mkt_tok',
  'ref_src',
  'ref_url',
  'cmpid',
  'cmp',
  'ncid',
  'smid',
  'smtyp',
  'sr_share',
  '_ga',
  'wt.mc_id',
  'amp',
]);

const TRACKING_PREFIXES = ['utm_', 'at_', 'pk_', 'mtm_'];

/** The canonical form of an http(s) URL, or undefined for anything else. */
export function canonicalLink(url: string): string | undefined {
  const parsed = parseHttpUrl(url.trim());
  if (!parsed) return undefined;
  const host = canonicalHost(parsed.hostname);
  const port = parsed.port ? `:${parsed.port}` : '';
  const path = parsed.pathname.replace(/\/amp\/?$/i, '') || '/';
  const query = [...parsed.searchParams]
    .filter(([name]) => !isTracking(name))
    .sort(([nameA, valueA], [nameB, valueB]) => compare(nameA, nameB) || compare(valueA, valueB));
  const search = query.length ? `?${new URLSearchParams(query).toString()}` : '';
  return `${parsed.protocol}//${host}${port}${path}${search}`;
}

/** An absolute http(s) URL, resolved against `base` when relative; undefined otherwise. */
export function parseHttpUrl(url: string, base?: string): URL | undefined {
  let parsed: URL;
  try {
    // One parse: URL.canParse first would read every link twice, and nearly all links parse.
    parsed = new URL(url, base);
  } catch {
    return undefined;
  }
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed : undefined;
}

/** "www." and "amp." name the same site as the bare host, as long as a registrable name is left. */
function canonicalHost(hostname: string): string {
  const withoutPrefix = hostname.replace(/^(www|amp)\./, '');
  return withoutPrefix.includes('.') ? withoutPrefix : hostname;
}

function isTracking(name: string): boolean {
  const lower = name.toLowerCase();
  return TRACKING_PARAMETERS.has(lower) || TRACKING_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
