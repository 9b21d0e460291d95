import { formatCount } from '../feed/limits.ts';
import { withoutInvisible } from '../feed/plain-text.ts';
import type { DigestCadence, MergedItem, StoredMatch } from '../model.ts';
import type { AlertMessage } from '../ports.ts';
import { DAILY_DIGEST_HOUR } from './delivery-policy.ts';
import { smsLine } from './sms-text.ts';
import { snsSubject } from './subject.ts';

/**
 * One formatter for every message Feedwatch sends: each alert model below is rendered once
 * per protocol, email (explained, with links), SMS (one short line, see sms-text.ts) and JSON
 * (for queues and alerts.jsonl, with a `kind`). Everything is plain text: the markers around
 * matched words are `**`, which read well in both email and SMS. The JSON carries the subject
 * and SMS text exactly as they are published, so the local run shows them before a deploy.
 */

const SUBJECT_LIMIT = 99;
/** Stories listed in one digest: keeps the SNS message far below its 256 KB limit. */
export const DIGEST_LIST_LIMIT = 50;

export type Alert =
  | { kind: 'match'; match: StoredMatch }
  /** A watch passed its hourly limit: further matches go to the digest. */
  | {
      kind: 'rate-limit';
      watchId: string;
      watchName?: string;
      limit: number;
      cadence: DigestCadence;
      timeZone: string;
      /**
       * The matches are held in this process only (the local run's memory store): nothing can
       * list them later, and those waiting for the digest are gone if the run stops first. The
       * notice then says so instead of pointing at `feedwatch matches`.
       */
      matchesLostAtExit?: boolean;
    }
  /** Matches that waited for the watch's digest, oldest first. */
  | {
      kind: 'digest';
      watchId: string;
      watchName?: string;
      cadence: DigestCadence;
      matches: StoredMatch[];
      /** As for a rate-limit notice: the matches the digest leaves out cannot be listed either. */
      matchesLostAtExit?: boolean;
    };

export function formatMessage(alert: Alert): AlertMessage {
  switch (alert.kind) {
    case 'match':
      return formatAlert(alert.match);
    case 'rate-limit':
      return formatRateLimitNotice(alert);
    case 'digest':
      return formatDigest(alert);
  }
}

export function formatAlert(match: StoredMatch): AlertMessage {
  const watchLabel = match.watchName ?? match.watchId;
  return published({
    watchId: match.watchId,
    subject: subjectLine(`[Feedwatch] ${watchLabel}: ${match.title}`),
    email: emailBody(match),
    sms: smsLine(`Feedwatch ${singleLine(watchLabel, 30)}:`, match.title, match.link),
    json: { kind: 'match', ...alertJson(match) },
  });
}

/** The message with its subject and SMS text added to the JSON, as published. */
function published(message: AlertMessage): AlertMessage {
  return { ...message, json: { ...message.json, subject: message.subject, sms: message.sms } };
}

/** The subject as SNS takes it (see subject.ts); never empty, as it starts with "[Feedwatch]". */
function subjectLine(text: string): string {
  return snsSubject(singleLine(text, SUBJECT_LIMIT)) ?? '[Feedwatch]';
}

function formatRateLimitNotice(notice: Extract<Alert, { kind: 'rate-limit' }>): AlertMessage {
  const label = notice.watchName ?? notice.watchId;
  const headline = `more than ${notice.limit} ${notice.limit === 1 ? 'alert' : 'alerts'} this hour`;
  const sentence = `${label}: ${headline}; further matches will arrive in the next digest`;
  const when =
    notice.cadence === 'hourly'
      ? 'at the start of the next hour'
      : `at ${String(DAILY_DIGEST_HOUR).padStart(2, '0')}:00 (${notice.timeZone})`;
  return published({
    watchId: notice.watchId,
    subject: subjectLine(`[Feedwatch] ${label}: ${headline}`),
    email: [
      `${sentence}.`,
      '',
      ...(notice.matchesLostAtExit
        ? [
            `The next digest goes out ${when} if this run is still running, and is saved in alerts.jsonl like every alert.`,
            'The memory store keeps no match after the run stops: matches still held then are lost (the local store keeps them).',
          ]
        : [
            `The next digest goes out ${when}. No match is lost: every one is kept and listed by`,
            `  feedwatch matches --watch ${notice.watchId}`,
          ]),
      '',
      `Watch: ${watchLine(notice.watchId, notice.watchName)}`,
      '',
    ].join('\n'),
    sms: smsLine('Feedwatch', sentence),
    json: {
      kind: 'rate-limit',
      watchId: notice.watchId,
      watchName: notice.watchName,
      limit: notice.limit,
      digest: notice.cadence,
      message: sentence,
    },
  });
}

function formatDigest(digest: Extract<Alert, { kind: 'digest' }>): AlertMessage {
  const label = digest.watchName ?? digest.watchId;
  const count = digest.matches.length;
  const counted = `${count} new ${count === 1 ? 'match' : 'matches'}`;
  const listed = digest.matches.slice(0, DIGEST_LIST_LIMIT);
  const lines = [`${counted} for ${label} (${digest.cadence} digest), oldest first.`, ''];
  listed.forEach((match, position) => {
    lines.push(
      `${position + 1}. ${singleLine(match.title, 300)}`,
      `   ${match.link ?? '(no link)'}`,
      `   Why: ${explainHits(match).join('; ')}`,
      `   ${singleLine(match.highlight, 400)}`,
      `   Feed: ${match.feedUrl} · matched ${match.matchedAt}`,
      '',
    );
  });
  if (count > listed.length) {
    const more = count - listed.length;
    lines.push(
      digest.matchesLostAtExit
        ? `…and ${more} more, not listed (feedwatch matches cannot read the memory store)`
        : `…and ${more} more: feedwatch matches --watch ${digest.watchId}`,
      '',
    );
  }
  lines.push(`Watch: ${watchLine(digest.watchId, digest.watchName)}`, '');
  return published({
    watchId: digest.watchId,
    subject: subjectLine(`[Feedwatch] ${label}: ${counted} (digest)`),
    email: lines.join('\n'),
    sms: smsLine(`Feedwatch ${singleLine(label, 30)}: ${counted} (digest). First:`, listed[0]?.title ?? ''),
    json: {
      kind: 'digest',
      watchId: digest.watchId,
      watchName: digest.watchName,
      digest: digest.cadence,
      count,
      matches: listed.map(alertJson),
    },
  });
}

function watchLine(watchId: string, watchName: string | undefined): string {
  return watchName ? `${watchName} (${watchId})` : watchId;
}

export function alertJson(match: StoredMatch): Record<string, unknown> {
  return {
    watchId: match.watchId,
    watchName: match.watchName,
    itemKey: match.itemKey,
    storyKey: match.storyKey,
    title: match.title,
    link: match.link,
    published: match.published,
    feed: match.feedUrl,
    matched: match.matched,
    hits: match.hits,
    hitsLeftOut: match.hitsLeftOut,
    snippet: match.snippet,
    highlight: match.highlight,
    matchedAt: match.matchedAt,
    alsoIn: match.alsoIn,
    alsoInMore: match.alsoInMore,
  };
}

/**
 * One line per item merged into a story, then how many more were merged unlisted:
 * `https://feed.example/rss: "Headline" https://link (seen 2026-…)`. Read when the match is
 * read, so a copy found after the alert was sent shows in `feedwatch matches`.
 */
export function mergedLines(match: Pick<StoredMatch, 'alsoIn' | 'alsoInMore'>): string[] {
  const lines = (match.alsoIn ?? []).map(describeMerged);
  if (match.alsoInMore) lines.push(`…and ${match.alsoInMore} more`);
  return lines;
}

function describeMerged(item: MergedItem): string {
  const parts = [item.title === undefined ? item.feed : `${item.feed}: "${singleLine(item.title, 200)}"`];
  if (item.link) parts.push(item.link);
  if (item.seenAt) parts.push(`(seen ${item.seenAt})`);
  return parts.join(' ');
}

/**
 * Why an alert fired, one entry per query term with the words it matched and where, how a word
 * matched through concept expansion, and how many more words matched than the match keeps:
 * `seizure -> "seizing" (title, body), "confiscated" (synonym of seizure; body)`,
 * `ceasefire -> "cEaSeFiRe" (body) + 9,890 more forms`.
 */
export function explainHits(match: Pick<StoredMatch, 'hits' | 'hitsLeftOut'>): string[] {
  const byTerm = new Map<string, Map<string, ExplainedWord>>();
  for (const hit of match.hits) {
    const words = byTerm.get(hit.term) ?? new Map<string, ExplainedWord>();
    byTerm.set(hit.term, words);
    const id = `${hit.word}\u0000${hit.via ?? ''}`;
    const seen = words.get(id) ?? { word: hit.word, via: hit.via, fields: new Set<string>() };
    words.set(id, seen);
    seen.fields.add(hit.field);
  }
  const leftOut = new Map((match.hitsLeftOut ?? []).map(({ term, forms }) => [term, forms]));
  for (const term of leftOut.keys()) if (!byTerm.has(term)) byTerm.set(term, new Map());
  return [...byTerm].map(([term, words]) => {
    const listed = [...words.values()]
      .map(({ word, via, fields }) => `"${word}" (${via ? `${via}; ` : ''}${[...fields].join(', ')})`)
      .join(', ');
    const more = leftOut.get(term);
    const moreText = more ? `+ ${formatCount(more)} more ${more === 1 ? 'form' : 'forms'}` : '';
    return `${term} -> ${[listed, moreText].filter(Boolean).join(' ')}`;
  });
}

interface ExplainedWord {
  word: string;
  via?: string;
  fields: Set<string>;
}

function emailBody(match: StoredMatch): string {
  const lines = [
    match.title,
    match.link ?? '(no link)',
    '',
    match.highlight,
    '',
    `Watch: ${watchLine(match.watchId, match.watchName)}`,
    `Why: ${explainHits(match).join('; ')}`,
    `Feed: ${match.feedUrl}`,
    `Published: ${match.published ?? 'unknown'}`,
    `Matched at: ${match.matchedAt}`,
  ];
  const merged = mergedLines(match);
  if (merged.length > 0) lines.push('Also in:', ...merged.map((line) => `- ${line}`));
  return `${lines.join('\n')}\n`;
}

/** Drops invisible characters, collapses whitespace and cuts at a word boundary with an ellipsis, within `limit` characters. */
export function singleLine(text: string, limit: number): string {
  const flat = withoutInvisible(text).replace(/\s+/gu, ' ').trim();
  const chars = Array.from(flat);
  if (chars.length <= limit) return flat;
  const cut = chars.slice(0, limit - 1).join('');
  const atSpace = cut.lastIndexOf(' ');
  return `${atSpace > limit / 2 ? cut.slice(0, atSpace) : cut}…`;
}
