import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { Metafile } from 'esbuild';
import { ENV } from '#handlers/env.ts';
import { FUNCTION_NODE_OPTIONS, NODE_WRAPPER, PROJECT_ROOT } from '../../lib/feedwatch-function.ts';
import { buildFunction, cdkEquivalentOptions, type SdkPlacement } from '../helpers/function-bundle.ts';
import { median } from './stats.ts';

const run = promisify(execFile);

export const HANDLERS = ['dispatcher', 'poller', 'notifier', 'sweeper', 'digest'] as const;
const LOAD_RUNS = 9;
/**
 * Inside node_modules so that a bundle built with the SDK external resolves `@aws-sdk/*` from
 * the project's node_modules, as the Lambda runtime resolves it from its own copy.
 */
const OUT_DIR = join(PROJECT_ROOT, 'node_modules', '.cache', 'feedwatch-bench');

export interface BundleRow {
  handler: string;
  /** `index.mjs`, the bundle Lambda loads, or a chunk shipped beside it. */
  file: string;
  sdk: SdkPlacement;
  bytes: number;
  gzipBytes: number;
  /**
   * Median time to `import()` the bundle in a fresh node, with the NODE_OPTIONS the stack sets; for
   * a chunk, to import it after its function's bundle (its cost on first use).
   */
  loadMs: number;
  /** The same without NODE_OPTIONS (no --enable-source-maps); measured for the bundled SDK only. */
  loadMsWithoutSourceMaps?: number;
  /** Largest contributors to the output, by package. */
  topPackages: { name: string; bytes: number; share: number }[];
}

export interface ColdStartReport {
  esbuild: { target: string; options: string; chunks: string[] };
  rows: BundleRow[];
  targets: { name: string; measured: string; pass: boolean }[];
}

/** The options above as an esbuild command line, for the report. */
function describeOptions(options: ReturnType<typeof cdkEquivalentOptions>): string {
  return [
    `--bundle --platform=${options.platform} --format=${options.format} --target=${options.target}`,
    options.minify ? '--minify' : '',
    options.sourcemap ? '--sourcemap' : '',
    options.sourcesContent ? '' : '--sources-content=false',
    `--main-fields=${options.mainFields.join(',')}`,
    '--banner:js=<createRequire shim>',
    ...Object.keys(options.alias).map((from) => `--alias:${from}=<${basename(options.alias[from] ?? from)}>`),
  ]
    .filter(Boolean)
    .join(' ');
}

function packageOf(inputPath: string): string {
  const parts = inputPath.split('node_modules/');
  if (parts.length < 2) return 'feedwatch (own code)';
  const rest = (parts[parts.length - 1] ?? '').split('/');
  return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? inputPath);
}

function topPackages(metafile: Metafile, outfile: string): BundleRow['topPackages'] {
  const output = Object.entries(metafile.outputs).find(([path]) => path.endsWith(outfile))?.[1];
  if (!output) throw new Error(`esbuild metafile has no output ${outfile}`);
  const byPackage = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = packageOf(path);
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  return [...byPackage.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([name, bytes]) => ({ name, bytes, share: bytes / output.bytes }));
}

/** Dummy values: the handlers read these at module scope and build SDK clients, but call nothing. */
const HANDLER_ENV: Record<string, string> = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'us-east-1',
  [ENV.watchesTable]: 'bench-watches',
  [ENV.feedsTable]: 'bench-feeds',
  [ENV.matchesTable]: 'bench-matches',
  [ENV.recentItemsTable]: 'bench-recent-items',
  [ENV.feedQueueUrl]: 'https://sqs.us-east-1.amazonaws.com/123456789012/bench-feeds',
  [ENV.alertTopicArn]: 'arn:aws:sns:us-east-1:123456789012:bench-alerts',
  [ENV.allowPrivateNetwork]: 'false',
  [ENV.feedsPerMessage]: '10',
  POWERTOOLS_SERVICE_NAME: 'feedwatch',
  POWERTOOLS_METRICS_NAMESPACE: 'Feedwatch',
  // The SDK warns at load on this machine's Node 20 (a captured stack and a write to stderr);
  // on Lambda's Node 24 it does not.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/**
 * Milliseconds to `import()` `file` in a fresh node, started as Lambda starts it (through the
 * NODE_WRAPPER shipped beside it); with `after`, that module is imported first and not counted (a
 * chunk's cost on first use, its function's bundle already loaded).
 */
async function importMs(file: string, sourceMaps: boolean, after?: string): Promise<number> {
  const first = after ? `await import(${JSON.stringify(pathToFileURL(after).href)}); ` : '';
  const probe = `${first}const start = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - start));`;
  const node = [process.execPath, '--input-type=module', '-e', probe];
  const { stdout } = await run(join(dirname(file), NODE_WRAPPER.file), node, {
    env: { ...HANDLER_ENV, ...(sourceMaps ? { NODE_OPTIONS: FUNCTION_NODE_OPTIONS } : {}) },
    cwd: OUT_DIR,
  });
  const ms = Number(stdout);
  if (!Number.isFinite(ms)) throw new Error(`could not read the load time of ${file}: ${stdout}`);
  return ms;
}

interface LoadProbe {
  file: string;
  after?: string;
  /** Also measured without NODE_OPTIONS (no --enable-source-maps). */
  alsoWithoutMaps: boolean;
}

/**
 * Median load times of each probe with the stack's NODE_OPTIONS and, if asked, without them. All
 * take turns, so that a burst of other work on this shared machine slows each alike.
 */
interface LoadTime {
  loadMs: number;
  loadMsWithoutSourceMaps?: number;
}

async function loadTimes(probes: LoadProbe[]): Promise<LoadTime[]> {
  const runs = probes.map(() => ({ withMaps: [] as number[], withoutMaps: [] as number[] }));
  // One unmeasured round warms the OS file cache, as Lambda's own warm-up of the code volume does not.
  for (let i = 0; i <= LOAD_RUNS; i++) {
    for (const [index, probe] of probes.entries()) {
      const times = runs[index] as (typeof runs)[number];
      const withMaps = await importMs(probe.file, true, probe.after);
      const withoutMaps = probe.alsoWithoutMaps ? await importMs(probe.file, false, probe.after) : undefined;
      if (i === 0) continue;
      times.withMaps.push(withMaps);
      if (withoutMaps !== undefined) times.withoutMaps.push(withoutMaps);
    }
  }
  return runs.map(({ withMaps, withoutMaps }) => ({
    loadMs: median(withMaps),
    ...(withoutMaps.length > 0 ? { loadMsWithoutSourceMaps: median(withoutMaps) } : {}),
  }));
}

async function fileSizes(file: string) {
  const code = await readFile(file);
  return { bytes: code.byteLength, gzipBytes: gzipSync(code).byteLength };
}

export async function runColdStartBench(log: (line: string) => void): Promise<ColdStartReport> {
  await rm(OUT_DIR, { recursive: true, force: true });
  const rows: BundleRow[] = [];
  const chunkLines: string[] = [];
  for (const sdk of ['bundled', 'external'] as const) {
    for (const handler of HANDLERS) {
      const entry = `functions/handlers/${handler}.ts`;
      const built = await buildFunction(entry, join(OUT_DIR, sdk, handler), sdk);
      // A chunk's first use is measured once, beside its function's bundle with the SDK bundled.
      const chunks = sdk === 'bundled' ? built.chunks : [];
      log(
        `cold start: bundle ${handler} (AWS SDK ${sdk}) and load it ${LOAD_RUNS} times${chunks.map((c) => `, then ${c.chunk.file}`).join('')}`,
      );
      const [main, ...chunkTimes] = await loadTimes([
        { file: built.file, alsoWithoutMaps: sdk === 'bundled' },
        ...chunks.map((chunk) => ({ file: chunk.file, after: built.file, alsoWithoutMaps: true })),
      ]);
      rows.push({
        handler,
        file: 'index.mjs',
        sdk,
        ...(await fileSizes(built.file)),
        ...(main as LoadTime),
        topPackages: topPackages(built.metafile, 'index.mjs'),
      });
      for (const [index, chunk] of chunks.entries()) {
        chunkLines.push(
          `${handler} ships ${chunk.chunk.file} (${chunk.chunk.entry}) beside index.mjs; its load ms is its first import, after index.mjs`,
        );
        rows.push({
          handler,
          file: chunk.chunk.file,
          sdk,
          ...(await fileSizes(chunk.file)),
          ...(chunkTimes[index] as LoadTime),
          topPackages: topPackages(chunk.metafile, chunk.chunk.file),
        });
      }
    }
  }
  const bundles = rows.filter((row) => row.sdk === 'bundled' && row.file === 'index.mjs');
  const slowest = bundles.reduce((a, b) => (b.loadMs > a.loadMs ? b : a));
  const options = cdkEquivalentOptions('bundled');
  return {
    esbuild: {
      target: options.target,
      options: describeOptions(options),
      chunks: chunkLines,
    },
    rows,
    targets: [
      {
        name: 'every bundle (as deployed, SDK bundled) loads in under 150 ms',
        measured: `slowest ${slowest.handler} ${slowest.loadMs.toFixed(0)} ms`,
        pass: bundles.every((row) => row.loadMs < 150),
      },
    ],
  };
}
