import type { ColdStartReport } from './cold-start-bench.ts';
import { type CostScenario, costVerdicts, eventsPerHour } from './cost-model.ts';
import type { E2eReport } from './e2e-bench.ts';
import type { MatchReport } from './match-bench.ts';
import { invocationSeconds, type OverlapReport } from './overlap-bench.ts';
import type { PageSummary, PagesReport } from './pages-bench.ts';
import type { ParseReport } from './parse-bench.ts';

export interface BenchReport {
  node: string;
  cpus: number;
  match?: MatchReport;
  parse?: ParseReport;
  pages?: PagesReport;
  coldStart?: ColdStartReport;
  e2e?: E2eReport;
  overlap?: OverlapReport;
  cost?: CostScenario[];
}

function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ');
  return [
    line(headers),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...cells.slice(1).map(line),
  ].join('\n');
}

const fixed = (value: number, digits = 1): string => value.toFixed(digits);
const int = (value: number): string => Math.round(value).toLocaleString('en-US');
/** A recent-items row's size with 1, 2 and 4 items, in KB. */
const rowKb = (bytes: readonly number[]): string =>
  [1, 2, 4].map((items) => ((bytes[items] ?? 0) / 1024).toFixed(2)).join(', ');
const pct = (share: number): string => `${Math.round(share * 100)}%`;
const verdict = (pass: boolean): string => (pass ? 'PASS' : 'FAIL');

export function renderReport(report: BenchReport): string {
  const out: string[] = [`Feedwatch bench: node ${report.node}, ${report.cpus} CPUs`];
  const { match, parse, pages, coldStart, e2e, overlap, cost } = report;
  if (match) {
    out.push(
      '',
      `1. Matching: ${match.corpus.items} items x ${match.corpus.wordsPerItem} words (${fixed(match.corpus.megabytes, 2)} MB)`,
      table(
        [
          'watches',
          'compile ms',
          'first compile ms',
          'match ms',
          'floor ms',
          'x floor',
          'items/s',
          'MB/s',
          'matches/item',
          'explain µs/match',
        ],
        [
          ...match.rows.map((row) => [
            int(row.watches),
            fixed(row.compileMs),
            fixed(row.firstCompileMs),
            fixed(row.matchMs),
            fixed(row.floorMs),
            fixed(row.floorRatio, 2),
            int(row.itemsPerSecond),
            fixed(row.mbPerSecond, 2),
            fixed(row.matchesPerItem, 2),
            fixed(row.explainMicros),
          ]),
          [
            `naive RegExp ${int(match.naive.watches)}`,
            '-',
            '-',
            '-',
            '-',
            '-',
            int(match.naive.itemsPerSecond),
            fixed(match.naive.mbPerSecond, 2),
            '-',
            '-',
          ],
        ],
      ),
      `Items at the body limit: ${match.longItems.items} items of ${int(match.longItems.characters)} characters`,
      table(
        ['watches', 'match ms/item', 'matches/item', 'explain µs/match'],
        match.rows.map((row) => [
          int(row.watches),
          fixed(row.longItems.matchMs, 2),
          fixed(row.longItems.matchesPerItem),
          fixed(row.longItems.explainMicros),
        ]),
      ),
      `Match and explain, separately: ${int(match.explain.watches)} watches (${int(match.explain.topicWatches)} on topics), every match explained as a scan does`,
      table(
        [
          'matches/item',
          'floor ms',
          'match ms',
          'match+explain ms',
          'match x floor',
          'match+explain x floor',
          'explain x floor',
          'explain µs/match',
        ],
        [
          [
            fixed(match.explain.matchesPerItem, 2),
            fixed(match.explain.floorMs),
            fixed(match.explain.matchMs),
            fixed(match.explain.matchAndExplainMs),
            fixed(match.explain.matchRatio, 2),
            fixed(match.explain.matchAndExplainRatio, 2),
            fixed(match.explain.explainRatio, 2),
            fixed(match.explain.explainMicros),
          ],
        ],
      ),
      table(
        ['target', 'measured', ''],
        match.targets.map((t) => [t.name, t.measured, verdict(t.pass)]),
      ),
    );
  }
  if (parse) {
    const feedNames = { html: 'HTML-heavy', plain: 'plain' };
    out.push(
      '',
      `2. Reading feeds: parseFeed against rss-parser's parseString alone (${parse.feeds
        .map((feed) => `${feedNames[feed.kind]}: ${feed.items} items, ${fixed(feed.kilobytes / 1024, 2)} MB`)
        .join('; ')})`,
      table(
        ['feed', 'warm/cold', 'Feedwatch ms', 'rss-parser ms', 'x rss-parser (min-max)'],
        parse.rows.map((row) => [
          feedNames[row.feed],
          row.mode,
          fixed(row.feedwatchMs),
          fixed(row.rssParserMs),
          `${fixed(row.ratio.median, 2)} (${fixed(row.ratio.min, 2)}-${fixed(row.ratio.max, 2)})`,
        ]),
      ),
      table(
        ['target', 'measured', ''],
        parse.targets.map((t) => [t.name, t.measured, verdict(t.pass)]),
      ),
      "a rebuilt body's items checked instead of parsed (itemChunkHashes, warm)",
      table(
        ['feed', 'ms', 'items/s', 'x faster than the parse'],
        parse.chunkChecks.map((row) => [
          feedNames[row.feed],
          fixed(row.ms, 2),
          int(row.itemsPerSecond),
          fixed(row.timesFaster, 0),
        ]),
      ),
    );
  }
  if (pages) {
    const summary = (name: string, s: PageSummary) => [
      name,
      s.pages,
      fixed(s.medianMs),
      fixed(s.meanMs),
      fixed(s.p90Ms),
    ];
    out.push(
      '',
      `3. Reading article pages: extractArticle on ${pages.rows.length} real news pages, CPU ms of one read warm, median of ${pages.rounds} rounds`,
      table(
        ['page', 'set', 'KB', 'words', 'median ms', 'min-max ms'],
        pages.rows.map((row) => [
          row.name,
          row.heldOut ? 'held out' : 'tuning',
          int(row.kilobytes),
          int(row.words),
          fixed(row.medianMs),
          `${fixed(row.minMs)}-${fixed(row.maxMs)}`,
        ]),
      ),
      table(
        ['pages', 'count', 'median ms', 'mean ms', 'p90 ms'],
        [summary('all', pages.all), summary('tuning', pages.tuning), summary('held out', pages.heldOut)],
      ),
    );
  }
  if (coldStart) {
    out.push(
      '',
      `4. Cold start: esbuild ${coldStart.esbuild.options}`,
      ...coldStart.esbuild.chunks.map((line) => `   ${line}`),
      table(
        ['handler', 'file', 'AWS SDK', 'bytes', 'gzip', 'load ms', 'no-map ms', 'largest packages'],
        coldStart.rows.map((row) => [
          row.handler,
          row.file,
          row.sdk,
          int(row.bytes),
          int(row.gzipBytes),
          fixed(row.loadMs, 0),
          row.loadMsWithoutSourceMaps === undefined ? '-' : fixed(row.loadMsWithoutSourceMaps, 0),
          row.topPackages.map((p) => `${p.name} ${fixed(p.share * 100, 0)}%`).join(', '),
        ]),
      ),
      table(
        ['target', 'measured', ''],
        coldStart.targets.map((t) => [t.name, t.measured, verdict(t.pass)]),
      ),
    );
  }
  if (e2e) {
    const s = e2e.setup;
    out.push(
      '',
      `5. End to end: ${s.feeds} feeds on ${s.hosts} local servers (${s.latencyMs} ms latency, ${fixed(s.feedKilobytes)} KB, ${s.itemsPerFeed} items each), ${s.watches} watches, DynamoDB Local; peak RSS ${fixed(e2e.peakRssMb, 0)} MB`,
      table(
        ['cycle', 'wall s', 'invocation ms', 'statuses', 'items', 'matches', 'writes/poll', 'reads/poll'],
        e2e.cycles.map((cycle) => [
          cycle.name,
          fixed(cycle.wallMs / 1000, 2),
          fixed(cycle.invocationMedianMs, 0),
          Object.entries(cycle.statuses)
            .map(([status, count]) => `${status} ${count}`)
            .join(', '),
          int(cycle.itemsParsed),
          int(cycle.matchesStored),
          fixed(cycle.writeRequestsPerPoll, 2),
          fixed(cycle.readRequestsPerPoll, 2),
        ]),
      ),
    );
  }
  if (overlap) {
    const s = overlap.setup;
    out.push(
      '',
      `Waiting and CPU in one poller invocation: ${s.feeds} teaser feeds on ${s.hosts} local servers answering in ${s.feedLatencyMs} ms (one in ${s.slowestFeedMs} ms), article pages in ${s.pageLatencyMs} ms; the cost model bills the longer of one response plus the CPU work, and the waiting`,
      table(
        ['invocation', 'pages', 'wall s', 'CPU s', 'waiting s', 'CPU + waiting s', 'billed by the model s'],
        overlap.runs.map((run) => [
          run.name,
          int(run.pagesRead),
          fixed(run.wallSeconds, 2),
          fixed(run.cpuSeconds, 2),
          fixed(run.waitSeconds, 2),
          fixed(run.cpuSeconds + run.waitSeconds, 2),
          fixed(invocationSeconds(run.cpuSeconds, run.waitSeconds, s.feedLatencyMs / 1000), 2),
        ]),
      ),
    );
  }
  if (cost) {
    out.push(
      '',
      '6. Cost model: USD per month, us-east-1 on-demand, 5-minute freshness target, full text on (see docs/performance.md)',
    );
    out.push(
      table(
        ['service', ...cost.map((scenario) => `${int(scenario.feeds)} feeds, ${scenario.rates.name}`)],
        [
          ...(cost[0]?.lines ?? []).map((line, index) => [
            line.service,
            ...cost.map((scenario) => `$${(scenario.lines[index]?.usd ?? 0).toFixed(2)}`),
          ]),
          ['total', ...cost.map((scenario) => `$${scenario.totalUsd.toFixed(2)}`)],
          ['(every feed at every cycle)', ...cost.map((scenario) => `$${scenario.everyCycleUsd.toFixed(2)}`)],
        ],
      ),
      table(
        ['target', 'measured', ''],
        costVerdicts(cost).map((v) => [
          `${v.assumptions} assumptions (the dearest of their months): under $${v.targetUsd}`,
          `$${v.usd.toFixed(2)}`,
          verdict(v.pass),
        ]),
      ),
    );
    const measured = cost[0]?.measured;
    if (measured) {
      out.push(
        `inputs from the e2e run: a quiet invocation of ${e2e ? e2e.setup.feedsPerMessage * e2e.setup.messagesPerInvocation : '?'} feeds ${measured.quietInvocationCpuSeconds.toFixed(3)} s of CPU and ${measured.quietInvocationRequests.toFixed(0)} DynamoDB requests; ${int(measured.parsedItemsPerSecond.html)} (full-content) and ${int(measured.parsedItemsPerSecond.plain)} (teaser) items parsed a CPU second, ${int(measured.checkedItemsPerSecond.html)} and ${int(measured.checkedItemsPerSecond.plain)} checked (a rebuilt body); per new item ${(measured.newItemCpuSeconds * 1000).toFixed(2)} ms of CPU and ${measured.newItemRequests.toFixed(2)} DynamoDB requests; feed state ${measured.feedItemKb.toFixed(2)} KB, match ${measured.matchItemKb.toFixed(2)} KB, story register ${measured.registerEmptyKb.toFixed(2)} KB + ${measured.registerRecordKb.toFixed(3)} KB a story, a recent-items row of 1, 2 and 4 items ${rowKb(measured.recentRows.plain.bytes)} KB (teaser) and ${rowKb(measured.recentRows.html.bytes)} KB (full-content); per new item ${measured.matchesPerNewItem.toFixed(4)} stories (${measured.storyAttemptsPerStory.toFixed(1)} transactions each), ${measured.matchUpdatesPerNewItem.toFixed(4)} match updates, ${measured.registerPutsPerNewItem.toFixed(4)} register merges, ${measured.matchReadsPerNewItem.toFixed(4)} match reads`,
      );
    }
    if (measured) {
      out.push(
        `reading a page on this machine: mean ${measured.pageRead.meanSeconds.toFixed(3)} s, p90 ${measured.pageRead.p90Seconds.toFixed(3)} s (${measured.pageRead.source}); the pessimistic rates take the p90, the measured ones the mean`,
      );
    }
    for (const scenario of cost) {
      const r = scenario.rates;
      const month = scenario.month;
      out.push(
        `${r.name} change rates: publishes in ${pct(r.slotShare)} of 5-minute slots (${r.source}) = ${eventsPerHour(r).toFixed(3)} publications/h, ${r.itemsPerEvent.toFixed(2)} items each; quiet polls ${pct(r.notModifiedShare)} 304, ${pct(r.rebuiltBodyShare)} of the quiet 200s rebuilt; ${pct(r.pageShare)} of new items' pages read; feeds parse at the ${r.feedKind === 'html' ? 'full-content' : 'teaser'} rate`,
      );
      out.push(
        `  one feed's month under the schedule (pollFeed, simulated): ${int(month.polls)} polls (every cycle: 8,640), ${int(month.newContentPolls)} with new items, ${int(month.statePuts)} state puts; a publication found ${month.meanDelayMinutes.toFixed(1)} min later on average, ${month.worstDelayMinutes.toFixed(1)} at worst`,
      );
      out.push(`  arithmetic at ${int(scenario.feeds)} feeds:`);
      for (const line of scenario.lines)
        out.push(`    ${line.service}: ${line.arithmetic} = $${line.usd.toFixed(2)}`);
    }
  }
  return out.join('\n');
}
