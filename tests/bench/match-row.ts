/**
 * One row of the matching bench, in a process of its own (see measureRowInFreshProcess):
 * `match-row.ts <watch count>` prints the row as JSON on stdout, progress on stderr.
 */
import { measureRow } from './match-bench.ts';

const count = Number(process.argv[2]);
if (!Number.isInteger(count) || count <= 0) {
  process.stderr.write('usage: match-row.ts <watch count>\n');
  process.exitCode = 2;
} else {
  const row = await measureRow(count, (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`${JSON.stringify(row)}\n`);
}
