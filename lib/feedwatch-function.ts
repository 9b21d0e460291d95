import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME } from '#adapters/telemetry-names.ts';
import type { EnvName } from '#handlers/env.ts';
import type { FeedwatchTable } from './feedwatch-table.ts';

/** The newest Node.js runtime Lambda offers in the installed aws-cdk-lib. */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Bundled CJS dependencies (rss-parser's xml2js, for one) call `require` for Node built-ins;
 * an ESM bundle has no `require`, so one is rebuilt from the module's own URL.
 */
export const ESM_REQUIRE_SHIM =
  "import { createRequire as __feedwatchCreateRequire } from 'node:module'; const require = __feedwatchCreateRequire(import.meta.url);";

/**
 * Every function's bundling, exported so that the cold-start bench (tests/bench) builds exactly
 * what the stack deploys. Each choice was measured there (docs/performance.md, cold start):
 * ESM loads in 55-60% of the time of the same bundle as CJS (Node scans a CJS file for its
 * exports); `module` before `main` picks dependencies' ESM builds, which tree-shake (`main` first
 * is +50% bytes); the bundled SDK loads 2-3x faster than the runtime's unbundled copy, and is pinned.
 */
/**
 * Packages swapped for a smaller module at bundling time, as paths relative to the project root
 * (where esbuild resolves aliases). Only the deployed bundles change; local runs and tests keep
 * the SDK's full credential chain, which a developer's machine needs, and the real xmlbuilder.
 */
export const FUNCTION_ESBUILD_ALIASES: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': './lib/bundling/lambda-credential-provider.ts',
  xmlbuilder: './lib/bundling/xmlbuilder-refusing-writer.ts',
  // Feedwatch reads feed HTML with htmlparser2's Tokenizer and linkedom reads article pages with
  // its Parser, but the package's one public entry point also re-exports its DOM helpers
  // (domutils, dom-serializer and one more copy of entities' tables), which esbuild keeps even
  // when only those two are imported: 80 KB of the poller bundle. The package's exports name no
  // path to either, so the alias names a file that re-exports them;
  // tests/infra/function-aliases.test.ts parses HTML through it, so a layout change fails there.
  htmlparser2: './lib/bundling/htmlparser2-parser.ts',
  'cssomnom/parse': './lib/bundling/style-sheets-unused.ts',
};

export const FUNCTION_BUNDLING = {
  format: OutputFormat.ESM,
  mainFields: ['module', 'main'],
  minify: true,
  sourceMap: true,
  // Stack traces need the mappings, not a copy of every dependency's source.
  sourcesContent: false,
  bundleAwsSDK: true,
  banner: ESM_REQUIRE_SHIM,
  esbuildArgs: {
    '--alias': Object.entries(FUNCTION_ESBUILD_ALIASES).map(([from, to]) => `${from}=${to}`),
  },
} as const satisfies BundlingOptions;

/**
 * A module a function imports only when it first needs it, shipped as a file of its own beside
 * index.mjs. NodejsFunction's esbuild writes one file, and V8 reads and pre-parses all of it at
 * load, dynamic `import()`s included; a chunk is read only when imported. Only the deployed bundles
 * are split: local runs and tests import the TypeScript module by its subpath.
 */
export interface FunctionChunk {
  /** What the code imports: a subpath of the package's `imports` naming `entry`. */
  readonly specifier: string;
  /** The module, relative to the project root. */
  readonly entry: string;
  /** The file it ships as, beside index.mjs. */
  readonly file: string;
}

/** Readability and linkedom: about 190 KB that the poller needs only for its first article page. */
const ARTICLE_READER_CHUNK: FunctionChunk = {
  specifier: '#core/article/article-reader.ts',
  entry: 'functions/core/article/article-reader.ts',
  file: 'article-reader.mjs',
};

/**
 * rss-parser, xml2js, sax and rss-parser's own copy of entities' tables: about 85 KB that the
 * poller needs only for its first feed body to read, and not at all when every feed answers 304 or
 * an unchanged body.
 */
const FEED_READER_CHUNK: FunctionChunk = {
  specifier: '#core/feed/feed-reader.ts',
  entry: 'functions/core/feed/feed-reader.ts',
  file: 'feed-reader.mjs',
};

/**
 * htmlparser2's tokenizer and entities' decoder: about 80 KB that the feed reader needs only for
 * the first fragment of markup of an unusual shape or with a reference beyond the common ones.
 */
const HTML_READERS_CHUNK: FunctionChunk = {
  specifier: '#core/feed/html-readers.ts',
  entry: 'functions/core/feed/html-readers.ts',
  file: 'html-readers.mjs',
};

/** The chunks each function ships, by its entry; the cold-start bench reads the same list. */
export const FUNCTION_CHUNKS: Readonly<Record<string, readonly FunctionChunk[]>> = {
  'functions/handlers/poller.ts': [FEED_READER_CHUNK, HTML_READERS_CHUNK, ARTICLE_READER_CHUNK],
};

/** The esbuild target NodejsFunction derives from the runtime (`nodejs24.x` is `node24`). */
export const FUNCTION_ESBUILD_TARGET = FUNCTION_RUNTIME.name.replace(/^nodejs(\d+).*$/, 'node$1');

/**
 * esbuild's arguments for a chunk: those NodejsFunction passes for the function's own bundle
 * (aws-cdk-lib's bundling.ts, from FUNCTION_BUNDLING), with the chunk's entry and file; its
 * imports of the function's other chunks are left to their shipped files.
 */
export function chunkEsbuildArgs(
  chunk: FunctionChunk,
  chunks: readonly FunctionChunk[],
  inputDir: string,
  outputDir: string,
): string[] {
  const { aliases, externals } = chunkImportOptions(chunks.filter((other) => other !== chunk));
  return [
    '--bundle',
    join(inputDir, chunk.entry),
    `--target=${FUNCTION_ESBUILD_TARGET}`,
    '--platform=node',
    `--format=${FUNCTION_BUNDLING.format}`,
    `--outfile=${join(outputDir, chunk.file)}`,
    ...(FUNCTION_BUNDLING.minify ? ['--minify'] : []),
    ...(FUNCTION_BUNDLING.sourceMap ? ['--sourcemap'] : []),
    ...(FUNCTION_BUNDLING.sourcesContent ? [] : ['--sources-content=false']),
    `--banner:js=${FUNCTION_BUNDLING.banner}`,
    `--main-fields=${FUNCTION_BUNDLING.mainFields.join(',')}`,
    ...Object.entries(FUNCTION_ESBUILD_ALIASES).map(([from, to]) => `--alias:${from}=${to}`),
    ...aliases.map((alias) => `--alias:${alias}`),
    ...externals.map((external) => `--external:${external}`),
  ];
}

/** A function bundle's own esbuild options for its chunks: each import is left to the shipped file. */
export function chunkImportOptions(chunks: readonly FunctionChunk[]) {
  return {
    aliases: chunks.map((chunk) => `${chunk.specifier}=./${chunk.file}`),
    externals: chunks.map((chunk) => `./${chunk.file}`),
  };
}

/** Single-quoted for the shell CDK runs command hooks in. */
function shellQuote(arg: string): string {
  return `'${arg.replaceAll("'", "'\\''")}'`;
}

/**
 * Readable stack traces in the logs. The measured price is 20-25 ms per cold start, growing with
 * the bundle's size rather than the map's (Node measures every line of a file that has a map).
 */
export const FUNCTION_NODE_OPTIONS = '--enable-source-maps';

/**
 * The script Lambda starts each function's node through (AWS_LAMBDA_EXEC_WRAPPER), for the V8
 * flags that NODE_OPTIONS refuses; it ships beside index.mjs, executable.
 */
const NODE_WRAPPER_FILE = 'node-flags.sh';
export const NODE_WRAPPER = {
  source: `lib/bundling/${NODE_WRAPPER_FILE}`,
  file: NODE_WRAPPER_FILE,
  /** Where Lambda finds it: the function's code is unpacked in /var/task. */
  path: `/var/task/${NODE_WRAPPER_FILE}`,
} as const;

/**
 * Exactly the DynamoDB actions each access level allows: those the stores call in Lambda.
 * No batch or delete actions: TTL expires matches, and only the CLI (with its own
 * credentials) deletes watches and feeds.
 */
export const TABLE_ACTIONS = {
  read: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'],
  readWrite: [
    'dynamodb:GetItem',
    'dynamodb:Query',
    'dynamodb:Scan',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
  ],
  /** Batched puts only: the poller records the items it saw and never reads them back. */
  batchWrite: ['dynamodb:BatchWriteItem'],
} as const;

export type TableAccess = keyof typeof TABLE_ACTIONS;

export interface FeedwatchFunctionProps {
  /** Handler module, relative to the project root (e.g. `functions/handlers/poller.ts`); it must export `handler`. */
  readonly entry: string;
  readonly description: string;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** Retries of a failed asynchronous (scheduled) invocation. @default 2 (Lambda's own default) */
  readonly retryAttempts?: number;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** Extra environment variables; the `use*` helpers add the ones that come with a permission. */
  readonly environment?: Readonly<Record<string, string>>;
}

/**
 * Our Lambda defaults, set once: Node.js 24 on ARM64 started through NODE_WRAPPER, a minified
 * ESM bundle with source maps and a pinned bundled AWS SDK, Powertools environment, a log group
 * with retention, and a role that holds only what the `use*` helpers grant (no AWS managed
 * policies).
 */
export class FeedwatchFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: FeedwatchFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      // Operational logs, not user data: they go with the stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Feedwatch ${id}: only the permissions its handler uses`,
    });
    super(scope, id, {
      entry: `${PROJECT_ROOT}${props.entry}`,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      handler: 'handler',
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(30),
      ...(props.retryAttempts !== undefined && { retryAttempts: props.retryAttempts }),
      role,
      logGroup,
      environment: {
        NODE_OPTIONS: FUNCTION_NODE_OPTIONS,
        AWS_LAMBDA_EXEC_WRAPPER: NODE_WRAPPER.path,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        ...props.environment,
      },
      bundling: functionBundling(FUNCTION_CHUNKS[props.entry] ?? []),
    });
    // The log group exists before the function, so the role never needs logs:CreateLogGroup.
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
  }

  /** Sets `envName` to the table's name and grants exactly the `access` actions on it and its indexes. */
  useTable(envName: EnvName, table: FeedwatchTable, access: TableAccess): this {
    this.addEnvironment(envName, table.tableName);
    this.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: [...TABLE_ACTIONS[access]],
        // Writes never go through an index.
        resources: access === 'batchWrite' ? [table.tableArn] : [table.tableArn, ...table.indexArns()],
      }),
    );
    return this;
  }

  /** Sets `envName` to the topic's ARN and grants sns:Publish (plus the key use a customer key needs). */
  useTopic(envName: EnvName, topic: ITopic): this {
    this.addEnvironment(envName, topic.topicArn);
    this.addToRolePolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }));
    if (topic.masterKey && !isAwsManagedKey(topic.masterKey)) {
      this.addToRolePolicy(
        new PolicyStatement({
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [topic.masterKey.keyArn],
        }),
      );
    }
    return this;
  }

  /** Sets `envName` to the queue's URL and grants sqs:SendMessage (which also covers SendMessageBatch). */
  useQueueForSending(envName: EnvName, queue: IQueue): this {
    this.addEnvironment(envName, queue.queueUrl);
    // GetQueueAttributes lets the sender see a backlog before adding to it.
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes'],
        resources: [queue.queueArn],
      }),
    );
    return this;
  }

  /** Sets a plain setting that needs no permission. */
  useSetting(envName: EnvName, value: string): this {
    this.addEnvironment(envName, value);
    return this;
  }
}

/**
 * FUNCTION_BUNDLING, plus each chunk: the bundle keeps its import as the shipped file's, and a
 * hook builds the chunk into the same asset after the bundle, with the same esbuild (npx finds
 * the project's, as NodejsFunction's local bundling runs it).
 */
function functionBundling(chunks: readonly FunctionChunk[]): BundlingOptions {
  const { aliases, externals } = chunkImportOptions(chunks);
  return {
    ...FUNCTION_BUNDLING,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    esbuildArgs: { '--alias': [...FUNCTION_BUNDLING.esbuildArgs['--alias'], ...aliases] },
    ...(chunks.length > 0 && { externalModules: externals }),
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (inputDir, outputDir) =>
        [
          ['cp', join(inputDir, NODE_WRAPPER.source), join(outputDir, NODE_WRAPPER.file)],
          ['chmod', '755', join(outputDir, NODE_WRAPPER.file)],
          ...chunks.map((chunk) => [
            'npx',
            '--no-install',
            'esbuild',
            ...chunkEsbuildArgs(chunk, chunks, inputDir, outputDir),
          ]),
        ].map((command) => command.map(shellQuote).join(' ')),
    },
  };
}

/** An AWS-managed key's policy already lets the account's principals use it through SNS. */
function isAwsManagedKey(key: IKey): boolean {
  return 'aliasName' in key && typeof key.aliasName === 'string' && key.aliasName.startsWith('alias/aws/');
}
