/** `watch test` lists near misses: items that matched all but one required part, naming it. */
import { describe, expect, it } from 'vitest';
import type { Io } from '#cli/io.ts';
import { buildProgram } from '#cli/program.ts';
import { nearMissVariants } from '#core/query/index.ts';

async function feedwatch(...args: string[]): Promise<{ exitCode: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (line) => out.push(line), err: (line) => err.push(line), debug: () => {} };
  const cli = { io, exitCode: 0 };
  await buildProgram(cli).parseAsync(args, { from: 'user' });
  return { exitCode: cli.exitCode, out, err };
}

const WORLD_NEWS = 'examples/feeds/world-news.xml';

describe('near misses', () => {
  it('watch test shows the items that lack one required part, and which', async () => {
    const ran = await feedwatch(
      'watch',
      'test',
      '--full-text',
      'never',
      '--query',
      'central bank rate hike',
      '--feed',
      WORLD_NEWS,
    );

    expect(ran).toEqual({
      exitCode: 0,
      out: [
        [
          '[near miss, missing hike] Central bank holds rates as inflation cools',
          '  https://meridian-wire.example.com/business/2025/06/02/rates-hold',
          '  has: central -> "Central" (title); bank -> "bank" (title); rate -> "rates" (title), "rate" (body)',
          `  feed: ${WORLD_NEWS} · published 2025-06-02T14:00:00.000Z`,
          '',
        ].join('\n'),
      ],
      err: ['feedwatch: 0 of 6 items match: central bank rate hike'],
    });
  });

  it('--json gives each near miss as a line with nearMiss.missing', async () => {
    const ran = await feedwatch(
      'watch',
      'test',
      '--query',
      'inflation Europe',
      '--feed',
      WORLD_NEWS,
      '--json',
    );

    expect(ran.out.map((line) => JSON.parse(line) as { nearMiss: unknown; title: string })).toEqual([
      expect.objectContaining({
        nearMiss: { missing: ['Europe'] },
        title: 'Central bank holds rates as inflation cools',
      }),
      expect.objectContaining({
        nearMiss: { missing: ['inflation'] },
        title: 'Heatwave warning issued for southern Europe',
      }),
    ]);
  });

  it.each([
    ['Houthi shipping attacks', ['Houthi', 'shipping', 'attacks']],
    ['(a OR b) c -d', ['(a OR b)', 'c']],
    ['a AND b AND c', ['a', 'b', 'c']],
    ['oil -opec', []],
    ['ceasefire', []],
  ])('the parts of %s that can be missing: %j', (query, missing) => {
    expect(nearMissVariants(query).map((variant) => variant.missing)).toEqual(missing);
  });

  it('each variant is the query without the part', () => {
    expect(nearMissVariants('a AND b AND c').map((variant) => variant.query)).toEqual([
      'b AND c',
      'a AND c',
      'a AND b',
    ]);
  });
});
