/** A cold process's first feed, as the poller reads it: bundled like a function, then parseFeed on one file. */
import { readFileSync } from 'node:fs';
import { parseFeed } from '#core/feed/index.ts';

const bytes = readFileSync(process.argv[2] as string);
const feed = await parseFeed(bytes, { now: new Date(process.argv[3] as string) });
// The CPU time of the whole process so far: starting node, loading, compiling and the first parse.
const { user, system } = process.cpuUsage();
process.stdout.write(JSON.stringify({ ms: (user + system) / 1000, items: feed.items.length }));
