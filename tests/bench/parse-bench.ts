import { parseFeed } from '#core/feed/index.ts';
import { buildVocabulary, generateCorpus } from './corpus.ts';
import { rssFeed } from './feed-xml.ts';
import { MB, perSecond, timeRuns } from './stats.ts';

export const PARSE_FEED = { items: 200, wordsPerItem: 250, seed: 7 } as const;

export interface ParseReport {
  items: number;
  kilobytes: number;
  ms: number;
  itemsPerSecond: number;
  mbPerSecond: number;
}

/** parseFeed (decode, hostile-markup scan, rss-parser, HTML to text, normalise) on one 200-item feed. */
export async function runParseBench(log: (line: string) => void): Promise<ParseReport> {
  const vocabulary = buildVocabulary(PARSE_FEED.seed);
  const items = generateCorpus(PARSE_FEED.items, PARSE_FEED.wordsPerItem, vocabulary, PARSE_FEED.seed);
  const now = new Date('2025-06-04T12:00:00Z');
  const bytes = Buffer.from(rssFeed(items, { title: 'Bench Gazette', feedId: 'bench', published: now }));
  log(`parsing: ${PARSE_FEED.items}-item RSS feed, ${(bytes.byteLength / 1024).toFixed(0)} KB`);
  let parsedItems = 0;
  const timing = await timeRuns(
    async () => {
      parsedItems = (await parseFeed(bytes, { now })).items.length;
    },
    { warmups: 3, runs: 9 },
  );
  if (parsedItems !== PARSE_FEED.items) {
    throw new Error(`parseFeed read ${parsedItems} of the ${PARSE_FEED.items} generated items`);
  }
  return {
    items: parsedItems,
    kilobytes: bytes.byteLength / 1024,
    ms: timing.medianMs,
    itemsPerSecond: perSecond(parsedItems, timing.medianMs),
    mbPerSecond: perSecond(bytes.byteLength / MB, timing.medianMs),
  };
}
