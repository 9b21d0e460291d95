import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '#core/feed/index.ts';

function fixture(name: string): Buffer {
  return readFileSync(new URL(`../fixtures/feeds/${name}`, import.meta.url));
}

function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected parseFeed to reject');
    },
    (error: unknown) => error,
  );
}

describe('parseFeed: hostile and broken input', () => {
  it('refuses a body over the size limit before decoding it', async () => {
    const input = new Uint8Array(Math.round(12.3 * 1024 * 1024));

    await expect(parseFeed(input)).rejects.toMatchObject({
      name: 'FeedParseError',
      kind: 'too_large',
      message: 'feed is 12.3 MB, larger than the 10 MB limit',
    });
  });

  it('takes a configurable size limit', async () => {
    const input = Buffer.from(
      `<rss version="2.0"><channel><title>${'x'.repeat(2 * 1024 * 1024)}</title></channel></rss>`,
    );

    await expect(parseFeed(input, { maxBytes: 1024 * 1024 })).rejects.toMatchObject({
      kind: 'too_large',
      message: 'feed is 2.0 MB, larger than the 1 MB limit',
    });
  });

  it('refuses billion laughs without expanding anything', async () => {
    const error = await rejection(parseFeed(fixture('billion-laughs.xml')));

    expect(error).toMatchObject({
      name: 'FeedParseError',
      kind: 'malformed',
      message: 'feed declares XML entities in its DOCTYPE, which are refused (entity expansion attack)',
    });
  });

  it('refuses an external entity (XXE) and never reads the file', async () => {
    const error = await rejection(parseFeed(fixture('xxe.xml')));

    expect(error).toMatchObject({
      kind: 'malformed',
      message: 'feed declares XML entities in its DOCTYPE, which are refused (entity expansion attack)',
    });
    expect(String((error as Error).message)).not.toContain('root:');
  });

  it('does not expand an undeclared entity either', async () => {
    const input = Buffer.from(
      '<rss version="2.0"><channel><item><title>&secret;</title></item></channel></rss>',
    );

    await expect(parseFeed(input)).rejects.toMatchObject({
      kind: 'malformed',
      message: 'malformed XML at line 1, column 49: invalid character entity',
    });
  });

  it('reads HTML named entities that strict XML rejects', async () => {
    const input = Buffer.from(
      '<rss version="2.0"><channel><item><guid>e1</guid><title>Caf&eacute; talks&nbsp;&mdash; day&nbsp;2</title></item></channel></rss>',
    );

    const feed = await parseFeed(input);

    expect(feed.items).toEqual([{ key: 'e1', guid: 'e1', title: 'Café talks — day 2', body: '' }]);
  });

  it('rejects 10 MB of nesting in the pre-scan, before the XML parser sees it', async () => {
    const input = Buffer.from(`<rss version="2.0">${'<a>'.repeat(3_400_000)}`);

    await expect(parseFeed(input)).rejects.toMatchObject({
      kind: 'too_deep',
      message: 'feed nests elements more than 64 levels deep',
    });
  });

  it('accepts nesting up to the limit', async () => {
    const nested = `${'<a>'.repeat(62)}${'</a>'.repeat(62)}`;
    const input = Buffer.from(
      `<rss version="2.0"><channel>${nested}<item><guid>d</guid><title>ok</title></item></channel></rss>`,
    );

    const feed = await parseFeed(input);

    expect(feed.items.map((item) => item.title)).toEqual(['ok']);
  });

  it('empties a huge attribute value and keeps the item, with a warning', async () => {
    const input = Buffer.from(
      `<rss version="2.0"><channel><item data-junk="${'A'.repeat(5_000_000)}"><guid>h</guid><title>Big attribute</title></item></channel></rss>`,
    );

    const feed = await parseFeed(input);

    expect(feed.items).toEqual([{ key: 'h', guid: 'h', title: 'Big attribute', body: '' }]);
    expect(feed.warnings).toEqual(['an attribute value of 5,000,000 characters was emptied (limit 65,536)']);
  });

  it('drops a link longer than any browser accepts', async () => {
    const input = Buffer.from(
      `<rss version="2.0"><channel><item><guid>l</guid><title>Long link</title><link>https://example.com/${'p'.repeat(3000)}</link></item></channel></rss>`,
    );

    const feed = await parseFeed(input);

    expect(feed.items[0]?.link).toBeUndefined();
    expect(feed.warnings).toEqual([
      'item 1 ("Long link"): link of 3,020 characters is over the 2,048 limit; dropped',
    ]);
  });

  it('reports truncated XML as malformed, with where it ends', async () => {
    await expect(parseFeed(fixture('truncated.xml'))).rejects.toMatchObject({
      kind: 'malformed',
      message:
        'malformed XML at line 12, column 0: the feed ends before its root element is closed (truncated?)',
    });
  });

  it('reports mismatched tags as malformed in one line', async () => {
    const input = Buffer.from('<rss version="2.0"><channel><item><title>x</b></item></channel></rss>');

    await expect(parseFeed(input)).rejects.toMatchObject({
      kind: 'malformed',
      message: 'malformed XML at line 1, column 46: unexpected close tag',
    });
  });

  it.each([
    ['an HTML page', fixture('html-page.html'), 'not an RSS or Atom feed (looks like an HTML page)'],
    [
      'HTML without a doctype',
      Buffer.from('<html><body>Moved</body></html>'),
      'not an RSS or Atom feed (looks like an HTML page)',
    ],
    ['an empty body', Buffer.alloc(0), 'empty response'],
    ['whitespace only', Buffer.from(' \r\n\t'), 'empty response'],
    [
      'gzip bytes',
      Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xfe, 0x01, 0x02]),
      'not an RSS or Atom feed (binary data)',
    ],
    [
      'random binary',
      Buffer.from(Array.from({ length: 512 }, (_, index) => (index * 151 + 7) % 256)),
      'not an RSS or Atom feed (binary data)',
    ],
    [
      'JSON',
      Buffer.from('{"version":"https://jsonfeed.org/version/1.1","items":[]}'),
      'not an RSS or Atom feed (looks like JSON)',
    ],
    [
      'plain text',
      Buffer.from('Service unavailable'),
      'not an RSS or Atom feed (does not start with XML markup)',
    ],
    [
      'an OPML file',
      Buffer.from('<?xml version="1.0"?><opml version="2.0"><body/></opml>'),
      'not an RSS or Atom feed (its root element is <opml>)',
    ],
    [
      'a prolog and nothing else',
      Buffer.from('<?xml version="1.0"?><!-- nothing -->'),
      'not an RSS or Atom feed (no XML elements)',
    ],
  ])('rejects %s as not_a_feed', async (_, input, message) => {
    await expect(parseFeed(input)).rejects.toMatchObject({
      name: 'FeedParseError',
      kind: 'not_a_feed',
      message,
    });
  });
});

describe('parseFeed: shapes that crash rss-parser', () => {
  it('reads items placed directly under <rss> with no <channel>', async () => {
    const input = Buffer.from(
      '<rss version="2.0"><item><guid>n1</guid><title>No channel</title></item></rss>',
    );

    const feed = await parseFeed(input);

    expect(feed.items).toEqual([{ key: 'n1', guid: 'n1', title: 'No channel', body: '' }]);
  });

  it('reads RSS 1.0 with no <channel>', async () => {
    const input = Buffer.from(
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><item><title>Loose</title><link>https://example.com/l</link></item></rdf:RDF>',
    );

    const feed = await parseFeed(input);

    expect(feed.items).toEqual([
      { key: 'https://example.com/l', title: 'Loose', link: 'https://example.com/l', body: '' },
    ]);
  });

  it('reports an <rss/> with nothing in it as malformed, not as a TypeError', async () => {
    const error = await rejection(parseFeed(Buffer.from('<rss version="2.0"/>')));

    expect(error).toMatchObject({
      name: 'FeedParseError',
      kind: 'malformed',
      message: 'feed structure not understood (an RSS or Atom element is missing or misplaced)',
    });
  });

  it('reads an empty <channel> as a feed with no items', async () => {
    const feed = await parseFeed(Buffer.from('<rss version="2.0"><channel></channel></rss>'));

    expect(feed).toEqual({ items: [], warnings: [] });
  });

  it('reads Atom links written as text or without attributes', async () => {
    const input = Buffer.from(
      '<feed xmlns="http://www.w3.org/2005/Atom"><link>https://x.example/</link><entry><id>e1</id><title>T</title><link>https://x.example/e1</link><link/></entry></feed>',
    );

    const feed = await parseFeed(input);

    expect(feed.items).toEqual([
      { key: 'e1', guid: 'e1', title: 'T', link: 'https://x.example/e1', body: '' },
    ]);
  });

  it('keeps the other Atom entries when one has an unreadable date', async () => {
    const input = Buffer.from(
      '<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>' +
        '<entry><id>a</id><title>Good</title><updated>2025-06-01T10:00:00Z</updated></entry>' +
        '<entry><id>b</id><title>Bad</title><published>31/31/2025</published><updated>never</updated></entry></feed>',
    );

    const feed = await parseFeed(input);

    expect(feed.items).toEqual([
      { key: 'a', guid: 'a', title: 'Good', published: '2025-06-01T10:00:00.000Z', body: '' },
      { key: 'b', guid: 'b', title: 'Bad', body: '' },
    ]);
    expect(feed.warnings).toEqual(['item 2 ("Bad"): unreadable date "31/31/2025"; published left empty']);
  });

  it('ignores guid and enclosure elements that have attributes but no text', async () => {
    const input = Buffer.from(
      '<rss version="2.0"><channel><item><title>G</title><guid isPermaLink="false"/><enclosure/><link/></item></channel></rss>',
    );

    const feed = await parseFeed(input);

    expect(feed.items).toEqual([{ key: 'hash:319344f14be7a294f789ce6b2d4f50c4', title: 'G', body: '' }]);
  });
});
