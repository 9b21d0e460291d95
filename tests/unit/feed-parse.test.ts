import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '#core/feed/index.ts';

const NOW = new Date('2025-06-04T00:00:00Z');

function fixture(name: string): Buffer {
  return readFileSync(new URL(`../fixtures/feeds/${name}`, import.meta.url));
}

function bytes(...parts: (string | number[])[]): Uint8Array {
  return Buffer.concat(
    parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))),
  );
}

function rss(items: string, channel = ''): Buffer {
  return Buffer.from(
    `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>${channel}${items}</channel></rss>`,
  );
}

describe('parseFeed: RSS 2.0 with content:encoded and HTML-heavy items', () => {
  it('normalises every item to plain text with keys, links and ISO dates', async () => {
    const feed = await parseFeed(fixture('rss2-news.xml'), { now: NOW });

    expect(feed).toEqual({
      title: 'Harbour Gazette & World Desk',
      items: [
        {
          key: 'hg-world-48211',
          guid: 'hg-world-48211',
          title: 'EU moves toward seizing Russian assets frozen since 2022',
          link: 'https://news.example.org/world/2025/06/02/frozen-assets?utm_source=rss&utm_medium=feed',
          published: '2025-06-02T08:15:00.000Z',
          body:
            'Finance ministers meeting in Brussels on Monday edged closer to seizing Russian assets that have been ' +
            'frozen since 2022, a step that would turn an asset freeze into outright confiscation. Officials said ' +
            'about €190bn of central-bank reserves sit at a single clearing house. “Immobilised is not the same as ' +
            'seized,” one diplomat said — and several capitals still fear legal challenges. Diplomats also ' +
            'discussed a proposed cease\u2011fire along the front line, which Kyiv says must be verified before any ' +
            'truce takes hold.\n\nMinisters weigh the confiscation of central-bank reserves held in Brussels.',
        },
        {
          key: 'hg-world-48212',
          guid: 'hg-world-48212',
          title: 'Leaders back coalition of the willing plan',
          link: 'https://news.example.org/world/2025/06/02/coalition',
          published: '2025-06-02T11:40:00.000Z',
          body:
            'Several governments pledged troops to a coalition of the willing that would police any cease-fire. ' +
            'Talks resume on Thursday.',
        },
        {
          key: 'https://news.example.org/local/2025/06/01/north-quay',
          guid: 'https://news.example.org/local/2025/06/01/north-quay',
          title: 'Harbour authority reopens the north quay',
          link: 'https://news.example.org/local/2025/06/01/north-quay',
          published: '2025-06-01T18:05:00.000Z',
          body: 'Dredging is finished & ferries return on Tuesday; the café by the pier stays shut.',
        },
        {
          key: 'https://news.example.org/weather/week-ahead',
          title: 'Weather: a dry week ahead',
          link: 'https://news.example.org/weather/week-ahead',
          body: 'Mostly sunny with light winds. Mon 21°C Tue 23°C',
        },
      ],
      warnings: [
        'item 4 ("Weather: a dry week ahead"): unreadable date "sometime next week"; published left empty',
      ],
    });
  });
});

describe('parseFeed: other formats', () => {
  it('reads RSS 1.0 (RDF) with dc:date and falls back to rdf:about for a missing link', async () => {
    const feed = await parseFeed(fixture('rss1-rdf.xml'), { now: NOW });

    expect(feed).toEqual({
      title: 'Science Notes',
      items: [
        {
          key: 'https://science.example.net/notes/graphene-sieve',
          title: 'A graphene sieve for salt water',
          link: 'https://science.example.net/notes/graphene-sieve',
          published: '2025-05-30T06:00:00.000Z',
          body: 'Researchers filtered sea water through a membrane one atom thick.',
        },
        {
          key: 'https://science.example.net/notes/comet-dust',
          title: 'Comet dust reaches the lab',
          link: 'https://science.example.net/notes/comet-dust',
          published: '2025-05-29T00:00:00.000Z',
          body: 'Grains collected in orbit arrive for analysis.',
        },
      ],
      warnings: [],
    });
  });

  it('reads RSS 0.91 with its public DOCTYPE', async () => {
    const feed = await parseFeed(fixture('rss091.xml'), { now: NOW });

    expect(feed.title).toBe('Valley Radio Bulletins');
    expect(feed.items).toEqual([
      {
        key: 'http://radio.example.com/bulletins/bridge',
        title: 'Bridge repairs finish early',
        link: 'http://radio.example.com/bulletins/bridge',
        body: 'The river bridge reopens to traffic tonight, two days ahead of schedule.',
      },
      {
        key: 'http://radio.example.com/bulletins/school-board',
        title: 'School board elects new chair',
        link: 'http://radio.example.com/bulletins/school-board',
        body: 'The vote was unanimous.',
      },
    ]);
    expect(feed.warnings).toEqual([]);
  });

  it('reads Atom: html titles and content, xhtml content, text summaries, alternate links, bad dates', async () => {
    const feed = await parseFeed(fixture('atom.xml'), { now: NOW });

    expect(feed).toEqual({
      title: 'Borderlands Dispatch',
      items: [
        {
          key: 'tag:dispatch.example.com,2025:truce-3',
          guid: 'tag:dispatch.example.com,2025:truce-3',
          title: 'Truce holds for a third day & aid convoys move',
          link: 'https://dispatch.example.com/2025/06/03/truce-third-day',
          published: '2025-06-03T03:30:00.000Z',
          body:
            'The ceasefire brokered last week held overnight, and the first aid convoys crossed at dawn. ' +
            'Monitors reported no shelling near the river.',
        },
        {
          key: 'tag:dispatch.example.com,2025:rents',
          guid: 'tag:dispatch.example.com,2025:rents',
          title: 'Prices < wages? A look at rents',
          link: 'https://dispatch.example.com/2025/06/02/rents',
          body: 'Rents rose faster than wages in nine of ten cities. Tenants & landlords disagree.',
        },
        {
          key: 'tag:dispatch.example.com,2025:market',
          guid: 'tag:dispatch.example.com,2025:market',
          title: 'Market report',
          link: 'https://dispatch.example.com/2025/06/01/market',
          published: '2025-06-01T16:00:00.000Z',
          body: 'Grain prices steady; <b> is how you write bold.',
        },
      ],
      warnings: [
        'item 2 ("Prices < wages? A look at rents"): unreadable date "not a date"; published left empty',
      ],
    });
  });

  it('reads RSS without a version attribute as RSS 2.0', async () => {
    const feed = await parseFeed(
      Buffer.from('<rss><channel><item><guid>g1</guid><title>A</title></item></channel></rss>'),
    );

    expect(feed.items).toEqual([{ key: 'g1', guid: 'g1', title: 'A', body: '' }]);
  });

  it('reads the shipped example feed whole', async () => {
    const feed = await parseFeed(
      readFileSync(new URL('../../examples/feeds/world-news.xml', import.meta.url)),
      {
        now: NOW,
      },
    );

    expect(feed.items.map((item) => item.title)).toEqual([
      'G7 finance chiefs agree to start seizing frozen Russian assets',
      'Cease-fire talks resume as both sides observe a holiday truce',
      'Central bank holds rates as inflation cools',
      'Heatwave warning issued for southern Europe',
      'Marathon record falls in wet conditions',
      'Museum returns looted bronzes after decade-long campaign',
    ]);
    expect(feed.items[1]?.body).toBe(
      'Negotiators met again in Geneva after a three-day truce held along most of the front line. Mediators said ' +
        'a lasting cease\u2011fire would need international monitors; a draft text seen by Meridian Wire proposes a ' +
        'coalition of the willing to supply them.',
    );
    expect(feed.warnings).toEqual([]);
  });
});

describe('parseFeed: encodings', () => {
  it('decodes a Latin-1 feed declared only in the XML prolog', async () => {
    const input = bytes(
      '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><item><guid>l1</guid>',
      '<title>Pedro S',
      [0xe1],
      'nchez meets Fran',
      [0xe7],
      'ois</title><description>Caf',
      [0xe9],
      ' talks</description></item></channel></rss>',
    );

    const feed = await parseFeed(input, { contentType: 'application/rss+xml; charset=utf-8' });

    expect(feed.items).toEqual([
      { key: 'l1', guid: 'l1', title: 'Pedro Sánchez meets François', body: 'Café talks' },
    ]);
  });

  it('decodes a UTF-16 LE feed with a BOM', async () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-16"?><rss version="2.0"><channel><item><guid>u1</guid>' +
      '<title>Zürich talks on a ceasefire</title></item></channel></rss>';
    const input = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);

    const feed = await parseFeed(input);

    expect(feed.items).toEqual([{ key: 'u1', guid: 'u1', title: 'Zürich talks on a ceasefire', body: '' }]);
  });

  it('decodes a windows-1252 feed with curly quotes and a euro sign', async () => {
    const input = bytes(
      '<?xml version="1.0" encoding="windows-1252"?><rss version="2.0"><channel><item><guid>w1</guid><title>',
      [0x93],
      'Seized',
      [0x94],
      ': ',
      [0x80],
      '5bn ',
      [0x96],
      ' it',
      [0x92],
      's official</title></item></channel></rss>',
    );

    const feed = await parseFeed(input);

    expect(feed.items[0]?.title).toBe('“Seized”: €5bn – it’s official');
  });
});

describe('parseFeed: item normalisation', () => {
  it('keys by guid, else canonical link, else a hash of title and date', async () => {
    const feed = await parseFeed(
      rss(
        '<item><guid>guid-1</guid><title>A</title><link>https://example.com/a</link></item>' +
          '<item><title>B</title><link>https://www.example.com/b/amp?utm_source=x#top</link></item>' +
          '<item><title>C</title><pubDate>Mon, 02 Jun 2025 10:00:00 GMT</pubDate></item>',
      ),
    );

    expect(feed.items.map((item) => item.key)).toEqual([
      'guid-1',
      'https://example.com/b',
      'hash:a315a2a0882837b69b45491926081672',
    ]);
    expect(feed.items[1]?.link).toBe('https://www.example.com/b/amp?utm_source=x#top');
  });

  it('gives the same hash key to the same title and date, whatever the body', async () => {
    const first = await parseFeed(rss('<item><title>Same</title><description>one</description></item>'));
    const edited = await parseFeed(rss('<item><title>Same</title><description>two</description></item>'));

    expect(first.items[0]?.key).toMatch(/^hash:[0-9a-f]{32}$/);
    expect(edited.items[0]?.key).toBe(first.items[0]?.key);
  });

  it('takes the richest body of content:encoded, description and summary, then any text the others add', async () => {
    const encoded = (text: string) =>
      `<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">${text}</content:encoded>`;
    const feed = await parseFeed(
      rss(
        `<item><guid>1</guid><title>A</title><description>Short.</description>${encoded('&lt;p&gt;Much longer text.&lt;/p&gt;')}</item>` +
          `<item><guid>2</guid><title>B</title><description>The fuller description wins here.</description>${encoded('Teaser')}</item>` +
          `<item><guid>3</guid><title>C</title><description>Much longer [&amp;#8230;]</description>${encoded('Much longer text.')}</item>` +
          `<item><guid>4</guid><title>D</title><description>Much longer text… Continue reading →</description>${encoded('Much longer text, and a good deal more of it.')}</item>` +
          `<item><guid>5</guid><title>E</title><description>Much longer text.</description>${encoded('Much longer text, and more.')}</item>`,
      ),
    );

    expect(feed.items.map((item) => item.body)).toEqual([
      'Much longer text.\n\nShort.',
      'The fuller description wins here.\n\nTeaser',
      'Much longer text.',
      'Much longer text, and a good deal more of it.',
      'Much longer text, and more.',
    ]);
  });

  it('reads unescaped HTML elements inside a description in document order', async () => {
    const feed = await parseFeed(
      rss(
        '<item><guid>1</guid><title>A</title><description><p>Hello <b>world</b> again</p><p>Next</p></description></item>',
      ),
    );

    expect(feed.items[0]?.body).toBe('Hello world again Next');
  });

  it('keeps only http(s) links, resolving relative ones against the feed link', async () => {
    const feed = await parseFeed(
      rss(
        '<item><guid>1</guid><title>Relative</title><link>../b/story?id=1</link></item>' +
          '<item><guid>2</guid><title>Script</title><link>javascript:alert(1)</link></item>' +
          '<item><guid>3</guid><title>Mail</title><link>mailto:desk@example.com</link></item>',
        '<link>https://example.com/a/index.html</link>',
      ),
    );

    expect(feed.items.map((item) => item.link)).toEqual([
      'https://example.com/b/story?id=1',
      undefined,
      undefined,
    ]);
    expect(feed.warnings).toEqual([
      'item 2 ("Script"): link "javascript:alert(1)" is not an absolute http(s) address; dropped',
      'item 3 ("Mail"): link "mailto:desk@example.com" is not an absolute http(s) address; dropped',
    ]);
  });

  it('drops a relative link when the feed has no link to resolve it against', async () => {
    const feed = await parseFeed(rss('<item><guid>1</guid><title>A</title><link>/story</link></item>'));

    expect(feed.items[0]?.link).toBeUndefined();
    expect(feed.warnings).toEqual([
      'item 1 ("A"): link "/story" is not an absolute http(s) address; dropped',
    ]);
  });

  it('uses a permalink guid as the link, but not one marked isPermaLink="false"', async () => {
    const feed = await parseFeed(
      rss(
        '<item><title>A</title><guid>https://example.com/a</guid></item>' +
          '<item><title>B</title><guid isPermaLink="false">https://example.com/b</guid></item>',
      ),
    );

    expect(feed.items.map((item) => item.link)).toEqual(['https://example.com/a', undefined]);
  });

  it('skips an item with no title, text or link, with a warning', async () => {
    const feed = await parseFeed(rss('<item/><item><guid>x</guid></item><item><title>Kept</title></item>'));

    expect(feed.items.map((item) => item.title)).toEqual(['Kept']);
    expect(feed.warnings).toEqual([
      'item 1: has no title, text or link; skipped',
      'item 2: has no title, text or link; skipped',
    ]);
  });

  it('leaves a date more than a day in the future empty, with a warning', async () => {
    const feed = await parseFeed(
      rss(
        '<item><guid>1</guid><title>Soon</title><pubDate>Wed, 04 Jun 2025 20:00:00 GMT</pubDate></item>' +
          '<item><guid>2</guid><title>Later</title><pubDate>Sat, 07 Jun 2025 00:00:00 GMT</pubDate></item>',
      ),
      { now: NOW },
    );

    expect(feed.items.map((item) => item.published)).toEqual(['2025-06-04T20:00:00.000Z', undefined]);
    expect(feed.warnings).toEqual([
      'item 2 ("Later"): date 2025-06-07T00:00:00.000Z is in the future; published left empty',
    ]);
  });

  it('truncates very long titles and bodies, saying so in the warnings', async () => {
    const feed = await parseFeed(
      rss(
        `<item><guid>1</guid><title>${'word '.repeat(400)}</title><description>${'body '.repeat(30_000)}</description></item>`,
      ),
    );

    const [item] = feed.items;
    expect(item?.title).toBe(`${'word '.repeat(199)}word…`);
    expect(item?.body).toBe(`${'body '.repeat(19_999)}body…`);
    expect(feed.warnings).toEqual([
      `item 1 ("${'word '.repeat(11)}word…"): title of 1,999 characters truncated to 1,000`,
      `item 1 ("${'word '.repeat(11)}word…"): body of 149,999 characters truncated to 100,000`,
    ]);
  });

  it('processes a 20,000-item feed whole: no item cap', async () => {
    const items = Array.from(
      { length: 20_000 },
      (_, index) =>
        `<item><title>Story ${index}</title><guid>id-${index}</guid><description>Short text ${index} about the harbour and the weather.</description></item>`,
    ).join('');
    const input = rss(items);
    expect(input.byteLength).toBeGreaterThan(2_500_000);

    const feed = await parseFeed(input);

    expect(feed.items).toHaveLength(20_000);
    expect(feed.items[19_999]).toEqual({
      key: 'id-19999',
      guid: 'id-19999',
      title: 'Story 19999',
      body: 'Short text 19999 about the harbour and the weather.',
    });
    expect(feed.warnings).toEqual([]);
    // A generous timeout, not a timing assertion: the machine is shared.
  }, 60_000);
});
