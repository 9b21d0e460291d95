import { execFile } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { ENV } from '#handlers/env.ts';
import {
  FUNCTION_BUNDLING,
  FUNCTION_ESBUILD_ALIASES,
  FUNCTION_NODE_OPTIONS,
  FUNCTION_RUNTIME,
  PROJECT_ROOT,
} from '../../lib/feedwatch-function.ts';
import { median } from './stats.ts';

const run = promisify(execFile);

export const HANDLERS = ['dispatcher', 'poller', 'notifier', 'sweeper', 'digest'] as const;
const LOAD_RUNS = 9;
/**
 * Inside node_modules so that a bundle built with the SDK external resolves `@aws-sdk/*` from
 * the project's node_modules, as the Lambda runtime resolves it from its own copy.
 */
const OUT_DIR = join(PROJECT_ROOT, 'node_modules', '.cache', 'feedwatch-bench');

export type SdkPlacement = 'bundled' | 'external';

export interface BundleRow {
  handler: string;
  sdk: SdkPlacement;
  bytes: number;
  gzipBytes: number;
  /** Median time to `import()` the bundle in a fresh node, with the NODE_OPTIONS the stack sets. */
  loadMs: number;
  /** The same without NODE_OPTIONS (no --enable-source-maps); measured for the bundled SDK only. */
  loadMsWithoutSourceMaps?: number;
  /** Largest contributors to the output, by package. */
  topPackages: { name: string; bytes: number; share: number }[];
}

export interface ColdStartReport {
  esbuild: { target: string; options: string };
  rows: BundleRow[];
  targets: { name: string; measured: string; pass: boolean }[];
}

/**
 * What NodejsFunction passes esbuild for FUNCTION_BUNDLING (aws-cdk-lib bundling.js), read from
 * the same object the stack uses; `external` puts the SDK where bundleAwsSDK: false would.
 */
export function cdkEquivalentOptions(sdk: SdkPlacement) {
  const target = FUNCTION_RUNTIME.name.replace(/^nodejs(\d+).*$/, 'node$1');
  return {
    bundle: true,
    target,
    platform: 'node' as const,
    format: FUNCTION_BUNDLING.format,
    minify: FUNCTION_BUNDLING.minify,
    sourcemap: FUNCTION_BUNDLING.sourceMap,
    sourcesContent: FUNCTION_BUNDLING.sourcesContent,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    banner: { js: FUNCTION_BUNDLING.banner },
    alias: { ...FUNCTION_ESBUILD_ALIASES },
    external: sdk === 'external' ? ['@aws-sdk/*'] : [],
    metafile: true,
    logLevel: 'silent' as const,
  };
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
};

async function importMs(file: string, sourceMaps: boolean): Promise<number> {
  const probe = `const start = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - start));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', probe], {
    env: { ...HANDLER_ENV, ...(sourceMaps ? { NODE_OPTIONS: FUNCTION_NODE_OPTIONS } : {}) },
    cwd: OUT_DIR,
  });
  const ms = Number(stdout);
  if (!Number.isFinite(ms)) throw new Error(`could not read the load time of ${file}: ${stdout}`);
  return ms;
}

/**
 * Median load times with the stack's NODE_OPTIONS and, for the bundled SDK, without them. The
 * two take turns, so that a burst of other work on this shared machine slows both alike.
 */
async function loadTimes(file: string, sdk: SdkPlacement) {
  const alsoWithoutMaps = sdk === 'bundled';
  // One unmeasured load warms the OS file cache, as Lambda's own warm-up of the code volume does not.
  await importMs(file, true);
  if (alsoWithoutMaps) await importMs(file, false);
  const withMaps: number[] = [];
  const withoutMaps: number[] = [];
  for (let i = 0; i < LOAD_RUNS; i++) {
    withMaps.push(await importMs(file, true));
    if (alsoWithoutMaps) withoutMaps.push(await importMs(file, false));
  }
  return {
    loadMs: median(withMaps),
    ...(alsoWithoutMaps ? { loadMsWithoutSourceMaps: median(withoutMaps) } : {}),
  };
}

export async function runColdStartBench(log: (line: string) => void): Promise<ColdStartReport> {
  await rm(OUT_DIR, { recursive: true, force: true });
  const rows: BundleRow[] = [];
  for (const sdk of ['bundled', 'external'] as const) {
    for (const handler of HANDLERS) {
      log(`cold start: bundle ${handler} (AWS SDK ${sdk}) and load it ${LOAD_RUNS} times`);
      const outdir = join(OUT_DIR, sdk, handler);
      await mkdir(outdir, { recursive: true });
      const outfile = join(outdir, 'index.mjs');
      const result = await build({
        ...cdkEquivalentOptions(sdk),
        entryPoints: [join(PROJECT_ROOT, 'functions', 'handlers', `${handler}.ts`)],
        outfile,
        absWorkingDir: PROJECT_ROOT,
      });
      const code = await readFile(outfile);
      rows.push({
        handler,
        sdk,
        bytes: code.byteLength,
        gzipBytes: gzipSync(code).byteLength,
        ...(await loadTimes(outfile, sdk)),
        topPackages: result.metafile ? topPackages(result.metafile, 'index.mjs') : [],
      });
    }
  }
  const bundled = rows.filter((row) => row.sdk === 'bundled');
  const slowest = bundled.reduce((a, b) => (b.loadMs > a.loadMs ? b : a));
  const options = cdkEquivalentOptions('bundled');
  return {
    esbuild: {
      target: options.target,
      options: describeOptions(options),
    },
    rows,
    targets: [
      {
        name: 'every bundle (as deployed, SDK bundled) loads in under 150 ms',
        measured: `slowest ${slowest.handler} ${slowest.loadMs.toFixed(0)} ms`,
        pass: bundled.every((row) => row.loadMs < 150),
      },
    ],
  };
}
