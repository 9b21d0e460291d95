import { describe, expect, test } from 'vitest';
import { formatAlert, formatMessage } from '#core/alerts/format.ts';
import { smsEncodingOf, smsLength, smsLine, smsParts } from '#core/alerts/sms-text.ts';
import type { StoredMatch } from '#core/model.ts';

function aMatch(overrides: Partial<StoredMatch> = {}): StoredMatch {
  return {
    watchId: 'asset-seizure',
    watchName: 'Asset seizure',
    storyKey: 'https://wire.example.com/g7',
    itemKey: 'wire-1',
    feedUrl: 'https://wire.example.com/world.xml',
    title: 'G7 agrees to start seizing frozen Russian assets',
    link: 'https://wire.example.com/g7',
    matched: ['asset', 'seizure'],
    hits: [
      { term: 'asset', word: 'assets', field: 'title' },
      { term: 'seizure', word: 'seizing', field: 'title' },
    ],
    snippet: 'Finance ministers agreed to begin seizing frozen Russian assets.',
    highlight: 'Finance ministers agreed to begin **seizing** frozen Russian **assets**.',
    matchedAt: '2026-11-28T10:05:00.000Z',
    alertState: 'PENDING',
    ...overrides,
  };
}

const LONG_LINK = 'https://wire.example.com/2026/11/28/world/europe/g7-finance-ministers-frozen-assets';

describe('SMS of a single alert', () => {
  test('keeps a short alert whole on one line', () => {
    expect(formatAlert(aMatch()).sms).toBe(
      'Feedwatch Asset seizure: G7 agrees to start seizing frozen Russian assets https://wire.example.com/g7',
    );
  });

  test('cuts a long Latin title at a word, in GSM-7, to one message of at most 160 characters', () => {
    const title =
      'G7 finance ministers agree after two days of talks in Rome to start seizing frozen Russian central bank assets held in European clearing houses';

    const sms = formatAlert(aMatch({ title, link: LONG_LINK })).sms;

    expect(sms).toBe(`Feedwatch Asset seizure: G7 finance ministers agree after two days of... ${LONG_LINK}`);
    expect(smsEncodingOf(sms)).toBe('gsm-7');
    expect(smsLength(sms)).toBe(156);
    expect(smsParts(sms)).toBe(1);
  });

  test('turns typographic quotes and dashes into ASCII, so an English headline stays GSM-7', () => {
    const sms = formatAlert(
      aMatch({ title: 'EU’s “frozen assets” plan — what’s next…', link: undefined }),
    ).sms;

    expect(sms).toBe('Feedwatch Asset seizure: EU\'s "frozen assets" plan - what\'s next...');
    expect(smsEncodingOf(sms)).toBe('gsm-7');
  });

  test('Cyrillic forces UCS-2: without a link the line fits one 70-unit message', () => {
    const title = 'Москва предупреждает о последствиях конфискации замороженных российских активов';

    const sms = formatAlert(aMatch({ watchName: 'Активы', title, link: undefined })).sms;

    expect(sms).toBe('Feedwatch Активы: Москва предупреждает о последствиях конфискации…');
    expect(smsEncodingOf(sms)).toBe('ucs-2');
    expect(sms.length).toBeLessThanOrEqual(70);
    expect(smsParts(sms)).toBe(1);
  });

  test('UCS-2 with a link that leaves no room in one message takes two parts, never more', () => {
    const title =
      'Москва предупреждает о последствиях конфискации замороженных российских активов в Европе и США';

    const sms = formatAlert(aMatch({ title, link: LONG_LINK })).sms;

    expect(sms.endsWith(` ${LONG_LINK}`)).toBe(true);
    expect(sms.length).toBeLessThanOrEqual(134);
    expect(smsParts(sms)).toBe(2);
  });

  test('CJK is counted per character in UCS-2', () => {
    const title =
      '七国集团同意开始没收被冻结的俄罗斯资产，欧洲清算机构持有的央行资产将首先受到影响，各方反应不一，市场担心报复措施可能波及在俄经营的欧洲企业';

    const sms = formatAlert(aMatch({ watchName: '资产', title, link: undefined })).sms;

    expect(sms.length).toBe(70);
    expect(sms.endsWith('…')).toBe(true);
    expect(smsParts(sms)).toBe(1);
  });

  test('an emoji costs two UTF-16 units and is never split', () => {
    const title = `${'🔥'.repeat(40)} assets`;

    const sms = smsLine('Feedwatch W:', title);

    expect(sms).toBe(`Feedwatch W: ${'🔥'.repeat(28)}…`);
    expect(sms.length).toBe(70);
    // With the u flag a pair is one code point, so \p{Cs} finds only a half emoji.
    expect(/\p{Cs}/u.test(sms)).toBe(false);
  });

  test('counts GSM-7 extension characters such as € twice', () => {
    expect(smsLength('€100 [bn]')).toBe(12);
    expect(smsEncodingOf('€100 [bn]')).toBe('gsm-7');
  });
});

describe('rate-limit notice', () => {
  test('says once, in every rendering, that further matches go to the next digest', () => {
    const notice = formatMessage({
      kind: 'rate-limit',
      watchId: 'asset-seizure',
      watchName: 'Asset seizure',
      limit: 10,
      cadence: 'hourly',
      timeZone: 'UTC',
    });

    expect(notice).toEqual({
      watchId: 'asset-seizure',
      subject: '[Feedwatch] Asset seizure: more than 10 alerts this hour',
      email: [
        'Asset seizure: more than 10 alerts this hour; further matches will arrive in the next digest.',
        '',
        'The next digest goes out at the start of the next hour. No match is lost: every one is kept and listed by',
        '  feedwatch matches --watch asset-seizure',
        '',
        'Watch: Asset seizure (asset-seizure)',
        '',
      ].join('\n'),
      sms: 'Feedwatch Asset seizure: more than 10 alerts this hour; further matches will arrive in the next digest',
      json: {
        kind: 'rate-limit',
        watchId: 'asset-seizure',
        watchName: 'Asset seizure',
        limit: 10,
        digest: 'hourly',
        message:
          'Asset seizure: more than 10 alerts this hour; further matches will arrive in the next digest',
        subject: '[Feedwatch] Asset seizure: more than 10 alerts this hour',
        sms: 'Feedwatch Asset seizure: more than 10 alerts this hour; further matches will arrive in the next digest',
      },
    });
  });

  test('names the daily digest time and zone', () => {
    const notice = formatMessage({
      kind: 'rate-limit',
      watchId: 'w',
      limit: 3,
      cadence: 'daily',
      timeZone: 'Europe/London',
    });

    expect(notice.email.split('\n')[2]).toBe(
      'The next digest goes out at 07:00 (Europe/London). No match is lost: every one is kept and listed by',
    );
  });
  test('with the memory store, says the held matches last only as long as the run, not that feedwatch matches lists them', () => {
    const notice = formatMessage({
      kind: 'rate-limit',
      watchId: 'truce',
      limit: 1,
      cadence: 'daily',
      timeZone: 'Europe/Berlin',
      matchesLostAtExit: true,
    });

    expect(notice.email).toBe(
      [
        'truce: more than 1 alert this hour; further matches will arrive in the next digest.',
        '',
        'The next digest goes out at 07:00 (Europe/Berlin) if this run is still running, and is saved in alerts.jsonl like every alert.',
        'The memory store keeps no match after the run stops: matches still held then are lost (the local store keeps them).',
        '',
        'Watch: truce',
        '',
      ].join('\n'),
    );
    expect(notice.sms).toBe(
      'Feedwatch truce: more than 1 alert this hour; further matches will arrive in the next digest',
    );
  });
});

describe('digest', () => {
  const first = aMatch();
  const second = aMatch({
    storyKey: 'https://second-wire.example.net/moscow',
    title: 'Moscow warns over plan to seize assets',
    link: undefined,
    feedUrl: 'https://second-wire.example.net/rss',
    hits: [{ term: 'seizure', word: 'seize', field: 'title' }],
    highlight: 'Moscow warns over plan to **seize** assets',
    matchedAt: '2026-11-28T10:20:00.000Z',
  });

  test('lists each story with title, link, why and highlighted snippet in one message', () => {
    const digest = formatMessage({
      kind: 'digest',
      watchId: 'asset-seizure',
      watchName: 'Asset seizure',
      cadence: 'hourly',
      matches: [first, second],
    });

    expect(digest.subject).toBe('[Feedwatch] Asset seizure: 2 new matches (digest)');
    expect(digest.email).toBe(
      [
        '2 new matches for Asset seizure (hourly digest), oldest first.',
        '',
        '1. G7 agrees to start seizing frozen Russian assets',
        '   https://wire.example.com/g7',
        '   Why: asset -> "assets" (title); seizure -> "seizing" (title)',
        '   Finance ministers agreed to begin **seizing** frozen Russian **assets**.',
        '   Feed: https://wire.example.com/world.xml · matched 2026-11-28T10:05:00.000Z',
        '',
        '2. Moscow warns over plan to seize assets',
        '   (no link)',
        '   Why: seizure -> "seize" (title)',
        '   Moscow warns over plan to **seize** assets',
        '   Feed: https://second-wire.example.net/rss · matched 2026-11-28T10:20:00.000Z',
        '',
        'Watch: Asset seizure (asset-seizure)',
        '',
      ].join('\n'),
    );
    expect(digest.sms).toBe(
      'Feedwatch Asset seizure: 2 new matches (digest). First: G7 agrees to start seizing frozen Russian assets',
    );
    expect(digest.json).toMatchObject({
      kind: 'digest',
      watchId: 'asset-seizure',
      digest: 'hourly',
      count: 2,
    });
    expect((digest.json.matches as { title: string }[]).map((match) => match.title)).toEqual([
      first.title,
      second.title,
    ]);
  });

  test('lists at most 50 stories and points to the rest, counting them all', () => {
    const many = Array.from({ length: 53 }, (_, n) => aMatch({ storyKey: `s${n}`, title: `Story ${n + 1}` }));

    const digest = formatMessage({ kind: 'digest', watchId: 'w', cadence: 'daily', matches: many });

    expect(digest.subject).toBe('[Feedwatch] w: 53 new matches (digest)');
    expect(digest.email).toContain('\n50. Story 50\n');
    expect(digest.email).not.toContain('51. Story 51');
    expect(digest.email).toContain('\n…and 3 more: feedwatch matches --watch w\n');
    expect(digest.json.count).toBe(53);
    expect(digest.json.matches).toHaveLength(50);
  });

  test('with the memory store, does not point the stories it leaves out at feedwatch matches', () => {
    const many = Array.from({ length: 53 }, (_, n) => aMatch({ storyKey: `s${n}`, title: `Story ${n + 1}` }));

    const digest = formatMessage({
      kind: 'digest',
      watchId: 'w',
      cadence: 'hourly',
      matches: many,
      matchesLostAtExit: true,
    });

    expect(digest.email).toContain(
      '\n…and 3 more, not listed (feedwatch matches cannot read the memory store)\n\nWatch: w\n',
    );
    expect(digest.email).not.toContain('--watch');
  });

  test('says "1 new match" for one', () => {
    const digest = formatMessage({ kind: 'digest', watchId: 'w', cadence: 'hourly', matches: [first] });
    expect(digest.subject).toBe('[Feedwatch] w: 1 new match (digest)');
  });
});
