import { readFileSync } from 'node:fs';

/**
 * The console's few static files, read once and served by the run itself: the console works
 * offline, with nothing fetched from a CDN.
 */
const FILES = {
  'console.css': 'text/css; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
} as const;

export const ASSETS: ReadonlyMap<string, { type: string; body: string }> = new Map(
  Object.entries(FILES).map(([name, type]) => [
    name,
    { type, body: readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8') },
  ]),
);
