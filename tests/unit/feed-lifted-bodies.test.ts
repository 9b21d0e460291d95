import { describe, expect, it } from 'vitest';
import { parseFeed } from '#core/feed/index.ts';

function rss(items: string): Buffer {
  return Buffer.from(
    `<?xml version="1.0"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title>\n${items}\n</channel></rss>`,
  );
}

const bodies = async (feed: Buffer) => (await parseFeed(feed)).items.map((item) => item.body);

/** HTML bodies are read apart from the feed's structure; what is read must not change by it. */
describe('parseFeed: HTML bodies read apart from the XML', () => {
  it('reads a CDATA body with spacing around it, followed by more text and CDATA, whole and in order', async () => {
    const feed = rss(
      '<item><guid>1</guid><title>A</title><content:encoded>\n  <![CDATA[<p>First <b>part</b></p>]]> and <![CDATA[<p>second</p>]]>\n</content:encoded></item>',
    );

    expect(await bodies(feed)).toEqual(['First part and second']);
  });

  it('reads a CDATA body that holds its own closing tag whole, as the XML parser does', async () => {
    const feed = rss(
      '<item><guid>1</guid><title>A</title><description><![CDATA[<p>Before</p></description><p>after</p>]]></description></item>',
    );

    expect(await bodies(feed)).toEqual(['Before after']);
  });

  it('reports the line and column of the whole feed when a feed with long bodies is broken after them', async () => {
    const body = `<![CDATA[${'<p>A paragraph of the story.</p>\n'.repeat(50)}]]>`;
    const feed = rss(
      `<item><guid>1</guid><title>A</title><content:encoded>${body}</content:encoded></item>\n<item><title>B</i></item>`,
    );

    await expect(parseFeed(feed)).rejects.toMatchObject({
      kind: 'malformed',
      message: 'malformed XML at line 54, column 18: unexpected close tag',
    });
  });

  it('reads a feed whose text holds the private-use characters it marks bodies with, as written', async () => {
    const feed = rss(
      '<item><guid>1</guid><title>A \uE0000\uE001</title><description><![CDATA[<p>x y</p>]]></description></item>',
    );

    const parsed = await parseFeed(feed);

    expect(parsed.items.map(({ title, body }) => ({ title, body }))).toEqual([
      { title: 'A \uE0000\uE001', body: 'x y' },
    ]);
  });

  it('reads a content:encoded element written inside a description CDATA as text of the description', async () => {
    const feed = rss(
      '<item><guid>1</guid><title>A</title><description><![CDATA[<p>Intro <content:encoded>inner</content:encoded></p>]]></description></item>',
    );

    expect(await bodies(feed)).toEqual(['Intro inner']);
  });

  it('reads unescaped markup in a description and CDATA in content:encoded of the same item', async () => {
    const feed = rss(
      '<item><guid>1</guid><title>A</title><description><p>Short <i>teaser</i>.</p></description><content:encoded><![CDATA[<p>The whole story, with more.</p><script>var a = "<p>";</script>]]></content:encoded></item>',
    );

    expect(await bodies(feed)).toEqual(['The whole story, with more.\n\nShort teaser.']);
  });
});
