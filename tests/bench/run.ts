/**
 * `npm run bench`: matching, parsing, cold start, a local end-to-end poll and the cost model.
 * Progress goes to stderr, the table to stdout.
 *   npm run bench -- --json            the figures as JSON on stdout instead of the table
 *   npm run bench -- --json out.json   the table on stdout and the JSON in out.json
 *   npm run bench -- --only match,parse   a subset (match, parse, pages, cold-start, e2e, overlap); cost needs e2e
 */
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { runColdStartBench } from './cold-start-bench.ts';
import { costModel, measuredFromE2e, recentRowSizes } from './cost-model.ts';
import { runE2eBench } from './e2e-bench.ts';
import { runMatchBench } from './match-bench.ts';
import { runOverlapBench } from './overlap-bench.ts';
import { runPagesBench } from './pages-bench.ts';
import { runParseBench } from './parse-bench.ts';
import { type BenchReport, renderReport } from './report.ts';

const SECTIONS = ['match', 'parse', 'pages', 'cold-start', 'e2e', 'overlap'] as const;
type Section = (typeof SECTIONS)[number];

class BenchUsageError extends Error {
  override name = 'BenchUsageError';
}

function readOptions() {
  const { values, positionals } = parseArgs({
    options: { json: { type: 'boolean', default: false }, only: { type: 'string' } },
    allowPositionals: true,
  });
  const only = values.only?.split(',').map((name) => name.trim()) ?? [...SECTIONS];
  const unknown = only.filter((name) => !SECTIONS.includes(name as Section));
  if (unknown.length > 0) {
    throw new BenchUsageError(`unknown section "${unknown.join(', ')}": choose from ${SECTIONS.join(', ')}`);
  }
  if (positionals.length > 1 || (positionals.length === 1 && !values.json)) {
    throw new BenchUsageError('only --json takes a file name: npm run bench -- --json [out.json]');
  }
  return { json: values.json, jsonFile: positionals[0], sections: new Set(only as Section[]) };
}

async function main(): Promise<void> {
  const options = readOptions();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const report: BenchReport = { node: process.version, cpus: availableParallelism() };
  // End to end first, so its peak RSS is not inflated by the 100k-watch matcher.
  if (options.sections.has('e2e')) {
    report.e2e = await runE2eBench(log);
  }
  if (options.sections.has('overlap')) report.overlap = await runOverlapBench(log);
  if (options.sections.has('parse')) report.parse = await runParseBench(log);
  if (options.sections.has('pages')) report.pages = await runPagesBench(log);
  if (report.e2e)
    report.cost = await costModel(
      measuredFromE2e(report.e2e, await recentRowSizes(), report.parse, report.pages),
    );
  if (options.sections.has('match')) report.match = await runMatchBench(log);
  if (options.sections.has('cold-start')) report.coldStart = await runColdStartBench(log);

  const json = `${JSON.stringify(report, null, 2)}\n`;
  if (options.json && !options.jsonFile) {
    process.stdout.write(json);
    return;
  }
  process.stdout.write(`${renderReport(report)}\n`);
  if (options.jsonFile) await writeFile(options.jsonFile, json);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`,
  );
  process.exitCode = 1;
});
