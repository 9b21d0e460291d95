import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The DynamoDB Local processes whose database is in `stateDir`, as a CLI started there runs them. */
export function javaServing(stateDir: string): Promise<number[]> {
  return new Promise((resolvePids, reject) => {
    execFile('ps', ['-eo', 'pid=,args='], (error, stdout) => {
      if (error) return reject(error);
      const dbPath = `-dbPath ${join(stateDir, 'dynamodb')}`;
      resolvePids(
        stdout
          .split('\n')
          .filter((line) => line.includes('DynamoDBLocal') && line.includes(dbPath))
          .map((line) => Number.parseInt(line.trim(), 10)),
      );
    });
  });
}

export async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await sleep(100);
  }
}
