import { explainHits, mergedLines, singleLine } from '#core/alerts/format.ts';
import type { Hit, HitsLeftOut, ItemFailure, MergedItem } from '#core/model.ts';
import { MAX_ITEM_ATTEMPTS } from '#core/pipeline/poll-feed.ts';

/** What the CLI shows of one match, whether it comes from `scan`, `watch test`, `run` or `matches`. */
export interface MatchView {
  watchId: string;
  watchName?: string;
  itemKey: string;
  title: string;
  link?: string;
  published?: string;
  feed: string;
  matched: string[];
  hits: Hit[];
  hitsLeftOut?: HitsLeftOut[];
  snippet: string;
  highlight: string;
  matchedAt?: string;
  alsoIn?: MergedItem[];
  alsoInMore?: number;
  /** Stored matches only (`feedwatch matches`): where delivery stands, and why it failed. */
  alertState?: string;
  failure?: string;
}

/** Human-readable, a few lines per match, readable at a glance in a terminal. */
export function renderMatch(view: MatchView): string {
  const label = view.watchName ? `${view.watchName} (${view.watchId})` : view.watchId;
  const lines = [
    `[${label}] ${view.title}`,
    `  ${view.link ?? '(no link)'}`,
    `  why: ${explainHits(view).join('; ')}`,
    `  ${view.highlight}`,
    `  feed: ${view.feed}${view.published ? ` · published ${view.published}` : ''}`,
  ];
  for (const merged of mergedLines(view)) lines.push(`  also in: ${merged}`);
  if (view.alertState === 'FAILED')
    lines.push(`  not alerted, refused for good: ${view.failure ?? 'no reason given'}`);
  return lines.join('\n');
}

/** The item and what matched in it, in the order both JSON lines give them. */
function itemAndHits(view: MatchView) {
  return {
    itemKey: view.itemKey,
    title: view.title,
    link: view.link,
    published: view.published,
    feed: view.feed,
    matched: view.matched,
    hits: view.hits,
  };
}

/** One JSON object per line: the stable machine contract of `scan --json`, `watch test --json` and `matches --json`. */
export function matchJson(view: MatchView): string {
  return JSON.stringify({
    watchId: view.watchId,
    watchName: view.watchName,
    ...itemAndHits(view),
    hitsLeftOut: view.hitsLeftOut,
    snippet: view.snippet,
    highlight: view.highlight,
    matchedAt: view.matchedAt,
    alsoIn: view.alsoIn,
    alsoInMore: view.alsoInMore,
    alertState: view.alertState,
    failure: view.failure,
  });
}

/** One line for an item whose matches could not be stored: which, what happens next, and why. */
export function itemFailureLine(failure: ItemFailure): string {
  const next =
    failure.status === 'failed'
      ? `failed ${failure.attempts} times, not tried again`
      : `attempt ${failure.attempts} of ${MAX_ITEM_ATTEMPTS}, tried again at the next poll`;
  return `item "${singleLine(failure.title || failure.itemKey, 80)}" not stored (${next}): ${failure.reason}`;
}

/** A plain aligned table; the last column is never padded, so long queries and errors don't push lines wider. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/**
 * An item that matched every required part of the query but `missing`: what the watch fails
 * to catch. Its why is the variant's (the parts it has).
 */
export function renderNearMiss(view: MatchView, missing: readonly string[]): string {
  const lines = [
    `[near miss, missing ${missing.join(' or ')}] ${view.title}`,
    `  ${view.link ?? '(no link)'}`,
    `  has: ${explainHits(view).join('; ')}`,
    `  feed: ${view.feed}${view.published ? ` · published ${view.published}` : ''}`,
  ];
  return lines.join('\n');
}

/** A near miss as one JSON line: the match fields (of the parts it has) and `nearMiss.missing`. */
export function nearMissJson(view: MatchView, missing: readonly string[]): string {
  return JSON.stringify({
    nearMiss: { missing },
    watchId: view.watchId,
    ...itemAndHits(view),
  });
}
