import type { StoredMatch } from '../model.ts';
import type { AlertMessage } from '../ports.ts';

/**
 * One alert model rendered per protocol: email (explained, with links), SMS (one short
 * line) and JSON (for queues and alerts.jsonl). Everything is plain text: the markers
 * around matched words are `**`, which read well in both email and SMS.
 */

const SUBJECT_LIMIT = 99;
const SMS_LIMIT = 160;

export function formatAlert(match: StoredMatch): AlertMessage {
  const watchLabel = match.watchName ?? match.watchId;
  return {
    watchId: match.watchId,
    subject: singleLine(`[Feedwatch] ${watchLabel}: ${match.title}`, SUBJECT_LIMIT),
    email: emailBody(match, watchLabel),
    sms: smsText(match, watchLabel),
    json: alertJson(match),
  };
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
    snippet: match.snippet,
    highlight: match.highlight,
    matchedAt: match.matchedAt,
    alsoIn: match.alsoIn,
  };
}

/**
 * Why an alert fired, one entry per query term with the words it matched and where:
 * `seizure -> "seizing" (title, body), "seizure" (body)`.
 */
export function explainHits(match: Pick<StoredMatch, 'hits'>): string[] {
  const byTerm = new Map<string, Map<string, Set<string>>>();
  for (const hit of match.hits) {
    const words = byTerm.get(hit.term) ?? new Map<string, Set<string>>();
    byTerm.set(hit.term, words);
    const fields = words.get(hit.word) ?? new Set<string>();
    words.set(hit.word, fields);
    fields.add(hit.field);
  }
  return [...byTerm].map(
    ([term, words]) =>
      `${term} -> ${[...words].map(([word, fields]) => `"${word}" (${[...fields].join(', ')})`).join(', ')}`,
  );
}

function emailBody(match: StoredMatch, watchLabel: string): string {
  const lines = [
    match.title,
    match.link ?? '(no link)',
    '',
    match.highlight,
    '',
    `Watch: ${watchLabel}${match.watchName ? ` (${match.watchId})` : ''}`,
    `Why: ${explainHits(match).join('; ')}`,
    `Feed: ${match.feedUrl}`,
    `Published: ${match.published ?? 'unknown'}`,
    `Matched at: ${match.matchedAt}`,
  ];
  if (match.alsoIn?.length) lines.push(`Also in: ${match.alsoIn.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

function smsText(match: StoredMatch, watchLabel: string): string {
  const prefix = `Feedwatch ${singleLine(watchLabel, 30)}: `;
  const link = match.link ? ` ${match.link}` : '';
  const room = SMS_LIMIT - prefix.length - link.length;
  // A link too long for one SMS still goes out whole: a cut link is useless.
  const title = room >= 20 ? singleLine(match.title, room) : singleLine(match.title, 40);
  return `${prefix}${title}${link}`;
}

/** Collapses whitespace and cuts at a word boundary with an ellipsis, within `limit` characters. */
export function singleLine(text: string, limit: number): string {
  const flat = text.replace(/\s+/gu, ' ').trim();
  const chars = Array.from(flat);
  if (chars.length <= limit) return flat;
  const cut = chars.slice(0, limit - 1).join('');
  const atSpace = cut.lastIndexOf(' ');
  return `${atSpace > limit / 2 ? cut.slice(0, atSpace) : cut}…`;
}
