/**
 * One row of the matching bench, in a process of its own (see measureRowInFreshProcess):
 * `match-row.ts <watch count>` (or `explain`, the explanation row) prints the row as JSON on
 * stdout, progress on stderr.
 */
import { measureExplainRow, measureRow } from './match-bench.ts';

const log = (line: string) => process.stderr.write(`${line}\n`);
const count = Number(process.argv[2]);
if (process.argv[2] === 'explain') {
  process.stdout.write(`${JSON.stringify(measureExplainRow(log))}\n`);
} else if (!Number.isInteger(count) || count <= 0) {
  process.stderr.write('usage: match-row.ts <watch count> | explain\n');
  process.exitCode = 2;
} else {
  const row = await measureRow(count, log);
  process.stdout.write(`${JSON.stringify(row)}\n`);
}
