import type { ParsedFeed } from '#core/model.ts';
import { decodeFeedBytes } from './decode.ts';
import { HtmlLibrariesNotLoaded, loadHtmlLibraries } from './html-libraries.ts';
import { assertSize, DEFAULT_MAX_BYTES, ParseBudget } from './limits.ts';
import { scanMarkup } from './markup-scan.ts';
import { normaliseFeed } from './normalise.ts';
import { readRepairedFeed } from './read-feed.ts';

export { canonicalLink } from './canonical-link.ts';
export { itemChunkHashes } from './item-chunks.ts';
export { ParseBudget } from './limits.ts';

export interface ParseOptions {
  /** The Content-Type header, for its charset; the bytes' own BOM or XML declaration win over it. */
  contentType?: string;
  /** @default 10 MB */
  maxBytes?: number;
  /** Dates more than a day after this are treated as publisher errors. @default the current time */
  now?: Date;
  /** The time the parse may take, started when parseFeed is called. @default a new ParseBudget of PARSE_BUDGET_MS */
  budget?: ParseBudget;
}

/**
 * Feed bytes to normalised items. Throws FeedParseError with a one-line message when nothing
 * can be read; problems that cost part of the feed are reported in `warnings`.
 */
export async function parseFeed(bytes: Uint8Array, options: ParseOptions = {}): Promise<ParsedFeed> {
  const budget = options.budget ?? new ParseBudget();
  assertSize(bytes.byteLength, options.maxBytes ?? DEFAULT_MAX_BYTES);
  // Leading whitespace before "<?xml" is a common publisher slip that strict XML parsers reject.
  const text = decodeFeedBytes(bytes, options.contentType).trimStart();
  const scanned = scanMarkup(text);
  budget.check();
  const raw = await readRepairedFeed(scanned.text, scanned.root);
  budget.check();
  const now = options.now ?? new Date();
  const normalise = () => normaliseFeed(raw, scanned.root, now, [...scanned.warnings], budget);
  try {
    return normalise();
  } catch (error) {
    // The first fragment of a process that htmlparser2 or entities must read: loaded, the feed
    // is normalised again from its first item (the raw feed is not changed by normalising).
    if (!(error instanceof HtmlLibrariesNotLoaded)) throw error;
    await loadHtmlLibraries();
    return normalise();
  }
}
