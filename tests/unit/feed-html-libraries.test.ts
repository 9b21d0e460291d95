import { describe, expect, it } from 'vitest';
import { HtmlLibrariesNotLoaded, htmlLibraries } from '#core/feed/html-libraries.ts';
import { parseFeed } from '#core/feed/index.ts';

const NOW = new Date('2025-06-04T00:00:00Z');

function rss(items: string): Buffer {
  return Buffer.from(
    `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>${items}</channel></rss>`,
  );
}

function item(guid: string, html: string, date = 'Tue, 03 Jun 2025 10:00:00 GMT'): string {
  return `<item><guid>${guid}</guid><title>${guid}</title><pubDate>${date}</pubDate><content:encoded><![CDATA[${html}]]></content:encoded></item>`;
}

// Each test file runs in a module graph of its own, so these tests see a fresh process's state.
describe('parseFeed loads htmlparser2 and entities only for the first fragment that needs them', () => {
  it('reads markup as CMSs write it, with common references, without them', async () => {
    const feed = await parseFeed(
      rss(item('a', '<p>Talks &amp; <a href="/x">more</a>&nbsp;&#8212; on.</p>')),
      {
        now: NOW,
      },
    );

    expect(feed.items.map((entry) => entry.body)).toEqual(['Talks & more — on.']);
    expect(() => htmlLibraries()).toThrow(HtmlLibrariesNotLoaded);
  });

  it('loads them at the first reference entities must decode, and reads the feed again from its first item', async () => {
    const feed = await parseFeed(
      rss(item('b', '<p>first</p>', 'not a date') + item('c', '<p>I &hearts; &frac12; of it</p>')),
      { now: NOW },
    );

    expect(feed.items.map((entry) => entry.body)).toEqual(['first', 'I ♥ ½ of it']);
    expect(feed.warnings).toEqual(['item 1 ("b"): unreadable date "not a date"; published left empty']);
    expect(htmlLibraries().decodeHTML('&hearts;')).toBe('♥');
  });

  it('then reads markup of any shape with htmlparser2, loaded once', async () => {
    const feed = await parseFeed(rss(item('d', '<p class=lead>unquoted <b>attributes</b>')), { now: NOW });

    expect(feed.items.map((entry) => entry.body)).toEqual(['unquoted attributes']);
  });
});
