import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { itemChunkHashes, parseFeed } from '#core/feed/index.ts';
import { MAX_DEPTH } from '#core/feed/limits.ts';
import {
  invisibleCharactersFeed,
  longLinkFeed,
  nestedHtmlFeed,
  oversizedFormsFeed,
} from '../fixtures/hostile-feeds.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const hashes = (text: string, contentType?: string) => itemChunkHashes(bytes(text), { contentType });

const ITEM_A =
  '<item><title>A</title><guid>a</guid><description><![CDATA[<p>Alpha &nbsp; one</p>]]></description></item>';
const ITEM_B =
  '<item><title>B &amp; b</title><guid>b</guid><description>&lt;p&gt;Beta&lt;/p&gt;</description></item>';
const ITEM_C = '<item><title>C</title><guid>c</guid></item>';

function rss(
  items: string[],
  {
    head = '',
    rssTag = '<rss version="2.0">',
    channelTag = '<channel>',
    prolog = '<?xml version="1.0" encoding="UTF-8"?>',
  } = {},
): string {
  return `${prolog}
${rssTag}${channelTag}<title>Wire</title><link>https://wire.example.com/</link>${head}
  ${items.join('\n  ')}
</channel></rss>
`;
}

describe('itemChunkHashes on RSS 2.0', () => {
  test('hashes each <item> element, in document order', () => {
    const all = hashes(rss([ITEM_A, ITEM_B, ITEM_C]));

    expect(all).toHaveLength(3);
    expect(new Set(all).size).toBe(3);
    expect(hashes(rss([ITEM_C, ITEM_A]))).toEqual([all?.[2], all?.[0]]);
  });

  test('an item hash ignores everything around the element: build dates, spacing, comments, other channel elements', () => {
    const all = hashes(rss([ITEM_A, ITEM_B]));

    const rebuilt = rss([ITEM_A, ITEM_B], {
      head: '<lastBuildDate>Sat, 28 Nov 2026 10:05:00 GMT</lastBuildDate><ttl>5</ttl><description><![CDATA[Today <b>now</b>]]></description>',
    })
      .replace('\n  <item>', '<!-- ad slot 42 -->\n\n\t<item>')
      .concat('<!-- generated in 0.12 s -->\n');

    expect(hashes(rebuilt)).toEqual(all);
  });

  test('an item hash covers the element from its "<" to its end tag\'s ">", and only that element', () => {
    const [a, b] = hashes(rss([ITEM_A, ITEM_B])) ?? [];
    const startTag = hashes(rss([ITEM_A.replace('<item>', '<item >'), ITEM_B]));
    const endTag = hashes(rss([ITEM_A.replace('</item>', '</item >'), ITEM_B]));
    const content = hashes(rss([ITEM_A.replace('Alpha', 'alpha'), ITEM_B]));

    expect(startTag?.[0]).not.toBe(a);
    expect(endTag?.[0]).not.toBe(a);
    expect(content?.[0]).not.toBe(a);
    expect([startTag?.[1], endTag?.[1], content?.[1]]).toEqual([b, b, b]);
  });

  test('an "</item>" inside a CDATA section does not end the item', () => {
    const inCdata = '<item><title>T</title><description><![CDATA[a </p> b]]></description></item>';

    expect(hashes(rss([inCdata]))).toHaveLength(1);
    expect(hashes(rss([inCdata.replace(' b]]>', ' c]]>')]))).not.toEqual(hashes(rss([inCdata])));
  });

  test('a ">" inside an attribute value does not end the tag', () => {
    const quoted =
      '<item><title>T</title><enclosure url="https://x.example/a>b.mp3" type="audio/mpeg"/></item>';

    expect(hashes(rss([quoted, ITEM_C]))).toHaveLength(2);
  });

  test.each([
    ['the version on <rss>', { rssTag: '<rss version="0.91">' }],
    [
      'a namespace declared on <rss>',
      { rssTag: '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">' },
    ],
    ['xml:base on <channel>', { channelTag: '<channel xml:base="https://wire.example.com/world/">' }],
    ['the encoding declared', { prolog: '<?xml version="1.0" encoding="windows-1252"?>' }],
    [
      'a DOCTYPE',
      {
        prolog:
          '<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">',
      },
    ],
    [
      'an HTML entity outside the items (rss-parser is then retried with entities rewritten)',
      { head: '<description>Caf&eacute;</description>' },
    ],
  ])('every item hash changes with %s', (_, change) => {
    const all = hashes(rss([ITEM_A, ITEM_B])) ?? [];

    const changed = hashes(rss([ITEM_A, ITEM_B], change)) ?? [];

    expect(changed).toHaveLength(2);
    expect(changed.filter((hash) => all.includes(hash))).toEqual([]);
  });

  test.each([
    [
      'link (relative item links resolve against it)',
      (text: string) => text.replace('https://wire.example.com/', 'https://mirror.example.org/'),
    ],
    [
      'title (the feed state keeps it)',
      (text: string) => text.replace('<title>Wire</title>', '<title>Wire (new)</title>'),
    ],
  ])("every item hash changes with the feed's %s", (_, change) => {
    const text = rss([ITEM_A]);

    expect(hashes(change(text))).not.toEqual(hashes(text));
  });

  test('the charset of the Content-Type counts when the bytes declare none', () => {
    const undeclared = rss([ITEM_A], { prolog: '' });

    expect(hashes(undeclared, 'application/rss+xml; charset=windows-1252')).not.toEqual(
      hashes(undeclared, 'application/rss+xml; charset=utf-8'),
    );
    expect(hashes(undeclared, 'application/rss+xml; charset=utf-8')).toEqual(hashes(undeclared));
  });
});

describe('itemChunkHashes on RSS 1.0 (RDF) and Atom', () => {
  test('RDF: the <item> elements beside the channel, not its <items> list', () => {
    const rdf = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'feeds', 'rss1-rdf.xml'), 'utf8');
    const items = rdf.match(/<item[\s>]/g)?.length ?? 0;

    const all = hashes(rdf);

    expect(items).toBeGreaterThan(0);
    expect(all).toHaveLength(items);
  });

  test('RDF: an item moved from beside the channel into it is not understood', () => {
    const rdf = `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel rdf:about="https://wire.example.com/"><title>Wire</title><link>https://wire.example.com/</link>
<items><rdf:Seq><rdf:li resource="https://wire.example.com/a"/></rdf:Seq></items></channel>
<item rdf:about="https://wire.example.com/a"><title>A</title><link>https://wire.example.com/a</link></item>
</rdf:RDF>`;

    expect(hashes(rdf)).toHaveLength(1);
    expect(
      hashes(
        rdf
          .replace('</items></channel>\n<item', '</items>\n<item')
          .replace('</item>\n</rdf:RDF>', '</item></channel></rdf:RDF>'),
      ),
    ).toBeUndefined();
  });

  test('Atom: each <entry>, and the <feed> start tag counts', () => {
    const atom = (feedTag: string, entries: string[]) =>
      `<?xml version="1.0" encoding="utf-8"?>\n${feedTag}<title>Wire</title><updated>2026-11-28T10:00:00Z</updated>\n${entries.join('\n')}\n</feed>`;
    const one =
      '<entry><id>urn:1</id><title type="html">One &lt;b&gt;</title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>One</p></div></content></entry>';
    const two =
      '<entry><id>urn:2</id><title>Two</title><link rel="alternate" href="https://wire.example.com/2"/></entry>';
    const plain = '<feed xmlns="http://www.w3.org/2005/Atom">';

    const all = hashes(atom(plain, [one, two]));

    expect(all).toHaveLength(2);
    expect(hashes(atom(plain, [two]).replace('10:00:00Z', '10:05:00Z'))).toEqual([all?.[1]]);
    expect(
      hashes(
        atom('<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://wire.example.com/x/">', [two]),
      ),
    ).not.toEqual([all?.[1]]);
  });

  test('the fixture feeds: one hash per item the parser reads', async () => {
    for (const name of ['atom.xml', 'rss091.xml', 'rss1-rdf.xml', 'rss2-news.xml']) {
      const body = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'feeds', name));
      const parsed = await parseFeed(body, { now: new Date('2025-06-04T12:00:00Z') });

      expect([name, itemChunkHashes(body)?.length]).toEqual([name, parsed.items.length]);
    }
  });
});

describe('itemChunkHashes leaves to the parse what it does not fully understand', () => {
  test.each([
    ['a CDATA section holding an item tag', rss([ITEM_A.replace('Alpha', 'Alpha <item>')])],
    [
      'a CDATA section holding a tag a repair searches for',
      rss([ITEM_A.replace('Alpha', 'Alpha </description>')]),
    ],
    ['a comment holding markup', rss([ITEM_A, '<!-- <item><title>Old</title></item> -->'])],
    ['an item inside an item', rss([ITEM_A.replace('</item>', `${ITEM_C}</item>`)])],
    ['an item that is not a child of the channel', rss([`<image>${ITEM_C}</image>`, ITEM_A])],
    ['items straight under <rss> (the parse adds the channel)', `<rss version="2.0">${ITEM_A}</rss>`],
    ['an empty item element', rss(['<item/>', ITEM_A])],
    ['an ill-nested item', rss([ITEM_A.replace('</title>', '</guid>')])],
    [
      'unescaped HTML with a void element',
      rss([ITEM_C.replace('<title>C', '<description>C<br>line</description><title>C')]),
    ],
    ['a stray "<" in text', rss([ITEM_C.replace('>C<', '>C < D<')])],
    ['a processing instruction inside the root', rss([ITEM_A, '<?php echo 1; ?>'])],
    ['a DOCTYPE with an internal subset', rss([ITEM_A], { prolog: '<!DOCTYPE rss [<!ELEMENT rss ANY>]>' })],
    ['text after the root', `${rss([ITEM_A])}trailing`],
    ['a body cut inside an item', rss([ITEM_A, ITEM_B]).slice(0, rss([ITEM_A, ITEM_B]).indexOf('Beta'))],
    [
      'a body cut after its items',
      rss([ITEM_A, ITEM_B]).slice(0, rss([ITEM_A, ITEM_B]).indexOf('</channel>')),
    ],
    ['no items', rss([])],
    ['a root that is not a feed', `<html><body>${ITEM_A}</body></html>`],
    ["the parser's lift mark in the text", rss([ITEM_A.replace('Alpha', 'Alpha \uE000')])],
    [
      'an attribute value over the limit',
      rss([ITEM_A.replace('<item>', `<item x="${'v'.repeat(70_000)}">`)]),
    ],
    [
      'nesting deeper than the parser allows',
      rss([`<item><title>T</title>${'<x>'.repeat(MAX_DEPTH)}${'</x>'.repeat(MAX_DEPTH)}</item>`]),
    ],
  ])('%s', (_, text) => {
    expect(hashes(text)).toBeUndefined();
  });

  test('an encoding in which ASCII bytes are not always ASCII characters', () => {
    const text = rss([ITEM_A]);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

    expect(itemChunkHashes(utf16)).toBeUndefined();
    expect(hashes(text.replace('UTF-8', 'Shift_JIS'))).toBeUndefined();
    expect(hashes(text.replace('UTF-8', 'ISO-2022-JP'))).toBeUndefined();
  });

  test('a body over the size limit', () => {
    const text = rss([ITEM_A]);

    expect(itemChunkHashes(bytes(text), { maxBytes: text.length - 1 })).toBeUndefined();
    expect(itemChunkHashes(bytes(text), { maxBytes: text.length })).toHaveLength(1);
  });

  test('the hostile feeds: left to the parse, or one hash per item the parser reads', async () => {
    const feeds = [oversizedFormsFeed(), nestedHtmlFeed(300_000), longLinkFeed(), invisibleCharactersFeed()];
    for (const name of ['billion-laughs.xml', 'xxe.xml', 'truncated.xml', 'html-page.html']) {
      feeds.push(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'feeds', name), 'utf8'));
    }
    const counts: [number | undefined, number | string][] = [];
    for (const text of feeds) {
      const read = await parseFeed(bytes(text)).then(
        (parsed) => parsed.items.length,
        (error: Error) => error.message,
      );
      counts.push([hashes(text)?.length, read]);
    }

    expect(counts).toEqual([
      [2, 2],
      [2, 2],
      [1, 1],
      [1, 1],
      [undefined, expect.stringContaining('entit')],
      [undefined, expect.stringContaining('entit')],
      [undefined, expect.any(String)],
      [undefined, expect.stringContaining('not an RSS or Atom feed')],
    ]);
  });
});
