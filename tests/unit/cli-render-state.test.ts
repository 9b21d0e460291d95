import { describe, expect, test } from 'vitest';
import { type MatchView, matchJson, renderMatch } from '#cli/render.ts';

const FAILED: MatchView = {
  watchId: 'asset-seizure',
  itemKey: 'wire-1',
  title: 'G7 agrees to start seizing frozen Russian assets',
  link: 'https://wire.example.com/g7-assets',
  feed: 'https://wire.example.com/world.xml',
  matched: ['asset', 'seizure'],
  hits: [{ term: 'asset', word: 'assets', field: 'title' }],
  snippet: 'G7 agrees to start seizing frozen Russian assets',
  highlight: 'G7 agrees to start seizing frozen Russian **assets**',
  alertState: 'FAILED',
  failure: 'Invalid parameter: Message too long',
};

describe('feedwatch matches: a match SNS refused for good', () => {
  test('the text says it was not alerted, and why', () => {
    expect(renderMatch(FAILED).split('\n').at(-1)).toBe(
      '  not alerted, refused for good: Invalid parameter: Message too long',
    );
    expect(renderMatch({ ...FAILED, alertState: 'SENT', failure: undefined })).not.toContain('not alerted');
  });

  test('the JSON carries its state and the reason', () => {
    expect(JSON.parse(matchJson(FAILED))).toMatchObject({
      alertState: 'FAILED',
      failure: 'Invalid parameter: Message too long',
    });
  });
});
