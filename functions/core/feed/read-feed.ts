import type Parser from 'rss-parser';
import { FeedParseError } from '#core/errors.ts';
import { loadHtmlLibraries } from './html-libraries.ts';
import type { FeedRoot } from './markup-scan.ts';
import { htmlEntitiesToNumeric, repairFeedMarkup, repairLiftingBodies, restoreBodies } from './repair.ts';

/** An xml2js node as rss-parser hands it over: text, or an object with text `_` and attributes `$`. */
export type XmlNode = string | { _?: unknown; $?: Record<string, string>; [child: string]: unknown };

/**
 * What rss-parser hands back for the fields we ask it to copy raw (so normalisation sees
 * attributes such as type, href, rel). Values are `unknown` on purpose: rss-parser does not
 * check that what it copies is an element, so normalisation has to.
 */
export interface RawItem {
  fwTitle?: unknown;
  fwDcTitle?: unknown;
  fwLink?: unknown;
  fwGuid?: unknown;
  fwId?: unknown;
  fwDescription?: unknown;
  fwEncoded?: unknown;
  fwContent?: unknown;
  fwSummary?: unknown;
  fwPubDate?: unknown;
  fwDcDate?: unknown;
  fwPublished?: unknown;
  fwUpdated?: unknown;
  'rdf:about'?: unknown;
}

export interface RawFeed {
  fwTitle?: unknown;
  fwLink?: unknown;
  items: RawItem[];
}

const RENAMED_PUBLISHED = 'fw-published';
const RENAMED_UPDATED = 'fw-updated';

const ITEM_FIELDS: [string, keyof RawItem][] = [
  ['title', 'fwTitle'],
  ['dc:title', 'fwDcTitle'],
  ['link', 'fwLink'],
  ['guid', 'fwGuid'],
  ['id', 'fwId'],
  ['description', 'fwDescription'],
  ['content:encoded', 'fwEncoded'],
  ['content', 'fwContent'],
  ['summary', 'fwSummary'],
  ['pubDate', 'fwPubDate'],
  ['dc:date', 'fwDcDate'],
  [RENAMED_PUBLISHED, 'fwPublished'],
  [RENAMED_UPDATED, 'fwUpdated'],
];

/**
 * rss-parser converts Atom <published>/<updated> with `new Date(...).toISOString()` unguarded,
 * so one unreadable date rejects the whole feed. Renamed on the way in, they reach us as raw
 * text instead, and a bad date costs only that date.
 */
function renameAtomDates(name: string): string {
  if (name === 'published') return RENAMED_PUBLISHED;
  if (name === 'updated') return RENAMED_UPDATED;
  return name;
}

/**
 * Repairs the scanned feed text and runs rss-parser over it, with the HTML bodies lifted out of
 * the text it reads where that can be done (see repairLiftingBodies) and put back after. A feed
 * that fails so is read again whole: its marks move the lines and columns sax reports.
 */
export async function readRepairedFeed(text: string, root: FeedRoot): Promise<RawFeed> {
  const lifted = repairLiftingBodies(text, root);
  if (lifted?.bodies.length === 0) return readFeed(lifted.text);
  if (lifted) {
    const raw = await readFeed(lifted.text).catch(() => undefined);
    if (raw) return withBodiesRestored(raw, lifted.bodies);
  }
  return readFeed(repairFeedMarkup(text, root));
}

/** The fields of the elements bodies are lifted from (repair.ts): RSS description and content:encoded, Atom title, summary and content. */
const LIFTED_FIELDS: (keyof RawItem)[] = ['fwDescription', 'fwEncoded', 'fwTitle', 'fwSummary', 'fwContent'];

/** The raw feed with the lifted bodies back in the fields they were lifted from. */
function withBodiesRestored(raw: RawFeed, bodies: readonly string[]): RawFeed {
  restoreNodes(raw.fwTitle, bodies);
  if (Array.isArray(raw.items)) {
    for (const item of raw.items) for (const field of LIFTED_FIELDS) restoreNodes(item[field], bodies);
  }
  return raw;
}

function restoreNodes(nodes: unknown, bodies: readonly string[]): void {
  if (!Array.isArray(nodes)) return;
  nodes.forEach((node: unknown, index) => {
    if (typeof node === 'string') nodes[index] = restoreBodies(node, bodies);
    else if (typeof node === 'object' && node !== null && '_' in node && typeof node._ === 'string') {
      node._ = restoreBodies(node._, bodies);
    }
  });
}

/** Runs rss-parser over repaired feed text; every failure becomes a one-line FeedParseError. */
export async function readFeed(text: string): Promise<RawFeed> {
  try {
    return await parseOnce(text);
  } catch (error) {
    if (saxReason(error) === 'Invalid character entity') {
      await loadHtmlLibraries();
      const rewritten = htmlEntitiesToNumeric(text);
      if (rewritten !== text) return await parseOnce(rewritten).catch((retryError) => rethrow(retryError));
    }
    return rethrow(error);
  }
}

/**
 * rss-parser (with xml2js, sax and xmlbuilder) is loaded on the first feed that needs parsing, with the
 * HTML libraries (`#core/feed/feed-reader.ts`, a file of its own in the deployed poller): a
 * poller whose feeds all answer 304 never pays for it at cold start.
 */
let parserClass: Promise<typeof Parser> | undefined;
const loadParser = () => {
  parserClass ??= import('#core/feed/feed-reader.ts').then((reader) => reader.RssParser);
  return parserClass;
};

async function parseOnce(text: string): Promise<RawFeed> {
  const RssParser = await loadParser();
  // A fresh Parser each time: xml2js keeps error state on the instance, so a reused one
  // can swallow the next feed's errors.
  const parser = new RssParser({
    // RSS without a version attribute (or with "3.0") is still read as RSS 2.0.
    defaultRSS: 2,
    xml2js: { tagNameProcessors: [renameAtomDates] },
    customFields: {
      feed: [
        ['title', 'fwTitle', { keepArray: true }],
        ['link', 'fwLink', { keepArray: true }],
      ] as never,
      item: ITEM_FIELDS.map(([from, to]) => [from, to, { keepArray: true }]),
    },
  });
  return parser.parseString(text) as Promise<RawFeed>;
}

function rethrow(error: unknown): never {
  if (error instanceof FeedParseError) throw error;
  const reason = saxReason(error);
  if (reason !== undefined) throw new FeedParseError('malformed', malformedMessage(reason, error));
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    throw new FeedParseError('too_deep', 'feed nests elements too deeply to read');
  }
  // rss-parser's own TypeErrors ("Cannot read properties of undefined") mean a feed shape it
  // does not guard against; their text would mean nothing to a user.
  throw new FeedParseError(
    'malformed',
    'feed structure not understood (an RSS or Atom element is missing or misplaced)',
  );
}

/** sax reports "Reason\nLine: n\nColumn: n\nChar: c"; the first line is the reason. */
function saxReason(error: unknown): string | undefined {
  if (!(error instanceof Error) || !/\nLine: \d+\nColumn: \d+/.test(error.message)) return undefined;
  return error.message.split('\n')[0]?.replace(/\.$/, '');
}

function malformedMessage(reason: string, error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const line = /\nLine: (\d+)/.exec(message)?.[1];
  const column = /\nColumn: (\d+)/.exec(message)?.[1];
  // sax counts lines from 0; editors count from 1.
  const where = line === undefined ? '' : ` at line ${Number(line) + 1}, column ${column}`;
  const explained = /^Unclosed root tag/.test(reason)
    ? 'the feed ends before its root element is closed (truncated?)'
    : `${reason.charAt(0).toLowerCase()}${reason.slice(1, 120)}`;
  return `malformed XML${where}: ${explained}`;
}
