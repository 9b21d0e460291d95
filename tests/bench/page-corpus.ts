import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { FetchedPage } from '#core/ports.ts';

/**
 * Real news article pages (tests/bench/pages/README.md says where they come from and why these).
 * The first six tune the reading path; the held-out six show whether a gain holds beyond them.
 */
export const BENCH_PAGES = [
  { name: 'bbc-1', heldOut: false },
  { name: 'cnn', heldOut: false },
  { name: 'nytimes-3', heldOut: false },
  { name: 'guardian-1', heldOut: false },
  { name: 'lemonde-1', heldOut: false },
  { name: 'wapo-1', heldOut: false },
  { name: 'aclu', heldOut: true },
  { name: 'seattletimes-1', heldOut: true },
  { name: 'telegraph', heldOut: true },
  { name: 'folha', heldOut: true },
  { name: 'yahoo-1', heldOut: true },
  { name: 'liberation-1', heldOut: true },
] as const;

export type BenchPageName = (typeof BENCH_PAGES)[number]['name'];

/** A bench page as the page fetcher hands it to the reader: its bytes and the type it was served with. */
export function benchPage(name: BenchPageName): FetchedPage {
  return {
    body: gunzipSync(readFileSync(new URL(`pages/${name}.html.gz`, import.meta.url))),
    contentType: 'text/html; charset=utf-8',
  };
}
