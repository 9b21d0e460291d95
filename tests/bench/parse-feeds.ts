import { type Random, seededRandom } from '../helpers/prng.ts';
import { buildVocabulary, type CorpusItem, generateCorpus } from './corpus.ts';
import { escapeXml } from './feed-xml.ts';

/**
 * The two feed shapes a poll reads, generated from fixed seeds: a full-content feed whose
 * items carry the whole article as HTML (paragraphs with links and entities, figures, an embed
 * script), and a headline-and-standfirst feed with plain text.
 */
export const PARSE_FEEDS = {
  html: { items: 400, wordsPerItem: 520, seed: 11 },
  plain: { items: 400, wordsPerItem: 45, seed: 13 },
} as const;

export type FeedKind = keyof typeof PARSE_FEEDS;

/** The dates the generated items carry end here; parse with this as `now`. */
export const FEED_NOW = new Date('2025-06-04T12:00:00Z');

const ENTITIES = ['&nbsp;', '&#8212;', '&rsquo;', '&amp;', '&eacute;', '&#x2019;', '&hellip;'];

/** An article as a CMS writes it into content:encoded. */
function articleHtml(body: string, index: number, random: Random): string {
  const sentences = body.split(/(?<=\.) /);
  const parts: string[] = [];
  for (let i = 0; i < sentences.length; i += 3) {
    let text = escapeXml(sentences.slice(i, i + 3).join(' '));
    text = text.replace(
      / (\w+) (\w+) /,
      (_, first: string, second: string) =>
        ` <a href="https://news.example.org/topic/${first.toLowerCase()}?utm_source=rss&amp;utm_medium=feed">${first} ${second}</a> `,
    );
    text = text.replace(/ (\w+)\. /, ` <em>$1</em>${random.pick(ENTITIES)} `);
    parts.push(i === 0 ? `<p><strong>${text}</strong></p>` : `<p>${text}</p>`);
    if (i === 6) {
      parts.push(
        `<figure class="wp-block-image size-large"><img src="https://cdn.example.org/img/${index}-${i}.jpg" alt="Scene ${index}" width="1024" height="683" loading="lazy"/><figcaption>Photograph: Agency &amp; Partners ${random.pick(ENTITIES)} ${index}</figcaption></figure>`,
      );
    }
    if (i === 12) {
      parts.push(
        `<blockquote class="twitter-tweet"><p lang="en" dir="ltr">${escapeXml(sentences[i] ?? '')}</p>&mdash; Reporter (@reporter) <a href="https://twitter.com/reporter/status/${1e15 + index}">June 4, 2025</a></blockquote>`,
        `<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>`,
        `<script>window.dataLayer = window.dataLayer || []; dataLayer.push({"article": ${index}, "section": "world", "tags": ["a < b", "c & d"]});</script>`,
      );
    }
  }
  parts.push(
    `<p>The post <a href="https://news.example.org/story-${index}">${index}</a> appeared first on <a href="https://news.example.org">Example News</a>.</p>`,
  );
  return parts.join('\n');
}

function standfirst(body: string): string {
  return body
    .split(/(?<=\.) /)
    .slice(0, 2)
    .join(' ');
}

function items(kind: FeedKind): CorpusItem[] {
  const { items: count, wordsPerItem, seed } = PARSE_FEEDS[kind];
  return generateCorpus(count, wordsPerItem, buildVocabulary(seed, 5_000), seed);
}

/** The feed's RSS 2.0 text. */
export function parseFeedText(kind: FeedKind): string {
  const random = seededRandom(PARSE_FEEDS[kind].seed);
  const entries = items(kind).map((item, index) => {
    const date = new Date(FEED_NOW.getTime() - index * 600_000).toUTCString();
    const fields = [
      '<item>',
      `<title>${escapeXml(item.title)}</title>`,
      `<link>https://news.example.org/${kind}/story-${index}?utm_source=rss</link>`,
      `<guid isPermaLink="false">https://news.example.org/?p=${100_000 + index}</guid>`,
      `<pubDate>${date}</pubDate>`,
      '<dc:creator><![CDATA[Staff Reporter]]></dc:creator>',
      '<category><![CDATA[World]]></category>',
      `<description>${escapeXml(kind === 'html' ? standfirst(item.body) : item.body)}</description>`,
    ];
    if (kind === 'html') {
      fields.push(`<content:encoded><![CDATA[${articleHtml(item.body, index, random)}]]></content:encoded>`);
    }
    fields.push('</item>');
    return fields.join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '<channel>',
    `<title>Example News: ${kind}</title><link>https://news.example.org/</link><description>Bench feed</description>`,
    ...entries,
    '</channel></rss>',
  ].join('\n');
}
