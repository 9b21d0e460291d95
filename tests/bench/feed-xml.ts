import type { CorpusItem } from './corpus.ts';

/** Text as XML element content: "&", "<" and ">" escaped. */
export const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Wraps sentences in the markup publishers put in feed bodies: paragraphs, links, emphasis, entities. */
function htmlBody(body: string, index: number): string {
  const sentences = body.split(/(?<=\.) /);
  const paragraphs: string[] = [];
  for (let i = 0; i < sentences.length; i += 3) {
    const text = sentences.slice(i, i + 3).join(' ');
    const marked =
      i === 0
        ? `<b>${text}</b>`
        : text.replace(/ (\S+) /, ' <a href="https://news.example.org/topic/$1">$1</a> ');
    paragraphs.push(`<p>${marked}&nbsp;&#8212;&nbsp;</p>`);
  }
  paragraphs.push(`<p><img src="https://news.example.org/img/${index}.jpg" alt=""/></p>`);
  return paragraphs.join('\n');
}

export interface FeedOptions {
  title: string;
  /** Links and guids are unique per feed. */
  feedId: string;
  /** Newest first, as publishers list them. */
  published: Date;
}

/** An RSS 2.0 document with HTML bodies in CDATA, as most news sites publish. */
export function rssFeed(items: readonly CorpusItem[], options: FeedOptions): string {
  const entries = items.map((item, index) => {
    const date = new Date(options.published.getTime() - index * 600_000).toUTCString();
    const id = `${options.feedId}-${index}`;
    return [
      '<item>',
      `<title>${escapeXml(item.title)}</title>`,
      `<link>https://news.example.org/${options.feedId}/story-${index}</link>`,
      `<guid isPermaLink="false">${id}</guid>`,
      `<pubDate>${date}</pubDate>`,
      `<description><![CDATA[${htmlBody(item.body, index)}]]></description>`,
      '</item>',
    ].join('');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0"><channel>',
    `<title>${escapeXml(options.title)}</title><link>https://news.example.org/</link><description>Bench feed</description>`,
    ...entries,
    '</channel></rss>',
  ].join('\n');
}
