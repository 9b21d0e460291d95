import { describe, expect, it } from 'vitest';
import { AddressPolicy } from '#adapters/http/address-policy.ts';
import { checkFeedUrl, redirectTarget } from '#adapters/http/feed-url.ts';
import { ConfigError, FetchError } from '#core/errors.ts';

const PRIVATE_HINT = 'feeds on private networks are refused; use --allow-private-network for intranet feeds';

async function refusal(url: string, options?: Parameters<typeof checkFeedUrl>[1]): Promise<FetchError> {
  const error = await checkFeedUrl(url, options).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof FetchError))
    throw new Error(`expected a FetchError for ${url}, got ${String(error)}`);
  return error;
}

describe('checkFeedUrl with literal addresses (no DNS involved)', () => {
  it.each([
    ['http://127.0.0.1/', '127.0.0.1 (loopback)'],
    ['http://2130706433/', '127.0.0.1 (loopback)'],
    ['http://0x7f.1/', '127.0.0.1 (loopback)'],
    ['http://0x7f000001/', '127.0.0.1 (loopback)'],
    ['http://0177.0.0.1/', '127.0.0.1 (loopback)'],
    ['http://127.1/', '127.0.0.1 (loopback)'],
    ['http://127.0.0.1./', '127.0.0.1 (loopback)'],
    ['http://[::ffff:127.0.0.1]/', '127.0.0.1 (loopback)'],
    ['http://[::1]/', '::1 (loopback)'],
    ['http://[::127.0.0.1]/', '::7f00:1 (loopback)'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 (cloud metadata endpoint): never a feed'],
    ['http://[::ffff:169.254.169.254]/', '169.254.169.254 (cloud metadata endpoint): never a feed'],
    ['http://169.254.1.1/', '169.254.1.1 (linkLocal)'],
    ['http://10.0.0.1/', '10.0.0.1 (private)'],
    ['http://172.16.5.4:8080/feed', '172.16.5.4 (private)'],
    ['http://192.168.0.1/', '192.168.0.1 (private)'],
    ['http://100.64.0.1/', '100.64.0.1 (carrierGradeNat)'],
    ['http://[fc00::1]/', 'fc00::1 (uniqueLocal)'],
    ['http://[fe80::1]/', 'fe80::1 (linkLocal)'],
    ['http://[2002:7f00:1::1]/', '2002:7f00:1::1 (loopback)'],
    ['http://192.0.2.10/', '192.0.2.10 (reserved)'],
    ['http://0.0.0.0/', '0.0.0.0 (unspecified): never a feed'],
    ['http://0/', '0.0.0.0 (unspecified): never a feed'],
    ['http://[::]/', ':: (unspecified): never a feed'],
    ['http://255.255.255.255/', '255.255.255.255 (broadcast): never a feed'],
    ['http://224.0.0.251/', '224.0.0.251 (multicast): never a feed'],
    ['https://[ff02::1]/', 'ff02::1 (multicast): never a feed'],
    [
      'http://[64:ff9b::a9fe:a9fe]/',
      '64:ff9b::a9fe:a9fe (cloud metadata endpoint 169.254.169.254): never a feed',
    ],
  ])('refuses %s by default', async (url, reason) => {
    const error = await refusal(url);
    expect(error.kind).toBe('blocked_address');
    const expected = reason.includes(': ')
      ? `blocked address ${reason}`
      : `blocked address ${reason}: ${PRIVATE_HINT}`;
    expect(error.message).toBe(expected);
  });

  it.each(['http://8.8.8.8/feed.xml', 'https://[2606:4700:4700::1111]/rss', 'http://[::ffff:8.8.8.8]/'])(
    'accepts the public address %s and returns the parsed URL',
    async (url) => {
      expect((await checkFeedUrl(url)).href).toBe(new URL(url).href);
    },
  );

  it.each([
    'http://127.0.0.1/',
    'http://10.0.0.1/',
    'http://[fd00::1]/',
    'http://169.254.1.1/',
    'http://100.64.0.1/',
  ])('accepts %s when private networks are allowed', async (url) => {
    expect((await checkFeedUrl(url, { allowPrivateNetwork: true })).href).toBe(url);
  });

  it.each([
    ['http://0.0.0.0/', 'blocked address 0.0.0.0 (unspecified): never a feed'],
    ['http://224.0.0.1/', 'blocked address 224.0.0.1 (multicast): never a feed'],
    ['http://255.255.255.255/', 'blocked address 255.255.255.255 (broadcast): never a feed'],
    ['http://169.254.169.254/', 'blocked address 169.254.169.254 (cloud metadata endpoint): never a feed'],
    ['http://[fd00:ec2::254]/', 'blocked address fd00:ec2::254 (cloud metadata endpoint): never a feed'],
    [
      'http://[::ffff:169.254.169.254]/',
      'blocked address 169.254.169.254 (cloud metadata endpoint): never a feed',
    ],
    [
      'http://[64:ff9b::a9fe:a9fe]/',
      'blocked address 64:ff9b::a9fe:a9fe (cloud metadata endpoint 169.254.169.254): never a feed',
    ],
    [
      'http://[64:ff9b::169.254.170.2]/',
      'blocked address 64:ff9b::a9fe:aa02 (cloud metadata endpoint 169.254.170.2): never a feed',
    ],
    [
      'http://[2002:a9fe:a9fe::]/',
      'blocked address 2002:a9fe:a9fe:: (cloud metadata endpoint 169.254.169.254): never a feed',
    ],
    [
      'http://[::169.254.169.254]/',
      'blocked address ::a9fe:a9fe (cloud metadata endpoint 169.254.169.254): never a feed',
    ],
    [
      'http://[2001:0:a9fe:a9fe::1]/',
      'blocked address 2001:0:a9fe:a9fe::1 (cloud metadata endpoint 169.254.169.254): never a feed',
    ],
  ])('still refuses %s when private networks are allowed', async (url, message) => {
    const error = await refusal(url, { allowPrivateNetwork: true });
    expect([error.kind, error.message]).toEqual(['blocked_address', message]);
  });

  it('opens exactly the allow-listed addresses and nothing next to them', async () => {
    const options = { allowedAddresses: ['127.0.0.1/32', '10.20.0.0/16', '::1'] };
    expect((await checkFeedUrl('http://127.0.0.1:8080/', options)).port).toBe('8080');
    expect((await checkFeedUrl('http://[::ffff:127.0.0.1]/', options)).hostname).toBe('[::ffff:7f00:1]');
    expect((await checkFeedUrl('http://10.20.255.1/', options)).hostname).toBe('10.20.255.1');
    expect((await checkFeedUrl('http://[::1]/', options)).hostname).toBe('[::1]');
    expect((await refusal('http://127.0.0.2/', options)).message).toBe(
      `blocked address 127.0.0.2 (loopback): ${PRIVATE_HINT}`,
    );
    expect((await refusal('http://10.21.0.1/', options)).message).toBe(
      `blocked address 10.21.0.1 (private): ${PRIVATE_HINT}`,
    );
  });

  it('rejects an allow-list entry that is not an address or range', () => {
    expect(() => new AddressPolicy({ allowedAddresses: ['intranet.example'] })).toThrow(
      new ConfigError('invalid allowed address "intranet.example": expected an IP address or CIDR range'),
    );
  });

  it.each([
    ['ftp://example.com/feed', 'unsupported URL scheme "ftp:" (only http and https)'],
    ['file:///etc/passwd', 'unsupported URL scheme "file:" (only http and https)'],
    ['gopher://127.0.0.1:6379/_INFO', 'unsupported URL scheme "gopher:" (only http and https)'],
    ['javascript:alert(1)', 'unsupported URL scheme "javascript:" (only http and https)'],
    ['not a url', 'invalid URL "not a url"'],
    ['http://', 'invalid URL "http://"'],
    ['https://analyst:s3cret@feeds.example.com/rss', 'feed URLs must not contain a user name or password'],
    ['http://token@8.8.8.8/feed.xml', 'feed URLs must not contain a user name or password'],
    ['https://:s3cret@feeds.example.com/rss', 'feed URLs must not contain a user name or password'],
  ])('refuses %s as an invalid URL', async (url, message) => {
    const error = await refusal(url);
    expect([error.kind, error.message]).toEqual(['invalid_url', message]);
  });
});

describe('redirectTarget', () => {
  const here = new URL('https://feeds.example.com/news/rss');

  it('resolves a relative Location against the current URL', () => {
    expect(redirectTarget(here, '../moved.xml?x=1', 301).href).toBe(
      'https://feeds.example.com/moved.xml?x=1',
    );
  });

  it('follows https to https on another host', () => {
    expect(redirectTarget(here, 'https://cdn.example.net/rss', 302).href).toBe('https://cdn.example.net/rss');
  });

  it('follows http to https', () => {
    expect(redirectTarget(new URL('http://a.example/'), 'https://a.example/', 301).href).toBe(
      'https://a.example/',
    );
  });

  it('refuses a downgrade from https to http', () => {
    const act = () => redirectTarget(here, 'http://feeds.example.com/news/rss', 301);
    expect(act).toThrow(
      new FetchError('insecure_redirect', 'refused redirect from https to http (http://feeds.example.com)'),
    );
    expect(act).toThrow(expect.objectContaining({ kind: 'insecure_redirect' }));
  });

  it('refuses a redirect to another scheme', () => {
    expect(() => redirectTarget(here, 'file:///etc/passwd', 302)).toThrow(
      expect.objectContaining({
        kind: 'invalid_url',
        message: 'unsupported URL scheme "file:" (only http and https)',
      }),
    );
  });

  it('refuses a redirect to a URL with a user name and password', () => {
    expect(() => redirectTarget(here, 'https://user:pw@cdn.example.net/rss', 302)).toThrow(
      new FetchError('invalid_url', 'feed URLs must not contain a user name or password'),
    );
  });

  it('refuses a redirect without a Location header', () => {
    expect(() => redirectTarget(here, undefined, 302)).toThrow(
      expect.objectContaining({
        kind: 'http_status',
        message: 'HTTP 302 redirect without a Location header',
      }),
    );
  });
});
